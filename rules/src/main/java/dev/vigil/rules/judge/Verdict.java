package dev.vigil.rules.judge;

import java.util.Objects;

/**
 * An LLM judge's answer for one record.
 *
 * @param matches     whether the record shows what the prompt describes
 * @param explanation one line saying why; it becomes the notification's {@code explanation}
 */
public record Verdict(boolean matches, String explanation) {

    public Verdict {
        Objects.requireNonNull(explanation, "explanation");
    }
}
