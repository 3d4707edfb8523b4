package dev.vigil.rules;

import dev.vigil.rules.cel.ConditionCompiler;
import dev.vigil.rules.prompt.PromptCompiler;
import dev.vigil.schemas.control.ConditionOrigin;
import java.util.Objects;

/**
 * Entry point for control-api: turns the {@code event_prompt} and optional {@code condition} of an
 * event into the {@link CompiledRule} to store in {@code vigil.events}, or refuses it with a
 * {@link RuleException} whose message is the 422 response body.
 *
 * <ul>
 *   <li>A non-blank {@code condition} wins: it is type-checked as is and stored with origin
 *       {@code EXPLICIT}; the prompt is kept alongside it.</li>
 *   <li>Otherwise the prompt goes through the {@link PromptCompiler}: origin {@code PROMPT}, or
 *       {@code LLM_JUDGE} when it falls outside the vocabulary and a judge is configured.</li>
 * </ul>
 * Every condition handed out has compiled in the same environment the alert-router evaluates in.
 * Thread-safe.
 */
public final class RuleCompiler {

    private final ConditionCompiler conditions;
    private final PromptCompiler prompts;

    public RuleCompiler(ConditionCompiler conditions, PromptCompiler prompts) {
        this.conditions = Objects.requireNonNull(conditions, "conditions");
        this.prompts = Objects.requireNonNull(prompts, "prompts");
    }

    /**
     * A compiler with its own condition cache that maps prompts onto the vocabulary by meaning
     * (offline sentence embeddings) and leaves what it cannot express to the judge, or refuses it.
     *
     * @param llmJudgeConfigured whether an LLM judge will evaluate prompts outside the vocabulary
     *                           (a text model is configured: {@code ModelConfig.textAvailable()})
     */
    public static RuleCompiler create(boolean llmJudgeConfigured) {
        return new RuleCompiler(new ConditionCompiler(), PromptCompiler.withMeaning(llmJudgeConfigured));
    }

    /**
     * Compiles an event.
     *
     * @param eventPrompt the user's description of what to detect; may be null when a condition is given
     * @param condition   an explicit CEL condition; may be null or blank
     * @throws RuleException when neither is usable; the message says what to fix
     */
    public CompiledRule compile(String eventPrompt, String condition) throws RuleException {
        if (condition != null && !condition.isBlank()) {
            conditions.compile(condition);
            return new CompiledRule(eventPrompt, condition, ConditionOrigin.EXPLICIT,
                    "Fires on records for which the explicit condition is true.");
        }
        if (eventPrompt == null || eventPrompt.isBlank()) {
            throw new RuleException(RuleException.Reason.MISSING_RULE,
                    "Give an event_prompt describing what to detect, or a condition in CEL.");
        }
        CompiledRule rule = prompts.compile(eventPrompt);
        try {
            conditions.compile(rule.condition());
        } catch (RuleException e) {
            if (e.reason() == RuleException.Reason.CONDITION_TOO_LONG) {
                throw new RuleException(RuleException.Reason.PROMPT_TOO_LONG,
                        "The event prompt compiles to a condition longer than "
                                + ConditionCompiler.MAX_CONDITION_LENGTH + " characters; split it into several events.",
                        e);
            }
            // The prompt compiler only writes CEL it knows to be valid: this is a bug, not user input.
            throw new IllegalStateException("prompt compiler produced an invalid condition: " + rule.condition(), e);
        }
        return rule;
    }

    /** The condition compiler (and cache) this compiler validates with. */
    public ConditionCompiler conditions() {
        return conditions;
    }
}
