package dev.vigil.common.net;

/**
 * A callback URL was refused by {@link CallbackUrlPolicy}. The message is meant for the API client:
 * it names the problem and what to fix, and maps to a 400.
 */
public final class CallbackUrlException extends Exception {
    private static final long serialVersionUID = 1L;

    public CallbackUrlException(String message) {
        // No stack trace: a refusal is an expected answer to bad input, not a bug.
        super(message, null, false, false);
    }
}
