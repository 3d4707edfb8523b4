package dev.vigil.rules.cel;

import dev.vigil.rules.record.NormalisedRecord;

/**
 * Told about every evaluation error of a {@link Condition} (after the condition has counted it and,
 * rate-limited, logged it), e.g. so the alert-router can count errors per event in its metrics.
 * Called on the evaluating thread: it must be cheap and must not throw. The error is an exception,
 * an {@link EvaluationBudgetExceeded}, or an {@link Error} (stack overflow, out of memory) that the
 * condition contained.
 */
@FunctionalInterface
public interface EvaluationErrorListener {

    /** A listener that does nothing. */
    EvaluationErrorListener NONE = (condition, record, error) -> { };

    void onEvaluationError(Condition condition, NormalisedRecord record, Throwable error);
}
