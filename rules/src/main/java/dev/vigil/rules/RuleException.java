package dev.vigil.rules;

import java.util.Locale;
import java.util.Objects;

/**
 * A rule that cannot be accepted: an explicit condition that does not compile, or an event prompt
 * that the prompt compiler cannot turn into a condition. The message is written for the user who
 * sent the rule and says what to fix; control-api returns it as the body of a 422 response with
 * {@link #errorCode()} as {@code error_code}.
 */
public final class RuleException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why the rule was refused. */
    public enum Reason {
        /** Neither an event prompt nor a condition was given. */
        MISSING_RULE,
        /** The condition is not valid CEL, or uses an unknown variable or function. */
        INVALID_CONDITION,
        /** The condition is valid CEL but does not evaluate to a bool. */
        CONDITION_NOT_BOOL,
        /** The condition uses a function or operator that conditions may not use. */
        FUNCTION_NOT_ALLOWED,
        /** The condition's syntax tree is too large or too deep, or one of its literals too long. */
        CONDITION_TOO_COMPLEX,
        /** The condition is longer than {@link dev.vigil.rules.cel.ConditionCompiler#MAX_CONDITION_LENGTH}. */
        CONDITION_TOO_LONG,
        /** The prompt is longer than {@link dev.vigil.rules.prompt.PromptCompiler#MAX_PROMPT_LENGTH}. */
        PROMPT_TOO_LONG,
        /** The prompt uses words outside the vocabulary (and no LLM judge is configured). */
        PROMPT_NOT_UNDERSTOOD,
        /** The prompt asks for things that can never hold on the same record. */
        PROMPT_CONTRADICTORY;

        /** The {@code error_code} of the API error body, e.g. {@code invalid_condition}. */
        public String errorCode() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;

    public RuleException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public RuleException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    /** Shorthand for {@code reason().errorCode()}. */
    public String errorCode() {
        return reason.errorCode();
    }
}
