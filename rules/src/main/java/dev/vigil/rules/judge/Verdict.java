package dev.vigil.rules.judge;

import java.util.Objects;

/**
 * An LLM judge's answer for one record.
 *
 * @param matches     whether the record shows what the prompt describes
 * @param confidence  the judge's confidence in its verdict, in [0, 1]
 * @param explanation one line saying why; it becomes the notification's {@code explanation}
 */
public record Verdict(boolean matches, double confidence, String explanation) {

    public Verdict {
        Objects.requireNonNull(explanation, "explanation");
        if (!(confidence >= 0.0 && confidence <= 1.0)) {
            throw new IllegalArgumentException("confidence must be in [0, 1]: " + confidence);
        }
    }

    /** A verdict without a stated confidence (1.0). */
    public Verdict(boolean matches, String explanation) {
        this(matches, 1.0, explanation);
    }
}
