package dev.vigil.rules.cel;

import com.google.common.collect.ImmutableList;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import java.util.List;

/**
 * The strings extension's {@code replace}, with the size of the result checked <em>before</em> it
 * is built. The extension's own {@code replace} grows a string by the replacement's length at every
 * occurrence, so a few chained calls ({@code text.replace("", text).replace("", text)…}) reach
 * gigabytes in one evaluation step: too late for {@link EvaluationBudget}, which only sees results.
 * Here the result length is computed from the occurrence count first and the call fails when it
 * would exceed {@link EvaluationBudget#MAX_STRING_LENGTH}.
 */
final class BoundedReplace {

    private static final String TWO_ARGS = "string_replace_string_string";
    private static final String THREE_ARGS = "string_replace_string_string_int";

    private BoundedReplace() {
    }

    /** The declarations of {@code s.replace(old, new)} and {@code s.replace(old, new, n)}. */
    static CelFunctionDecl declaration() {
        return CelFunctionDecl.newFunctionDeclaration("replace",
                CelOverloadDecl.newMemberOverload(TWO_ARGS, SimpleType.STRING,
                        SimpleType.STRING, SimpleType.STRING, SimpleType.STRING),
                CelOverloadDecl.newMemberOverload(THREE_ARGS, SimpleType.STRING,
                        SimpleType.STRING, SimpleType.STRING, SimpleType.STRING, SimpleType.INT));
    }

    /** The runtime bindings of both overloads. */
    static List<CelFunctionBinding> bindings() {
        return List.of(
                CelFunctionBinding.from(TWO_ARGS, ImmutableList.of(String.class, String.class, String.class),
                        args -> replace((String) args[0], (String) args[1], (String) args[2], -1)),
                CelFunctionBinding.from(THREE_ARGS,
                        ImmutableList.of(String.class, String.class, String.class, Long.class),
                        args -> replace((String) args[0], (String) args[1], (String) args[2], (Long) args[3])));
    }

    /**
     * {@code text} with the first {@code limit} occurrences of {@code target} replaced (all when
     * {@code limit} is negative), as the strings extension defines it: an empty target matches
     * before every code unit and at the end.
     */
    static String replace(String text, String target, String replacement, long limit)
            throws CelEvaluationException {
        if (limit == 0) {
            return text;
        }
        long occurrences = count(text, target, limit);
        long length = text.length() + occurrences * (replacement.length() - (long) target.length());
        if (length > EvaluationBudget.MAX_STRING_LENGTH) {
            throw new CelEvaluationException("replace() would build a string of " + length
                    + " characters; the limit is " + EvaluationBudget.MAX_STRING_LENGTH);
        }
        StringBuilder out = new StringBuilder((int) length);
        long done = 0;
        int from = 0;
        if (target.isEmpty()) {
            for (int i = 0; i <= text.length(); i++) {
                if (limit < 0 || done < limit) {
                    out.append(replacement);
                    done++;
                }
                if (i < text.length()) {
                    out.append(text.charAt(i));
                }
            }
            return out.toString();
        }
        int at;
        while ((limit < 0 || done < limit) && (at = text.indexOf(target, from)) >= 0) {
            out.append(text, from, at).append(replacement);
            from = at + target.length();
            done++;
        }
        return out.append(text, from, text.length()).toString();
    }

    private static long count(String text, String target, long limit) {
        long found = target.isEmpty() ? text.length() + 1L : 0;
        if (!target.isEmpty()) {
            int from = 0;
            int at;
            while ((at = text.indexOf(target, from)) >= 0) {
                found++;
                from = at + target.length();
            }
        }
        return limit < 0 ? found : Math.min(found, limit);
    }
}
