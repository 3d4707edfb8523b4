package dev.vigil.api.deliveries;

import static dev.vigil.api.deliveries.DeliveryTableTest.notification;
import static org.assertj.core.api.Assertions.assertThat;

import com.standardwebhooks.Webhook;
import dev.vigil.api.deliveries.DeliveriesHarness.CreatedAlert;
import dev.vigil.api.deliveries.DeliveriesHarness.Reply;
import dev.vigil.common.ops.MeterRegistries;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.Eventually;
import dev.vigil.testkit.TestKafka;
import dev.vigil.webhooks.WebhookDispatcherConfig;
import dev.vigil.webhooks.WebhookDispatcherService;
import dev.vigil.testkit.TestSecrets;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * End to end with the real webhook dispatcher: a receiver refuses a notification (dead-lettered at
 * once), the delivery log shows it dead, the receiver is fixed, a replay through the API delivers the
 * same notification again — same {@code webhook-id}, validly signed — and the log shows it delivered.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class ReplayDeliversAgainIT {

    /** A webhook endpoint answering {@code status}; keeps what it received. */
    private record Received(String webhookId, Map<String, List<String>> headers, String body) {
    }

    @Test
    void aReplayedDeadNotificationIsDeliveredAgainWithTheSameWebhookId(TestKafka kafka) throws Exception {
        Vertx receiverVertx = Vertx.vertx();
        AtomicInteger status = new AtomicInteger(400);
        List<Received> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = receiverVertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            req.headers().forEach(h -> headers.computeIfAbsent(h.getKey(), k -> new java.util.ArrayList<>()).add(h.getValue()));
            received.add(new Received(req.getHeader("webhook-id"), headers, body.toString()));
            req.response().setStatusCode(status.get()).end();
        })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        String callback = "http://127.0.0.1:" + receiver.actualPort() + "/hook";

        Vertx dispatcherVertx = Vertx.vertx();
        WebhookDispatcherService dispatcher = null;
        try (DeliveriesHarness api = DeliveriesHarness.start(kafka, Map.of("VIGIL_API_ALLOW_PRIVATE_CALLBACKS", "true"))) {
            dispatcher = new WebhookDispatcherService(dispatcherVertx, api.common, WebhookDispatcherConfig.fromEnv(Map.of(
                    "VIGIL_SECRETS_KEYS", TestSecrets.KEYS,
                    "VIGIL_WEBHOOK_ALLOW_PRIVATE_CALLBACKS", "true",
                    "VIGIL_WEBHOOK_RETRY_SCHEDULE", "200ms,400ms")), MeterRegistries.prometheus("it"));
            dispatcher.start();
            CreatedAlert alert = api.createAlert(callback);
            AlertNotification n = notification(alert.aid(), "r1", Instant.now(), callback);
            kafka.send(api.prefix, Topics.ALERTS_FIRED, alert.aid(), n);

            // 400: the receiver refused it; dead-lettered at once.
            Eventually.await().untilAsserted(() -> {
                JsonObject d = only(api.alpha(HttpMethod.GET, alert.deliveries(), null));
                assertThat(d.getString("status")).isEqualTo("dead");
                assertThat(d.getJsonArray("attempts").getJsonObject(0).getInteger("status_code")).isEqualTo(400);
            });

            status.set(200);
            Reply replay = api.alpha(HttpMethod.POST, alert.replay(n.getId()), null);
            assertThat(replay.status()).as(replay.raw()).isEqualTo(202);

            Eventually.await().untilAsserted(() -> {
                JsonObject d = only(api.alpha(HttpMethod.GET, alert.deliveries(), null));
                assertThat(d.getString("status")).isEqualTo("delivered");
                assertThat(d.getJsonArray("attempts").stream().map(a -> ((JsonObject) a).getInteger("status_code")))
                        .containsExactly(400, 200);
            });
            assertThat(received).extracting(Received::webhookId).containsExactly(n.getId(), n.getId());
            Received again = received.get(1);
            // Throws if the signature does not verify with the alert's secret.
            new Webhook(alert.secret()).verify(again.body(), again.headers());
            assertThat(new JsonObject(again.body()).getString("id")).isEqualTo(n.getId());
        } finally {
            if (dispatcher != null) {
                dispatcher.close();
            }
            dispatcherVertx.close().await(10, TimeUnit.SECONDS);
            receiverVertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    private static JsonObject only(Reply reply) {
        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
        assertThat(reply.deliveries()).hasSize(1);
        return reply.deliveries().getJsonObject(0);
    }
}
