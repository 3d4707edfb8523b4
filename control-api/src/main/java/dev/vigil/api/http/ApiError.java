package dev.vigil.api.http;

/**
 * A client-visible failure: HTTP status, a stable {@code error_code} and a message that says what
 * to fix. Thrown or failed into a routing context; {@link FailureHandler} renders the envelope.
 */
public final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String errorCode;
    /** Seconds the client should wait before retrying (the {@code Retry-After} header); 0 for none. */
    private final long retryAfterSeconds;

    public ApiError(int status, String errorCode, String message) {
        this(status, errorCode, message, 0);
    }

    public ApiError(int status, String errorCode, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.errorCode = errorCode;
        this.retryAfterSeconds = Math.max(0, retryAfterSeconds);
    }

    /** 429: a quota or rate limit is exhausted; {@code retryAfterSeconds} goes out as {@code Retry-After}. */
    public static ApiError tooManyRequests(String errorCode, String message, long retryAfterSeconds) {
        return new ApiError(429, errorCode, message, Math.max(1, retryAfterSeconds));
    }

    /** 503: a dependency (Kafka) is unavailable; retry after {@code retryAfterSeconds}. */
    public static ApiError unavailable(String message, long retryAfterSeconds) {
        return new ApiError(503, "unavailable", message, Math.max(1, retryAfterSeconds));
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, "invalid_request", message);
    }

    public static ApiError notFound(String what, String id) {
        return new ApiError(404, "not_found", what + " '" + abbreviate(id) + "' not found");
    }

    public static ApiError conflict(String message) {
        return new ApiError(409, "conflict", message);
    }

    public static ApiError unprocessable(String errorCode, String message) {
        return new ApiError(422, errorCode, message);
    }

    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Ids echoed in messages are cut short: a client may send megabytes of junk as an id. */
    static String abbreviate(String id) {
        if (id == null) {
            return "";
        }
        String printable = id.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= 64 ? printable : printable.substring(0, 64) + "…";
    }
}
