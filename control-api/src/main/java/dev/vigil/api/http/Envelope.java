package dev.vigil.api.http;

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
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
}
