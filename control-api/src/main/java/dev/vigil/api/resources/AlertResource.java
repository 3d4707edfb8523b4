package dev.vigil.api.resources;

import dev.vigil.api.http.ApiError;
import dev.vigil.api.http.JsonBody;
import dev.vigil.api.quota.Quota;
import dev.vigil.common.ids.Ids;
import dev.vigil.common.net.CallbackUrlException;
import dev.vigil.common.secrets.SecretBox;
import dev.vigil.common.secrets.WebhookSecrets;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.AlertBinding;
import dev.vigil.schemas.control.AlertStatus;
import dev.vigil.schemas.control.EventRule;
import dev.vigil.schemas.control.IndexSpec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerts of an index ({@code /rtstream/{rid}/index/{iid}/alert}): wiring of an event to the index
 * with its delivery targets. The webhook signing secret is returned once, at creation. Callback URLs
 * pass the SSRF guard (http(s) only; no loopback/private/link-local targets unless allowed).
 */
public final class AlertResource {

    static final int DEFAULT_COOLDOWN_S = 60;
    static final int DEFAULT_SECRET_GRACE_S = 86_400;
    static final int MAX_SECRET_GRACE_S = 30 * 86_400;
    private static final Logger log = LoggerFactory.getLogger(AlertResource.class);
    private static final String BASE = "/rtstream/:rid/index/:iid/alert";

    private final ApiContext api;

    public AlertResource(ApiContext api) {
        this.api = api;
    }

    public void mount(Router router) {
        router.post(BASE).handler(ctx -> ApiContext.guarded(ctx, this::handleCreate));
        router.get(BASE).handler(ctx -> ApiContext.guarded(ctx, this::handleList));
        router.get(BASE + "/:aid").handler(ctx -> ApiContext.guarded(ctx, this::handleGet));
        router.patch(BASE + "/:aid/status").handler(ctx -> ApiContext.guarded(ctx, this::handleStatus));
        router.delete(BASE + "/:aid").handler(ctx -> ApiContext.guarded(ctx, this::handleDelete));
        router.post(BASE + "/:aid/secret").handler(ctx -> ApiContext.guarded(ctx, this::handleRotateSecret));
    }

    /** The caller's alert named by the path ({@code rid}, {@code iid}, {@code aid}); 404 otherwise (also for another tenant's). */
    public static AlertBinding ownedAlert(ApiContext api, RoutingContext ctx) {
        IndexSpec index = IndexResource.ownedIndex(api, ctx);
        String aid = ctx.pathParam("aid");
        AlertBinding alert = Ids.isShortId(aid) ? api.view().alert(aid) : null;
        if (alert == null || !alert.getIndexId().equals(index.getId())) {
            throw ApiError.notFound("alert", aid);
        }
        return alert;
    }

    private void handleCreate(RoutingContext ctx) {
        JsonBody body = JsonBody.of(ctx);
        String eventId = body.string("event_id", true, 64);
        String callbackUrl = body.string("callback_url", false, 2048);
        String wsConnection = body.has("ws_connection_id") ? body.string("ws_connection_id", false, 64)
                : body.string("socket_id", false, 64);
        Integer cooldown = body.integer("cooldown_s", DEFAULT_COOLDOWN_S, 0, 86_400);
        if (wsConnection != null && !Ids.isConnectionId(wsConnection)) {
            body.reject("ws_connection_id", "is not a connection id from the WebSocket's first frame");
        }
        URI callback = null;
        if (callbackUrl != null && !callbackUrl.isBlank()) {
            try {
                callback = api.callbacks().checkSyntax(callbackUrl);
            } catch (CallbackUrlException e) {
                body.reject("callback_url", withoutFieldName(e));
            }
        }
        body.validate();
        URI checkedSyntax = callback;
        // Resolving the host blocks: off the event loop.
        Future<Void> resolved = checkedSyntax == null ? Future.succeededFuture() : api.blocking(() -> {
            try {
                api.callbacks().checkResolved(checkedSyntax);
                return null;
            } catch (CallbackUrlException e) {
                throw ApiError.badRequest("field 'callback_url' " + withoutFieldName(e));
            }
        });
        String[] secret = new String[1];
        Future<AlertBinding> written = resolved.compose(v -> api.beforeRead()).compose(v -> {
            IndexSpec index = IndexResource.ownedIndex(api, ctx);
            AlertReach.requireCanFire(EventResource.ownedEvent(api, api.tenant(ctx), eventId), index);
            api.quotas().checkRoomFor(Quota.ALERTS, index.getCollectionId());
            Instant now = api.clock().instant();
            String id = Ids.shortId();
            secret[0] = checkedSyntax == null ? null : Ids.webhookSecret();
            AlertBinding alert = AlertBinding.newBuilder()
                    .setId(id)
                    .setCollectionId(index.getCollectionId())
                    .setRtstreamId(index.getRtstreamId())
                    .setIndexId(index.getId())
                    .setEventId(eventId)
                    .setCallbackUrl(checkedSyntax == null ? null : checkedSyntax.toString())
                    .setWsConnectionId(wsConnection)
                    .setStatus(AlertStatus.ENABLED)
                    .setCooldownS(cooldown)
                    // Sealed: vigil.alerts never holds the plaintext; the caller sees it once, below.
                    .setWebhookSecrets(secret[0] == null ? List.of() : api.webhookSecrets().initial(id, secret[0]))
                    .setCreatedAt(now)
                    .setUpdatedAt(now)
                    .build();
            return api.write(Topics.ALERTS, alert.getId(), alert).map(x -> alert);
        });
        ApiContext.respond(ctx, written, alert -> ApiJson.alert(alert, api.view().event(alert.getEventId()))
                .put("webhook_secret", secret[0]), true);
    }

    /** The policy's messages start with the field name, which the 400 names already. */
    private static String withoutFieldName(CallbackUrlException e) {
        return e.getMessage().replaceFirst("^callback_url ", "");
    }

    private void handleList(RoutingContext ctx) {
        ApiContext.respond(ctx, api.beforeRead(), v -> {
            IndexSpec index = IndexResource.ownedIndex(api, ctx);
            JsonArray alerts = new JsonArray();
            api.view().alerts().stream()
                    .filter(a -> a.getIndexId().equals(index.getId()))
                    .sorted(Comparator.comparing(AlertBinding::getCreatedAt))
                    .forEach(a -> alerts.add(ApiJson.alert(a, api.view().event(a.getEventId()))));
            return new JsonObject().put("alerts", alerts);
        }, false);
    }

    private void handleGet(RoutingContext ctx) {
        ApiContext.respond(ctx, api.beforeRead(), v -> {
            AlertBinding alert = ownedAlert(api, ctx);
            return ApiJson.alert(alert, api.view().event(alert.getEventId()));
        }, false);
    }

    /** Accepts the SDKs' {@code {"action":"enable"|"disable"}} and the docs' {@code {"status":"enabled"|"disabled"}}. */
    private void handleStatus(RoutingContext ctx) {
        JsonBody body = JsonBody.of(ctx);
        String action = body.choice("action", Set.of("enable", "disable"), null);
        String status = body.choice("status", Set.of("enabled", "disabled"), null);
        if (action == null && status == null && !body.has("action") && !body.has("status")) {
            body.reject("action", "is required: enable or disable (or 'status': enabled or disabled)");
        }
        if (action != null && status != null && !(action + "d").equals(status)) {
            body.reject("status", "contradicts 'action'");
        }
        body.validate();
        boolean enable = action != null ? "enable".equals(action) : "enabled".equals(status);
        Future<AlertBinding> written = api.beforeRead().compose(v -> {
            AlertBinding.Builder builder = AlertBinding.newBuilder(ownedAlert(api, ctx))
                    .setStatus(enable ? AlertStatus.ENABLED : AlertStatus.DISABLED)
                    .setUpdatedAt(api.clock().instant());
            if (enable) {
                builder.setDisabledReason(null);
            } else {
                builder.setDisabledReason("disabled by the user");
            }
            AlertBinding updated = resealed(builder.build());
            return api.write(Topics.ALERTS, updated.getId(), updated).map(x -> updated);
        });
        ApiContext.respond(ctx, written, alert -> {
            EventRule event = api.view().event(alert.getEventId());
            return ApiJson.alert(alert, event);
        }, false);
    }

    /**
     * Rotates the alert's webhook signing secret (extension): answers the new secret once; the previous
     * one keeps signing beside it for {@code grace_s} seconds (default a day), so receivers can switch
     * without losing a webhook — Standard Webhooks verifiers accept any of the listed signatures.
     */
    private void handleRotateSecret(RoutingContext ctx) {
        JsonBody body = JsonBody.of(ctx);
        Integer grace = body.integer("grace_s", DEFAULT_SECRET_GRACE_S, 0, MAX_SECRET_GRACE_S);
        body.validate();
        String secret = Ids.webhookSecret();
        Future<AlertBinding> written = api.beforeRead().compose(v -> {
            AlertBinding alert = ownedAlert(api, ctx);
            if (alert.getCallbackUrl() == null || !WebhookSecrets.hasSecret(alert)) {
                throw ApiError.conflict("alert " + alert.getId() + " has no callback_url, so no webhook secret to rotate");
            }
            Instant now = api.clock().instant();
            AlertBinding rotated;
            try {
                rotated = api.webhookSecrets().rotate(alert, secret, now, Duration.ofSeconds(grace));
            } catch (SecretBox.UnsealException e) {
                // The previous secret cannot sign any more (its key was removed): replace it outright.
                log.warn("Alert {}: previous webhook secret not kept through rotation: {}", alert.getId(), e.getMessage());
                rotated = AlertBinding.newBuilder(alert).setWebhookSecret(null)
                        .setWebhookSecrets(api.webhookSecrets().initial(alert.getId(), secret)).build();
            }
            AlertBinding updated = AlertBinding.newBuilder(rotated).setUpdatedAt(now).build();
            return api.write(Topics.ALERTS, updated.getId(), updated).map(x -> updated);
        });
        ApiContext.respond(ctx, written, alert -> new JsonObject()
                .put("alert_id", alert.getId())
                .put("webhook_secret", secret)
                .put("previous_secret_valid_until", alert.getWebhookSecrets().size() > 1
                        ? alert.getWebhookSecrets().get(1).getRetiresAt() / 1000.0 : null), false);
    }

    /** Secrets sealed again with the active key on every rewrite; left as they are if they cannot be opened. */
    private AlertBinding resealed(AlertBinding alert) {
        if (!WebhookSecrets.hasSecret(alert)) {
            return alert;
        }
        try {
            return api.webhookSecrets().reseal(alert, api.clock().instant());
        } catch (SecretBox.UnsealException e) {
            log.warn("Alert {}: webhook secret kept as it is: {}", alert.getId(), e.getMessage());
            return alert;
        }
    }

    private void handleDelete(RoutingContext ctx) {
        Future<JsonObject> done = api.beforeRead().compose(v -> {
            AlertBinding alert = ownedAlert(api, ctx);
            return api.write(Topics.ALERTS, alert.getId(), null)
                    .map(x -> new JsonObject().put("alert_id", alert.getId()).put("deleted", true));
        });
        ApiContext.respond(ctx, done, json -> json, false);
    }
}
