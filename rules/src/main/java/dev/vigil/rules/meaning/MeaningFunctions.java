package dev.vigil.rules.meaning;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelFunctionBinding;
import java.util.List;

/**
 * The CEL functions that match text by meaning rather than by words, evaluated with the shared
 * {@link SentenceEmbedder}:
 * <ul>
 *   <li>{@code text.means("someone asks for a refund")}: true when the cosine similarity of the two
 *       sentences is at least {@value #MEANS_THRESHOLD} ("I want my money back" means "a refund",
 *       0.57; "the weather is nice" does not, 0.06); false on empty text;</li>
 *   <li>{@code meaning(text, "a refund")}: the similarity itself, in [-1, 1], to choose another
 *       threshold ({@code meaning(transcript, "help") >= 0.6}).</li>
 * </ul>
 * The record's text is embedded once (LRU cache in the embedder) whatever the number of conditions
 * that ask; the first use in a process loads the model (~0.6-4 s). A record text costs 3-10 ms to
 * embed on one core, against about a microsecond for a word match: prefer {@code contains} when exact
 * words will do.
 */
public final class MeaningFunctions {

    /** Least similarity for {@code means}; calibrated in {@code MeaningFunctionsTest} on labelled pairs. */
    public static final double MEANS_THRESHOLD = 0.45;
    /** {@link #MEANS_THRESHOLD} as written in explanations. */
    public static final String MEANS_THRESHOLD_TEXT = "0.45";

    static final String MEANS_OVERLOAD = "string_means_string";
    static final String MEANING_OVERLOAD = "meaning_string_string";

    private MeaningFunctions() {
    }

    /** The declarations the type checker needs. */
    public static List<CelFunctionDecl> declarations() {
        return List.of(
                CelFunctionDecl.newFunctionDeclaration("means",
                        CelOverloadDecl.newMemberOverload(MEANS_OVERLOAD, SimpleType.BOOL, SimpleType.STRING, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration("meaning",
                        CelOverloadDecl.newGlobalOverload(MEANING_OVERLOAD, SimpleType.DOUBLE, SimpleType.STRING,
                                SimpleType.STRING)));
    }

    /** The implementations the runtime calls. */
    public static List<CelFunctionBinding> bindings() {
        return List.of(
                CelFunctionBinding.from(MEANS_OVERLOAD, String.class, String.class, MeaningFunctions::means),
                CelFunctionBinding.from(MEANING_OVERLOAD, String.class, String.class, MeaningFunctions::meaning));
    }

    /** Whether {@code text} means {@code reference}; false when either is blank. */
    public static boolean means(String text, String reference) {
        return !text.isBlank() && !reference.isBlank() && meaning(text, reference) >= MEANS_THRESHOLD;
    }

    /** Cosine similarity of the two texts; 0 when either is blank. */
    public static double meaning(String text, String reference) {
        if (text.isBlank() || reference.isBlank()) {
            return 0.0;
        }
        return SentenceEmbedder.shared().similarity(text, reference);
    }
}
