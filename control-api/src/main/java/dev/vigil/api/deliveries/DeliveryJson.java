package dev.vigil.api.deliveries;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Locale;

/** JSON of the delivery endpoints; times are ISO-8601 strings like the other resources'. */
final class DeliveryJson {

    private DeliveryJson() {
    }

    static JsonObject delivery(Delivery d) {
        JsonArray attempts = new JsonArray();
        for (Attempt a : d.attempts()) {
            attempts.add(new JsonObject()
                    .put("attempt", a.attempt())
                    .put("at", iso(a.at()))
                    .put("status_code", a.statusCode())
                    .put("latency_ms", a.latencyMs())
                    .put("error", a.error())
                    .put("outcome", a.outcome().name().toLowerCase(Locale.ROOT)));
        }
        DeliveryStatus status = d.status();
        JsonObject json = new JsonObject()
                .put("notification_id", d.notificationId())
                .put("alert_id", d.alertId())
                .put("status", status.apiName())
                .put("callback_url", d.callbackUrl())
                .put("fired_at", iso(d.firedAt()))
                .put("attempts", attempts)
                .put("next_attempt_at", iso(d.nextAttemptAt()))
                .put("replayable", status.replayable() && d.notification() != null);
        if (d.replayRequestedAt() != null) {
            json.put("replay_requested_at", iso(d.replayRequestedAt()));
        }
        return json;
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }

    /** 202 with VideoDB's envelope: the request is durably queued, not yet carried out. */
    static void accepted(RoutingContext ctx, JsonObject data) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("success", true).put("data", data).encode());
    }
}
