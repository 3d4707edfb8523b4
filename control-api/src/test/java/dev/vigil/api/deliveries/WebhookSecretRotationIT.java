package dev.vigil.api.deliveries;

import static dev.vigil.api.deliveries.DeliveryTableTest.notification;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import dev.vigil.api.deliveries.DeliveriesHarness.CreatedAlert;
import dev.vigil.api.deliveries.DeliveriesHarness.Reply;
import dev.vigil.common.ops.MeterRegistries;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.Eventually;
import dev.vigil.testkit.TestKafka;
import dev.vigil.testkit.TestSecrets;
import dev.vigil.webhooks.WebhookDispatcherConfig;
import dev.vigil.webhooks.WebhookDispatcherService;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Webhook secrets at rest and their rotation, with the real dispatcher: {@code vigil.alerts} never
 * holds a secret in plaintext; after a rotation both the old and the new secret verify the webhooks
 * until the grace period ends, then only the new one.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class WebhookSecretRotationIT {

    private record Received(Map<String, List<String>> headers, String body) {
    }

    @Test
    void secretsAreSealedAtRestAndARotatedSecretSignsBesideTheNewOneForItsGrace(TestKafka kafka) throws Exception {
        Vertx receiverVertx = Vertx.vertx();
        List<Received> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = receiverVertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            req.headers().forEach(h -> headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue()));
            received.add(new Received(headers, body.toString()));
            req.response().setStatusCode(204).end();
        })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        String callback = "http://127.0.0.1:" + receiver.actualPort() + "/hook";

        Vertx dispatcherVertx = Vertx.vertx();
        WebhookDispatcherService dispatcher = null;
        try (DeliveriesHarness api = DeliveriesHarness.start(kafka, Map.of("VIGIL_API_ALLOW_PRIVATE_CALLBACKS", "true"))) {
            dispatcher = new WebhookDispatcherService(dispatcherVertx, api.common, WebhookDispatcherConfig.fromEnv(Map.of(
                    "VIGIL_SECRETS_KEYS", TestSecrets.KEYS, "VIGIL_WEBHOOK_ALLOW_PRIVATE_CALLBACKS", "true")),
                    MeterRegistries.prometheus("it"));
            dispatcher.start();
            CreatedAlert alert = api.createAlert(callback);
            String first = alert.secret();
            assertThat(first).startsWith("whsec_");

            // At rest: the alert's record holds no trace of the plaintext secret.
            List<ConsumerRecord<byte[], byte[]>> records = kafka.consumeRaw(Topics.ALERTS.name(api.prefix), 1,
                    Duration.ofSeconds(30));
            String onTopic = new String(records.get(0).value(), StandardCharsets.ISO_8859_1);
            assertThat(onTopic).doesNotContain(first).doesNotContain(first.substring("whsec_".length()));

            Reply rotated = api.alpha(HttpMethod.POST, alert.path() + "/secret", new JsonObject().put("grace_s", 3600));
            assertThat(rotated.status()).as(rotated.raw()).isEqualTo(200);
            String second = rotated.data().getString("webhook_secret");
            assertThat(second).startsWith("whsec_").isNotEqualTo(first);
            assertThat(rotated.data().getDouble("previous_secret_valid_until"))
                    .isGreaterThan(Instant.now().plusSeconds(3000).getEpochSecond());

            // Inside the grace: a receiver holding either secret verifies.
            // The dispatcher learns of the rotation from vigil.alerts: fire until a webhook carries it.
            Received during = deliverUntilVerified(kafka, api, alert, callback, "during", second, received);
            new Webhook(first).verify(during.body(), during.headers());
            new Webhook(second).verify(during.body(), during.headers());

            // Rotated again without grace: only the newest secret signs.
            Reply again = api.alpha(HttpMethod.POST, alert.path() + "/secret", new JsonObject().put("grace_s", 0));
            assertThat(again.status()).as(again.raw()).isEqualTo(200);
            String third = again.data().getString("webhook_secret");
            Received after = deliverUntilVerified(kafka, api, alert, callback, "after", third, received);
            assertThatThrownBy(() -> new Webhook(second).verify(after.body(), after.headers()))
                    .isInstanceOf(WebhookVerificationException.class);
            assertThatThrownBy(() -> new Webhook(first).verify(after.body(), after.headers()))
                    .isInstanceOf(WebhookVerificationException.class);

            // Another tenant's alert is not found; a bad grace is named.
            assertThat(api.beta(HttpMethod.POST, alert.path() + "/secret", new JsonObject()).status()).isEqualTo(404);
            Reply bad = api.alpha(HttpMethod.POST, alert.path() + "/secret", new JsonObject().put("grace_s", -1));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.raw()).contains("grace_s");
        } finally {
            if (dispatcher != null) {
                dispatcher.close();
            }
            dispatcherVertx.close().await(10, TimeUnit.SECONDS);
            receiverVertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    /** Fires notifications of {@code alert} until the receiver gets one that {@code secret} verifies. */
    private static Received deliverUntilVerified(TestKafka kafka, DeliveriesHarness api, CreatedAlert alert,
            String callback, String keyPrefix, String secret, List<Received> received) {
        for (int i = 0; i < 50; i++) {
            AlertNotification n = notification(alert.aid(), keyPrefix + i, Instant.now(), callback);
            kafka.send(api.prefix, Topics.ALERTS_FIRED, alert.aid(), n);
            Received r = Eventually.await().until(() -> received.stream()
                    .filter(x -> n.getId().equals(first(x.headers(), "webhook-id"))).findFirst().orElse(null),
                    x -> x != null);
            try {
                new Webhook(secret).verify(r.body(), r.headers());
                return r;
            } catch (WebhookVerificationException notYet) {
                // signed before the dispatcher read the rotated alert; the next one will carry it
            }
        }
        throw new AssertionError("no webhook of 50 verified with the rotated secret");
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
