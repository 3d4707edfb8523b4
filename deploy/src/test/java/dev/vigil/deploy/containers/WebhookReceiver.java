package dev.vigil.deploy.containers;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * A user's webhook endpoint ({@code POST /webhook}): verifies each delivery's Standard Webhooks
 * signature with the alert's secret (401 otherwise), counts deliveries per notification id (so
 * duplicates show) and keeps the accepted ones with their arrival time.
 */
public final class WebhookReceiver {

    /** One accepted delivery. */
    public record Delivery(String notificationId, Instant receivedAt, JsonObject payload) {
    }

    private final AtomicReference<String> secret = new AtomicReference<>();
    private final Map<String, Integer> deliveriesById = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Delivery> accepted = new ConcurrentLinkedQueue<>();
    private final AtomicLong rejected = new AtomicLong();

    /** The alert's secret ({@code whsec_…}, returned once when the alert is created). */
    public void secret(String whsec) {
        secret.set(whsec);
    }

    void mount(Router router) {
        router.post("/webhook").handler(BodyHandler.create(false).setBodyLimit(64 * 1024)).handler(this::receive);
    }

    private void receive(RoutingContext ctx) {
        String body = ctx.body().asString();
        Map<String, List<String>> headers = Map.of(
                "webhook-id", ctx.request().headers().getAll("webhook-id"),
                "webhook-timestamp", ctx.request().headers().getAll("webhook-timestamp"),
                "webhook-signature", ctx.request().headers().getAll("webhook-signature"));
        try {
            String whsec = secret.get();
            if (whsec == null) {
                throw new WebhookVerificationException("no secret yet");
            }
            new Webhook(whsec).verify(body == null ? "" : body, headers);
        } catch (WebhookVerificationException e) {
            rejected.incrementAndGet();
            ctx.response().setStatusCode(401).end();
            return;
        }
        String id = ctx.request().getHeader("webhook-id");
        deliveriesById.merge(id, 1, Integer::sum);
        accepted.add(new Delivery(id, Instant.now(), new JsonObject(body)));
        ctx.response().setStatusCode(204).end();
    }

    public List<Delivery> accepted() {
        return List.copyOf(accepted);
    }

    /** Distinct notifications received. */
    public Set<String> notificationIds() {
        return Set.copyOf(deliveriesById.keySet());
    }

    /** Deliveries beyond the first of each notification (at-least-once redeliveries). */
    public int duplicates() {
        return deliveriesById.values().stream().mapToInt(n -> n - 1).sum();
    }

    public long rejected() {
        return rejected.get();
    }

    /** Notifications that arrived after {@code instant}. */
    public List<Delivery> after(Instant instant) {
        return accepted.stream().filter(d -> d.receivedAt().isAfter(instant)).collect(Collectors.toList());
    }
}
