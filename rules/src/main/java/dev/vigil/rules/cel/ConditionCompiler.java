package dev.vigil.rules.cel;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.cel.bundle.Cel;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypes;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.vigil.rules.RuleException;
import dev.vigil.rules.record.RecordVariable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Compiles CEL condition text into {@link Condition}s, with full type checking against the
 * variables of {@link RecordVariable}, and caches the result by expression text (compiling costs
 * about a millisecond; evaluating, about a microsecond).
 *
 * <p>A condition is refused with a {@link RuleException} whose message tells the user what to fix
 * when it is blank, longer than {@link #MAX_CONDITION_LENGTH} characters, not valid CEL (with line
 * and column), uses an unknown variable or function, uses a function outside the allowlist or is too
 * large a tree ({@link ConditionGuard}), or does not evaluate to a bool. What is accepted runs within an
 * {@link EvaluationBudget} on every record.
 *
 * <p>Thread-safe; one instance per service is enough.
 */
public final class ConditionCompiler {

    /** Longest condition accepted, in characters. */
    public static final int MAX_CONDITION_LENGTH = 2_000;

    private static final int CACHE_SIZE = 10_000;
    private static final String VARIABLES = Arrays.stream(RecordVariable.values())
            .map(RecordVariable::celName).collect(Collectors.joining(", "));

    private final Cel cel;
    private final EvaluationErrorListener errorListener;
    // Bounded so that a client sending endless distinct conditions cannot grow the heap; a miss only
    // costs a recompilation.
    private final Cache<String, Condition> cache = CacheBuilder.newBuilder().maximumSize(CACHE_SIZE).build();

    /** A compiler whose conditions only count and log their evaluation errors. */
    public ConditionCompiler() {
        this(EvaluationErrorListener.NONE);
    }

    /** A compiler whose conditions also report evaluation errors to {@code errorListener}. */
    public ConditionCompiler(EvaluationErrorListener errorListener) {
        this.cel = RuleEnvironment.create();
        this.errorListener = Objects.requireNonNull(errorListener, "errorListener");
    }

    /**
     * The compiled condition for {@code expression}, from the cache when it was compiled before.
     *
     * @throws RuleException when the condition cannot be accepted; the message is for the user
     */
    public Condition compile(String expression) throws RuleException {
        if (expression == null || expression.isBlank()) {
            throw new RuleException(RuleException.Reason.INVALID_CONDITION,
                    "The condition is empty. Give a CEL expression over the record variables, e.g. "
                            + "counts.people >= 1.");
        }
        Condition cached = cache.getIfPresent(expression);
        if (cached != null) {
            return cached;
        }
        Condition compiled = compileUncached(expression);
        cache.put(expression, compiled);
        return compiled;
    }

    /** Number of compiled conditions held in the cache. */
    public long cachedConditions() {
        return cache.size();
    }

    private Condition compileUncached(String expression) throws RuleException {
        int length = expression.codePointCount(0, expression.length());
        if (length > MAX_CONDITION_LENGTH) {
            throw new RuleException(RuleException.Reason.CONDITION_TOO_LONG,
                    "The condition is " + length + " characters long; the limit is " + MAX_CONDITION_LENGTH
                            + ". Split it into several events.");
        }
        CelValidationResult result = cel.compile(expression);
        if (result.hasError()) {
            throw new RuleException(RuleException.Reason.INVALID_CONDITION, describe(expression, result.getErrors()));
        }
        CelAbstractSyntaxTree ast;
        try {
            ast = result.getAst();
        } catch (CelValidationException e) {
            throw new RuleException(RuleException.Reason.INVALID_CONDITION,
                    "The condition is not valid: " + e.getMessage(), e);
        }
        ConditionGuard.check(ast.getExpr());
        CelType type = ast.getResultType();
        if (!type.equals(SimpleType.BOOL)) {
            throw new RuleException(RuleException.Reason.CONDITION_NOT_BOOL,
                    "The condition must evaluate to true or false (bool), but it evaluates to "
                            + CelTypes.format(type) + ". Compare the value instead, e.g. counts.people >= 1.");
        }
        try {
            return new Condition(expression, cel.createProgram(ast), errorListener);
        } catch (CelEvaluationException e) {
            // Planning fails only for environment problems (e.g. an unbound function), not user input
            // that passed the checker; still the user's condition is what triggered it.
            throw new RuleException(RuleException.Reason.INVALID_CONDITION,
                    "The condition cannot be prepared for evaluation: " + e.getMessage(), e);
        }
    }

    private static String describe(String expression, List<CelIssue> issues) {
        List<String> parts = new ArrayList<>();
        boolean unknownName = false;
        String[] lines = expression.split("\n", -1);
        for (CelIssue issue : issues) {
            String message = issue.getMessage().replace(" (in container '')", "");
            unknownName |= message.startsWith("undeclared reference");
            int line = issue.getSourceLocation().getLine();
            int column = issue.getSourceLocation().getColumn(); // 0-based in CEL 0.11
            StringBuilder part = new StringBuilder();
            if (line >= 1 && column >= 0) {
                part.append("line ").append(line).append(", column ").append(column + 1).append(": ");
            }
            part.append(message);
            if (line >= 1 && line <= lines.length) {
                part.append("\n | ").append(lines[line - 1])
                        .append("\n | ").append(".".repeat(Math.max(0, column))).append('^');
            }
            parts.add(part.toString());
        }
        String text = "The condition is not valid CEL: " + String.join("\n", parts);
        if (unknownName) {
            text += "\nVariables a condition can use: " + VARIABLES + ".";
        }
        return text;
    }
}
