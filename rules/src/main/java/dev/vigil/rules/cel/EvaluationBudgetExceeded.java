package dev.vigil.rules.cel;

/**
 * An evaluation stopped by its {@link EvaluationBudget}: the condition did too much work or built too
 * large a value on one record. The record does not match; the error is counted like any other.
 */
public final class EvaluationBudgetExceeded extends RuntimeException {

    private static final long serialVersionUID = 1L;

    EvaluationBudgetExceeded(String message) {
        // No stack trace: the budget is hit on hot paths and the message says everything.
        super(message, null, false, false);
    }
}
