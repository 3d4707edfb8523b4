package dev.vigil.api.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders every failure as VideoDB's error envelope. Client mistakes keep their 4xx status; only a
 * genuine server fault becomes a 500, logged with its cause.
 */
public final class FailureHandler implements Handler<RoutingContext> {

    private static final Logger log = LoggerFactory.getLogger(FailureHandler.class);

    private final int maxBodyBytes;

    /** {@code maxBodyBytes}: the body limit, named in the 413 message. */
    public FailureHandler(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Throwable failure = unwrap(ctx.failure());
        if (failure instanceof ApiError error) {
            if (error.retryAfterSeconds() > 0 && !ctx.response().headWritten()) {
                ctx.response().putHeader("Retry-After", Long.toString(error.retryAfterSeconds()));
            }
            Envelope.error(ctx, error.status(), error.errorCode(), error.getMessage());
            return;
        }
        if (failure instanceof HttpException http && http.getStatusCode() < 500) {
            Envelope.error(ctx, http.getStatusCode(), codeFor(http.getStatusCode()), messageFor(http.getStatusCode(), http));
            return;
        }
        int status = ctx.statusCode();
        if (failure == null && status >= 400 && status < 500) {
            Envelope.error(ctx, status, codeFor(status), messageFor(status, null));
            return;
        }
        log.error("{} {} failed", ctx.request().method(), ApiError.abbreviate(ctx.request().path()), failure);
        Envelope.error(ctx, 500, "internal", "internal error; the server log has the details");
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static String codeFor(int status) {
        return switch (status) {
            case 400 -> "invalid_request";
            case 401 -> "unauthorized";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 417 -> "expectation_failed";
            default -> "http_" + status;
        };
    }

    private String messageFor(int status, HttpException http) {
        return switch (status) {
            case 404 -> "no such endpoint";
            case 405 -> "method not allowed on this path";
            case 413 -> "request body too large (limit " + maxBodyBytes + " bytes, VIGIL_API_MAX_BODY_BYTES)";
            case 417 -> "unsupported Expect header: only 100-continue is understood";
            default -> http != null && http.getPayload() != null ? http.getPayload() : "request failed with status " + status;
        };
    }
}
