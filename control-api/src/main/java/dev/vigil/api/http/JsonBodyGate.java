package dev.vigil.api.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a request body only when it is JSON, then hands it to Vert.x's {@link BodyHandler} (buffer
 * only: no file uploads, no form decoding). Any other {@code Content-Type} with a body is a 415 before
 * a byte of it is read: Netty's form and multipart decoders throw on bad percent-escapes and long
 * fields, and the API takes nothing but JSON anyway. A body without a {@code Content-Type} is taken
 * as JSON (some HTTP clients omit it); a JSON type naming a charset other than UTF-8 is a 415, since
 * JSON exchanged between systems is UTF-8 (RFC 8259 §8.1).
 *
 * <p>Mounted after {@link ApiKeyAuth}, so an unauthenticated request is refused on its headers and
 * its body is never read. Methods without a body (GET, HEAD, OPTIONS…) pass straight through.
 */
public final class JsonBodyGate implements Handler<RoutingContext> {

    /** Methods whose request body is read. */
    static final Set<HttpMethod> BODY_METHODS = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

    private final BodyHandler bodies;

    public JsonBodyGate(int maxBodyBytes) {
        this.bodies = BodyHandler.create(false)
                .setBodyLimit(maxBodyBytes)
                .setMergeFormAttributes(false)
                .setDeleteUploadedFilesOnEnd(true);
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (!BODY_METHODS.contains(request.method())) {
            ctx.next();
            return;
        }
        if (hasBody(request)) {
            String problem = contentTypeProblem(request.headers().getAll(HttpHeaders.CONTENT_TYPE));
            if (problem != null) {
                ctx.fail(new ApiError(415, "unsupported_media_type", problem));
                return;
            }
        }
        bodies.handle(ctx);
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return request.headers().contains(HttpHeaders.TRANSFER_ENCODING) || length != null && !length.trim().equals("0");
    }

    /** Why {@code contentTypes} (every Content-Type header sent) is not a UTF-8 JSON type; null when it is. */
    static String contentTypeProblem(List<String> contentTypes) {
        if (contentTypes.isEmpty()) {
            return null;
        }
        if (contentTypes.size() > 1) {
            return "send one Content-Type header: application/json";
        }
        String[] parts = contentTypes.get(0).split(";", -1);
        String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!isJson(mediaType)) {
            return "request bodies must be JSON: send Content-Type: application/json (got '"
                    + ApiError.abbreviate(mediaType) + "')";
        }
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].split("=", 2);
            if (param.length == 2 && param[0].trim().equalsIgnoreCase("charset")) {
                String charset = param[1].trim().replace("\"", "").toLowerCase(Locale.ROOT);
                if (!charset.equals("utf-8") && !charset.equals("utf8")) {
                    return "JSON bodies must be UTF-8 (got charset '" + ApiError.abbreviate(charset) + "')";
                }
            }
        }
        return null;
    }

    private static boolean isJson(String mediaType) {
        if (mediaType.equals("application/json")) {
            return true;
        }
        // Structured-syntax suffix (RFC 6839): application/merge-patch+json and friends.
        return mediaType.matches("application/[a-z0-9.!#$&^_-]+\\+json");
    }
}
