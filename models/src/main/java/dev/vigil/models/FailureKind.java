package dev.vigil.models;

/**
 * Why a model call gave no answer; the {@code reason} tag of {@code vigil_model_failures_total}. Every
 * kind ends the same way for the caller (the offline record goes out); the kinds tell operators what to fix.
 */
public enum FailureKind {
    /** The per-call deadline ({@code VIGIL_MODEL_TIMEOUT}) passed, waiting for a slot or for the answer. */
    TIMEOUT,
    /** The collection spent its {@code VIGIL_MODEL_CALLS_PER_MINUTE}; no request was sent. */
    BUDGET_EXHAUSTED,
    /** The server answered 429 and its Retry-After did not fit the deadline (or a second 429 came). */
    RATE_LIMITED,
    /** The server answered 5xx. */
    SERVER_ERROR,
    /** The server refused the request (4xx other than 429: unknown model, bad key, too large). */
    REJECTED,
    /** The server could not be reached (connection refused, DNS, reset). */
    UNREACHABLE,
    /** The answer was not the OpenAI wire format, or had no usable content. */
    MALFORMED;

    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
