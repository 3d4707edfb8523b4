package dev.vigil.rules;

import dev.vigil.schemas.control.ConditionOrigin;
import java.util.Objects;

/**
 * The outcome of compiling an event: the CEL condition to store in {@code EventRule.condition} and
 * show to the user, where it came from, and one sentence saying what it fires on.
 *
 * @param eventPrompt the user's prompt, kept even when an explicit condition wins; may be null
 * @param condition   CEL over the record variables (see {@code rules/DESIGN.md}); {@code "true"} for
 *                    {@link ConditionOrigin#LLM_JUDGE}, where the judge decides per record
 * @param origin      {@code PROMPT}, {@code EXPLICIT} or {@code LLM_JUDGE}
 * @param explanation a human sentence, e.g. "Fires on scene_index records with at least 1 person."
 */
public record CompiledRule(String eventPrompt, String condition, ConditionOrigin origin, String explanation) {

    public CompiledRule {
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(explanation, "explanation");
    }

    /** True when the alert-router must ask the LLM judge about each record the condition lets through. */
    public boolean needsJudge() {
        return origin == ConditionOrigin.LLM_JUDGE;
    }
}
