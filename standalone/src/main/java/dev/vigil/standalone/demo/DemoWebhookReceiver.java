package dev.vigil.standalone.demo;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's webhook endpoint, what a user's receiver would do: {@code POST /demo/webhook} checks the
 * Standard Webhooks signature with the alert's secret (401 when it does not verify) and keeps the
 * last alerts it accepted, which {@code GET /demo/webhooks} lists for the dashboard and the tests.
 * Thread-safe; its handlers run on the event loop and do only in-memory work.
 */
public final class DemoWebhookReceiver {

    public static final String PATH = "/demo/webhook";
    public static final String LIST_PATH = "/demo/webhooks";
    private static final Logger log = LoggerFactory.getLogger(DemoWebhookReceiver.class);
    private static final int KEEP = 50;
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final AtomicReference<String> secret = new AtomicReference<>();
    private final Deque<JsonObject> received = new ArrayDeque<>();
    private final AtomicLong verified = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    /** The alert secret to verify with; set once the alert exists (its creation returns it). */
    public void secret(String whsec) {
        secret.set(whsec);
    }

    public void mount(Router router) {
        router.post(PATH).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES)).handler(this::receive);
        router.get(LIST_PATH).handler(this::list);
    }

    private void receive(RoutingContext ctx) {
        String body = ctx.body().asString();
        String whsec = secret.get();
        Map<String, List<String>> headers = Map.of(
                "webhook-id", ctx.request().headers().getAll("webhook-id"),
                "webhook-timestamp", ctx.request().headers().getAll("webhook-timestamp"),
                "webhook-signature", ctx.request().headers().getAll("webhook-signature"));
        try {
            if (whsec == null) {
                throw new WebhookVerificationException("no alert secret yet");
            }
            new Webhook(whsec).verify(body == null ? "" : body, headers);
        } catch (WebhookVerificationException e) {
            rejected.incrementAndGet();
            log.warn("Demo webhook receiver rejected a request: {}", e.getMessage());
            ctx.response().setStatusCode(401).end();
            return;
        }
        JsonObject alert;
        try {
            alert = new JsonObject(body);
        } catch (RuntimeException e) {
            ctx.response().setStatusCode(400).end();
            return;
        }
        verified.incrementAndGet();
        JsonObject entry = new JsonObject().put("received_at", System.currentTimeMillis())
                .put("webhook_id", ctx.request().getHeader("webhook-id")).put("verified", true).put("payload", alert);
        synchronized (received) {
            received.addFirst(entry);
            while (received.size() > KEEP) {
                received.removeLast();
            }
        }
        log.info("Webhook received and verified: {} \"{}\" on {}", alert.getString("label"),
                alert.getJsonObject("data", new JsonObject()).getString("text"), alert.getString("rtstream_name"));
        ctx.response().setStatusCode(204).end();
    }

    private void list(RoutingContext ctx) {
        JsonArray items;
        synchronized (received) {
            items = new JsonArray(List.copyOf(received));
        }
        ctx.json(new JsonObject().put("success", true).put("data", new JsonObject()
                .put("verified", verified.get()).put("rejected", rejected.get()).put("webhooks", items)));
    }

    public long verifiedCount() {
        return verified.get();
    }
}
