package dev.vigil.api.deliveries;

import dev.vigil.api.http.ApiError;
import dev.vigil.api.http.QueryParams;
import dev.vigil.api.resources.AlertResource;
import dev.vigil.api.resources.ApiContext;
import dev.vigil.common.ids.Ids;
import dev.vigil.schemas.control.AlertBinding;
import dev.vigil.schemas.control.AlertStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Webhook deliveries of an alert (extension of VideoDB's API), under the alert's own path so tenant
 * isolation is the alert's: another collection's alert is a 404 with the same envelope.
 * <ul>
 *   <li>{@code GET /rtstream/{rid}/index/{iid}/alert/{aid}/deliveries?page&page_size&status} — the
 *       notifications sent to the alert's webhook, newest first, with their attempts;</li>
 *   <li>{@code POST …/deliveries/{notification_id}/replay} — 202 once the replay request is in Kafka
 *       ({@link ReplayWriter}); the dispatcher then delivers it again with the same {@code webhook-id}.</li>
 * </ul>
 * Reads pass the control view's barrier (the alert) and the delivery log's ({@link DeliveryLog#sync}).
 */
public final class DeliveryResource {

    static final int DEFAULT_PAGE_SIZE = 100;
    static final int MAX_PAGE_SIZE = 1000;
    private static final String BASE = "/rtstream/:rid/index/:iid/alert/:aid/deliveries";
    private static final String STATUSES = Arrays.stream(DeliveryStatus.values()).map(DeliveryStatus::apiName)
            .collect(Collectors.toCollection(TreeSet::new)).toString();

    private final ApiContext api;
    private final DeliveryLog deliveries;
    private final ReplayWriter replays;

    /** {@code deliveries} and {@code replays} may be null when only the routes are wanted (the OpenAPI check). */
    public DeliveryResource(ApiContext api, DeliveryLog deliveries, ReplayWriter replays) {
        this.api = api;
        this.deliveries = deliveries;
        this.replays = replays;
    }

    public void mount(Router router) {
        router.get(BASE).handler(ctx -> ApiContext.guarded(ctx, this::handleList));
        router.post(BASE + "/:nid/replay").handler(ctx -> ApiContext.guarded(ctx, this::handleReplay));
    }

    private void handleList(RoutingContext ctx) {
        int page = QueryParams.integer(ctx, "page", 1, 1, 1_000_000);
        int pageSize = QueryParams.integer(ctx, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        DeliveryStatus status = statusFilter(ctx);
        ApiContext.respond(ctx, ownedAlertSynced(ctx), alert -> {
            List<Delivery> matching = deliveries.deliveries(alert.getId()).stream()
                    .filter(d -> status == null || d.status() == status)
                    .toList();
            JsonArray items = new JsonArray();
            long from = (long) (page - 1) * pageSize;
            matching.stream().skip(from).limit(pageSize).forEach(d -> items.add(DeliveryJson.delivery(d)));
            return new JsonObject()
                    .put("alert_id", alert.getId())
                    .put("deliveries", items)
                    .put("page", page)
                    .put("page_size", pageSize)
                    .put("total", matching.size());
        }, false);
    }

    private void handleReplay(RoutingContext ctx) {
        String nid = ctx.pathParam("nid");
        if (!Ids.isNotificationId(nid)) {
            throw ApiError.badRequest("path segment notification_id is not a notification id (ntf-<uuid>, the webhook-id header)");
        }
        Future<JsonObject> done = ownedAlertSynced(ctx).compose(alert -> {
            Delivery delivery = deliveries.deliveries(alert.getId()).stream()
                    .filter(d -> d.notificationId().equals(nid))
                    .findFirst()
                    .orElseThrow(() -> ApiError.notFound("notification", nid));
            if (alert.getStatus() == AlertStatus.DISABLED) {
                throw ApiError.conflict("alert " + alert.getId() + " is disabled"
                        + (alert.getDisabledReason() == null ? "" : " (" + alert.getDisabledReason() + ")")
                        + "; enable it (PATCH …/alert/" + alert.getId() + "/status) before replaying");
            }
            DeliveryStatus status = delivery.status();
            if (!status.replayable()) {
                throw ApiError.conflict("notification " + nid + " is " + status.apiName()
                        + "; only delivered, dead or disabled notifications can be replayed");
            }
            if (delivery.notification() == null) {
                throw ApiError.conflict("notification " + nid + " can no longer be replayed: its content is past "
                        + "the retention of the alerts.fired and webhooks.dead topics");
            }
            CompletableFuture<ReplayWriter.Requested> written = replays.request(delivery.notification())
                    .thenCompose(r -> shownByThisInstance(r.metadata()).thenApply(v -> r));
            return fromKafka(ctx, written).map(r -> new JsonObject()
                    .put("notification_id", nid)
                    .put("alert_id", alert.getId())
                    .put("status", DeliveryStatus.REPLAY_REQUESTED.apiName())
                    .put("requested_at", r.at().toString()));
        });
        done.onSuccess(data -> DeliveryJson.accepted(ctx, data)).onFailure(ctx::fail);
    }

    /**
     * Best effort: so this instance lists the replay as requested from the next read on, even without
     * the read barrier. The request is answered once Kafka has it, waiting for the log at most the
     * request timeout.
     */
    private CompletableFuture<Void> shownByThisInstance(RecordMetadata md) {
        return deliveries.awaitPositions(Map.of(new TopicPartition(md.topic(), md.partition()), md.offset() + 1))
                .completeOnTimeout(null, api.config().requestTimeout().toMillis() / 2, TimeUnit.MILLISECONDS)
                .exceptionally(e -> null);
    }

    /** The caller's alert (404 otherwise), once the delivery log has caught up with its records. */
    private Future<AlertBinding> ownedAlertSynced(RoutingContext ctx) {
        return api.beforeRead().compose(v -> {
            AlertBinding alert = AlertResource.ownedAlert(api, ctx);
            if (!deliveries.loaded()) {
                // Checked after the alert: another tenant's alert stays a 404 whatever the log's state.
                throw new ApiError(503, "unavailable", "the webhook delivery log is still loading from Kafka; retry shortly");
            }
            return fromKafka(ctx, deliveries.sync(alert.getId())).map(x -> alert);
        });
    }

    /** Kafka's completion, bounded by the request timeout, completed on the request's event loop. */
    private <T> Future<T> fromKafka(RoutingContext ctx, CompletableFuture<T> stage) {
        CompletableFuture<T> bounded = stage.orTimeout(api.config().requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return Future.fromCompletionStage(bounded, ctx.vertx().getOrCreateContext()).recover(e -> Future.failedFuture(unavailable(e)));
    }

    /** Kafka trouble becomes a 503 the client can retry, as in the other resources. */
    private static Throwable unavailable(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof TimeoutException || cause instanceof KafkaException) {
            return new ApiError(503, "unavailable", "Kafka did not answer in time; retry later");
        }
        return cause;
    }

    private static DeliveryStatus statusFilter(RoutingContext ctx) {
        String raw = QueryParams.string(ctx, "status");
        if (raw == null) {
            return null;
        }
        for (DeliveryStatus s : DeliveryStatus.values()) {
            if (s.apiName().equalsIgnoreCase(raw)) {
                return s;
            }
        }
        throw ApiError.badRequest("query parameter 'status' must be one of " + STATUSES);
    }
}
