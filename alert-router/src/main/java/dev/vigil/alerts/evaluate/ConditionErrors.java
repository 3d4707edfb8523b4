package dev.vigil.alerts.evaluate;

import dev.vigil.rules.cel.EvaluationBudgetExceeded;

/** The {@code kind} tag of the evaluation-error metric for an error a condition contained. */
public final class ConditionErrors {

    private ConditionErrors() {
    }

    /**
     * {@code budget} when the condition went over its evaluation budget, {@code fatal} for an
     * {@link Error} (the condition is now quarantined), {@code evaluation} for the ordinary kind
     * (a missing key, a division by zero).
     */
    public static String kind(Throwable error) {
        if (error instanceof EvaluationBudgetExceeded) {
            return "budget";
        }
        return error instanceof Error ? "fatal" : "evaluation";
    }
}
