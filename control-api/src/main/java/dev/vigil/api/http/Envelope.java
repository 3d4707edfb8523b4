package dev.vigil.api.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** VideoDB's response envelope: {@code {"success": true, "data": …}} or {@code {"success": false, "message", "error_code"}}. */
public final class Envelope {

    private Envelope() {
    }

    public static void ok(RoutingContext ctx, JsonObject data) {
        send(ctx, 200, data);
    }

    public static void created(RoutingContext ctx, JsonObject data) {
        send(ctx, 201, data);
    }

    private static void send(RoutingContext ctx, int status, JsonObject data) {
        if (ctx.response().ended()) {
            return;
        }
        // VideoDB's Python SDK dereferences data, so it is always an object, never null.
        JsonObject body = new JsonObject().put("success", true).put("data", data == null ? new JsonObject() : data);
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    public static void error(RoutingContext ctx, int status, String errorCode, String message) {
        if (ctx.response().ended()) {
            return;
        }
        JsonObject body = new JsonObject().put("success", false).put("message", message).put("error_code", errorCode);
        HttpServerRequest request = ctx.request();
        // Refused before its body was read (401, 429, 413, 415…): close the connection after the answer rather
        // than read and discard a body nobody wants, so an unauthenticated client cannot make the server swallow
        // megabytes. (HTTP/2 streams are independent: there the unread body is simply not read.)
        boolean closeAfter = !request.isEnded() && request.version() != HttpVersion.HTTP_2;
        if (closeAfter) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode())
                .onComplete(written -> {
                    if (closeAfter) {
                        request.connection().close();
                    }
                });
    }
}
