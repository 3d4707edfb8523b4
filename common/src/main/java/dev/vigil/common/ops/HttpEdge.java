package dev.vigil.common.ops;

import dev.vigil.common.config.Setting;
import dev.vigil.common.config.Settings;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How every Vigil HTTP server meets the network: an idle timeout (a connection that sends and receives
 * nothing that long is closed, so idle or stalled clients do not hold sockets forever) and, for a request
 * Netty's codec refuses before any router sees it — a request line over 4 KB (414), headers over 8 KB
 * (431), or a line that is not HTTP (400) — an answer in VideoDB's JSON error envelope instead of an
 * empty body, then the connection is closed. Also where the separate operations port is declared.
 */
public final class HttpEdge {

    public static final Setting<Duration> IDLE_TIMEOUT = Settings.duration("VIGIL_HTTP_IDLE_TIMEOUT", Duration.ofSeconds(60),
            "An HTTP connection on which nothing is read or written this long is closed (WebSocket connections too: "
                    + "keep it above VIGIL_WS_PING_INTERVAL).")
            .check(d -> d.toSeconds() >= 1 && d.toHours() <= 24, "between 1s and 24h");
    public static final Setting<Integer> OPS_PORT = Settings.integer("VIGIL_OPS_PORT", null, 0, 65_535,
            "Port of a separate operations endpoint (/healthy, /ready, /metrics); set, they leave VIGIL_HTTP_PORT, so a "
                    + "public Ingress on that port does not expose them. Unset: served on VIGIL_HTTP_PORT.");

    public static final List<Setting<?>> SETTINGS = List.of(IDLE_TIMEOUT, OPS_PORT);

    private HttpEdge() {
    }

    /** A server with the idle timeout and the JSON answer for requests the codec refuses. */
    public static HttpServer createServer(Vertx vertx, Duration idleTimeout) {
        HttpServerOptions options = new HttpServerOptions()
                .setIdleTimeout((int) Math.max(1, idleTimeout.toSeconds()))
                .setIdleTimeoutUnit(TimeUnit.SECONDS);
        return vertx.createHttpServer(options).invalidRequestHandler(HttpEdge::answerInvalidRequest);
    }

    /** Answers a request the HTTP codec could not decode, with the envelope, and closes the connection. */
    static void answerInvalidRequest(HttpServerRequest request) {
        DecoderResult result = request.decoderResult();
        Throwable cause = result == null ? null : result.cause();
        int status;
        String code;
        String message;
        if (cause instanceof TooLongHttpLineException) {
            status = 414;
            code = "uri_too_long";
            message = "request line too long (limit " + new HttpServerOptions().getMaxInitialLineLength()
                    + " bytes): shorten the path and query";
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = 431;
            code = "headers_too_large";
            message = "request headers too large (limit " + new HttpServerOptions().getMaxHeaderSize() + " bytes)";
        } else {
            status = 400;
            code = "invalid_request";
            message = "malformed HTTP request";
        }
        JsonObject body = new JsonObject().put("success", false).put("message", message).put("error_code", code);
        request.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                // Even for a HEAD: the request line could not be decoded, so its method is unknown here.
                .end(body.encode())
                .onComplete(done -> request.connection().close());
    }
}
