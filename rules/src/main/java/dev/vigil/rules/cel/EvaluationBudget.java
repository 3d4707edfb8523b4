package dev.vigil.rules.cel;

import dev.cel.common.ast.CelExpr;
import dev.cel.runtime.CelEvaluationListener;
import java.util.Collection;
import java.util.Map;

/**
 * The cost budget of one evaluation. CEL-Java 0.11 has no cost tracker of its own, but it calls an
 * evaluation listener with the result of every sub-expression it evaluates (once per iteration inside
 * a comprehension), so this listener can count the work done and look at every intermediate value:
 * it stops the evaluation when it has taken more than {@link #MAX_STEPS} steps (nested comprehensions
 * multiply, a single comprehension is already capped by {@code comprehensionMaxIterations}) or when
 * an intermediate string is longer than {@link #MAX_STRING_LENGTH} or a list or map larger than
 * {@link #MAX_COLLECTION_SIZE}, or all the values built add up to more than {@link #MAX_BUILT}
 * (concatenation in a comprehension can only double a value per step, so
 * the overshoot is bounded; {@code replace}, which can multiply, checks before building — see
 * {@link BoundedReplace}).
 *
 * <p>One instance per evaluation; not thread-safe.
 */
final class EvaluationBudget implements CelEvaluationListener {

    /** Sub-expression evaluations allowed in one evaluation of one condition. */
    static final int MAX_STEPS = 50_000;
    /** Longest intermediate string, in UTF-16 code units. */
    static final int MAX_STRING_LENGTH = 256 * 1024;
    /** Largest intermediate list or map. */
    static final int MAX_COLLECTION_SIZE = 10_000;
    /**
     * Total size of the values built by function calls in one evaluation (string characters plus
     * list and map elements): many values each under the caps above, e.g. one per iteration of a
     * {@code map}, must not add up to gigabytes either.
     */
    static final long MAX_BUILT = 4L * 1024 * 1024;

    private int steps;
    private long built;

    @Override
    public void callback(CelExpr expr, Object result) {
        if (++steps > MAX_STEPS) {
            throw new EvaluationBudgetExceeded("the condition took more than " + MAX_STEPS
                    + " evaluation steps on one record");
        }
        int length = result instanceof String s ? s.length() : 0;
        if (length > MAX_STRING_LENGTH) {
            throw new EvaluationBudgetExceeded("the condition built a string of " + length
                    + " characters; the limit is " + MAX_STRING_LENGTH);
        }
        int size = result instanceof Collection<?> c ? c.size() : result instanceof Map<?, ?> m ? m.size() : 0;
        if (size > MAX_COLLECTION_SIZE) {
            throw new EvaluationBudgetExceeded("the condition built a list or map of " + size
                    + " elements; the limit is " + MAX_COLLECTION_SIZE);
        }
        // Only calls build values; a variable or field read returns what the record already holds.
        if (expr.getKind() == CelExpr.ExprKind.Kind.CALL) {
            built += length + size;
            if (built > MAX_BUILT) {
                throw new EvaluationBudgetExceeded("the condition built more than " + MAX_BUILT
                        + " characters and elements in one evaluation");
            }
        }
    }
}
