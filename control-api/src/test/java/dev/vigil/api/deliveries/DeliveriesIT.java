package dev.vigil.api.deliveries;

import static dev.vigil.api.deliveries.DeliveryTableTest.attempt;
import static dev.vigil.api.deliveries.DeliveryTableTest.notification;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.deliveries.DeliveriesHarness.CreatedAlert;
import dev.vigil.api.deliveries.DeliveriesHarness.Reply;
import dev.vigil.common.ids.Ids;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.alerts.DeliveryOutcome;
import dev.vigil.schemas.alerts.WebhookDelivery;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.TestKafka;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The delivery endpoints over real HTTP against the real broker, fed with the records the webhook
 * dispatcher writes ({@code webhooks.attempts}, {@code webhooks.dead}) and the alert router writes
 * ({@code alerts.fired}). Every read follows the writes without waiting: the delivery log's read
 * barrier makes them visible.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeliveriesIT {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DeliveriesIT.class);

    private static final String CALLBACK = "https://hooks.example.com/vigil";

    private TestKafka kafka;
    private DeliveriesHarness api;

    @BeforeAll
    void start(TestKafka testKafka) throws Exception {
        kafka = testKafka;
        api = DeliveriesHarness.start(kafka, Map.of());
    }

    @AfterAll
    void stop() throws Exception {
        api.close();
    }

    /** Three notifications as the dispatcher leaves them: delivered after a retry, dead-lettered, retrying. */
    private record Story(CreatedAlert alert, AlertNotification delivered, AlertNotification dead, AlertNotification retrying) {
    }

    private Story story() {
        CreatedAlert alert = api.createAlert(CALLBACK);
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(60);
        AlertNotification delivered = fire(alert, "r1", t0);
        AlertNotification dead = fire(alert, "r2", t0.plusSeconds(10));
        AlertNotification retrying = fire(alert, "r3", t0.plusSeconds(20));
        log(attempt(delivered, 1, t0.plusMillis(40), 503, "HTTP 503 Service Unavailable", DeliveryOutcome.RETRY_SCHEDULED,
                t0.plusSeconds(5)));
        log(attempt(delivered, 2, t0.plusSeconds(5), 200, null, DeliveryOutcome.DELIVERED, null));
        log(attempt(dead, 1, t0.plusSeconds(10).plusMillis(30), 404,
                "HTTP 404 Not Found: the endpoint refused the request; only 408, 425, 429 and 5xx are retried",
                DeliveryOutcome.DEAD_LETTERED, null));
        kafka.send(api.prefix, Topics.WEBHOOK_DEAD, alert.aid(), WebhookDelivery.newBuilder().setNotification(dead)
                .setAttempts(1).setFirstAttemptAt(t0.plusSeconds(10).plusMillis(30)).setDueAt(t0.plusSeconds(10).plusMillis(31))
                .setLastStatus(404).setLastError("HTTP 404 Not Found").build());
        log(attempt(retrying, 1, t0.plusSeconds(20).plusMillis(30), null, "connection refused",
                DeliveryOutcome.RETRY_SCHEDULED, t0.plusSeconds(25)));
        return new Story(alert, delivered, dead, retrying);
    }

    private AlertNotification fire(CreatedAlert alert, String recordKey, Instant at) {
        AlertNotification n = notification(alert.aid(), recordKey, at, CALLBACK);
        kafka.send(api.prefix, Topics.ALERTS_FIRED, alert.aid(), n);
        return n;
    }

    private void log(dev.vigil.schemas.alerts.WebhookDeliveryAttempt a) {
        kafka.send(api.prefix, Topics.WEBHOOK_ATTEMPTS, a.getAlertId(), a);
    }

    private static void assertError(Reply reply, int status, String errorCode, String... messageParts) {
        log.info("-> {} {}", reply.status(), reply.raw());
        assertThat(reply.status()).as(reply.raw()).isEqualTo(status);
        assertThat(reply.json()).as("JSON error envelope: %s", reply.raw()).isNotNull();
        assertThat(reply.json().getBoolean("success")).isFalse();
        assertThat(reply.json().getString("error_code")).isEqualTo(errorCode);
        assertThat(reply.json().getString("message")).contains(messageParts);
    }

    @Test
    void listsTheAlertsDeliveriesNewestFirstWithTheirAttempts() {
        Story s = story();
        Reply reply = api.alpha(HttpMethod.GET, s.alert().deliveries(), null);
        log.info("GET {} -> {}\n{}", s.alert().deliveries(), reply.status(), reply.json().encodePrettily());

        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
        assertThat(reply.data().getInteger("total")).isEqualTo(3);
        assertThat(reply.deliveries().stream().map(o -> ((JsonObject) o).getString("notification_id")))
                .containsExactly(s.retrying().getId(), s.dead().getId(), s.delivered().getId());
        JsonObject retrying = reply.deliveries().getJsonObject(0);
        assertThat(retrying.getString("status")).isEqualTo("retrying");
        assertThat(retrying.getString("next_attempt_at")).isNotNull();
        assertThat(retrying.getBoolean("replayable")).isFalse();
        assertThat(retrying.getJsonArray("attempts").getJsonObject(0).getString("error")).isEqualTo("connection refused");
        assertThat(retrying.getJsonArray("attempts").getJsonObject(0).getValue("status_code")).isNull();

        JsonObject dead = reply.deliveries().getJsonObject(1);
        assertThat(dead.getString("status")).isEqualTo("dead");
        assertThat(dead.getBoolean("replayable")).isTrue();
        assertThat(dead.getString("callback_url")).isEqualTo(CALLBACK);
        assertThat(dead.getString("fired_at")).isEqualTo(s.dead().getTimestamp().toString());

        JsonObject delivered = reply.deliveries().getJsonObject(2);
        assertThat(delivered.getString("status")).isEqualTo("delivered");
        assertThat(delivered.getValue("next_attempt_at")).isNull();
        assertThat(delivered.getJsonArray("attempts").stream().map(a -> ((JsonObject) a).getInteger("status_code")))
                .containsExactly(503, 200);
        JsonObject first = delivered.getJsonArray("attempts").getJsonObject(0);
        assertThat(first.getInteger("attempt")).isEqualTo(1);
        assertThat(first.getLong("latency_ms")).isEqualTo(12L);
        assertThat(first.getString("outcome")).isEqualTo("retry_scheduled");
    }

    @Test
    void filtersByStatusAndPages() {
        Story s = story();
        Reply dead = api.alpha(HttpMethod.GET, s.alert().deliveries() + "?status=dead", null);
        assertThat(dead.status()).as(dead.raw()).isEqualTo(200);
        assertThat(dead.deliveries()).hasSize(1);
        assertThat(dead.deliveries().getJsonObject(0).getString("notification_id")).isEqualTo(s.dead().getId());
        assertThat(dead.data().getInteger("total")).isEqualTo(1);

        Reply second = api.alpha(HttpMethod.GET, s.alert().deliveries() + "?page=2&page_size=2", null);
        assertThat(second.deliveries()).hasSize(1);
        assertThat(second.deliveries().getJsonObject(0).getString("notification_id")).isEqualTo(s.delivered().getId());
        assertThat(second.data().getInteger("page")).isEqualTo(2);
        assertThat(second.data().getInteger("page_size")).isEqualTo(2);
        assertThat(second.data().getInteger("total")).isEqualTo(3);

        assertThat(api.alpha(HttpMethod.GET, s.alert().deliveries() + "?page=3&page_size=2", null).deliveries()).isEmpty();
    }

    @Test
    void badQueryParametersAre400() {
        CreatedAlert alert = api.createAlert(CALLBACK);
        assertError(api.alpha(HttpMethod.GET, alert.deliveries() + "?page_size=1001", null), 400, "invalid_request",
                "page_size", "between 1 and 1000");
        assertError(api.alpha(HttpMethod.GET, alert.deliveries() + "?page=0", null), 400, "invalid_request", "page");
        assertError(api.alpha(HttpMethod.GET, alert.deliveries() + "?status=lost", null), 400, "invalid_request",
                "status", "dead");
    }

    @Test
    void replayOfADeadNotificationWritesAFreshDeliveryToTheFirstRetryTier() {
        Story s = story();
        Reply replay = api.alpha(HttpMethod.POST, s.alert().replay(s.dead().getId()), null);
        log.info("POST {} -> {}\n{}", s.alert().replay(s.dead().getId()), replay.status(), replay.json().encodePrettily());
        assertThat(replay.status()).as(replay.raw()).isEqualTo(202);
        assertThat(replay.data().getString("notification_id")).isEqualTo(s.dead().getId());
        assertThat(replay.data().getString("status")).isEqualTo("replay_requested");

        List<ConsumerRecord<String, WebhookDelivery>> tier = kafka.consume(api.prefix, Topics.WEBHOOK_RETRY_TIERS.get(0), 1,
                Duration.ofSeconds(20));
        ConsumerRecord<String, WebhookDelivery> request = tier.stream()
                .filter(r -> r.value().getNotification().getId().equals(s.dead().getId())).findFirst().orElseThrow();
        assertThat(request.key()).isEqualTo(s.alert().aid());
        assertThat(request.value().getNotification()).isEqualTo(s.dead());
        assertThat(request.value().getAttempts()).isZero();
        assertThat(request.value().getLastError()).isNull();

        JsonObject listed = api.alpha(HttpMethod.GET, s.alert().deliveries() + "?status=replay_requested", null)
                .deliveries().getJsonObject(0);
        assertThat(listed.getString("notification_id")).isEqualTo(s.dead().getId());
        assertThat(listed.getString("replay_requested_at")).isEqualTo(replay.data().getString("requested_at"));
        assertThat(listed.getBoolean("replayable")).isFalse();
        assertError(api.alpha(HttpMethod.POST, s.alert().replay(s.dead().getId()), null), 409, "conflict",
                "replay_requested");

        Reply delivered = api.alpha(HttpMethod.POST, s.alert().replay(s.delivered().getId()), null);
        assertThat(delivered.status()).as(delivered.raw()).isEqualTo(202);
    }

    @Test
    void aDeferralIsNotAReplayAndUndecodableRecordsAreSkipped() {
        CreatedAlert alert = api.createAlert(CALLBACK);
        AlertNotification n = fire(alert, "deferred", Instant.now().truncatedTo(ChronoUnit.MILLIS));
        // What the dispatcher writes when it defers a fresh notification behind a backed-up endpoint.
        kafka.send(api.prefix, Topics.WEBHOOK_RETRY_TIERS.get(0), alert.aid(), WebhookDelivery.newBuilder().setNotification(n)
                .setAttempts(0).setFirstAttemptAt(Instant.now()).setDueAt(Instant.now().plusSeconds(5))
                .setLastError("not sent: backlog at https://hooks.example.com:443").build());
        long skipped = api.service.deliveries().skippedRecords();
        kafka.sendRaw(Topics.WEBHOOK_ATTEMPTS.name(api.prefix), alert.aid().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                new byte[] {1, 2, 3});

        Reply reply = api.alpha(HttpMethod.GET, alert.deliveries(), null);
        assertThat(reply.deliveries()).hasSize(1);
        assertThat(reply.deliveries().getJsonObject(0).getString("status")).isEqualTo("pending");
        assertThat(api.service.deliveries().skippedRecords()).isEqualTo(skipped + 1);
    }

    @Test
    void aNotificationStillRetryingCannotBeReplayed() {
        Story s = story();
        assertError(api.alpha(HttpMethod.POST, s.alert().replay(s.retrying().getId()), null), 409, "conflict",
                "is retrying", "only delivered, dead or disabled");
    }

    @Test
    void aDisabledAlertsNotificationsCannotBeReplayed() {
        Story s = story();
        Reply disabled = api.alpha(HttpMethod.PATCH, s.alert().path() + "/status", new JsonObject().put("action", "disable"));
        assertThat(disabled.status()).as(disabled.raw()).isEqualTo(200);
        assertError(api.alpha(HttpMethod.POST, s.alert().replay(s.dead().getId()), null), 409, "conflict",
                "is disabled", "enable it");
    }

    @Test
    void unknownAndMalformedNotificationIds() {
        Story s = story();
        assertError(api.alpha(HttpMethod.POST, s.alert().replay(Ids.notificationId(s.alert().aid(), "never")), null),
                404, "not_found", "notification");
        // Another alert's notification is unknown under this alert.
        CreatedAlert other = api.createAlert(CALLBACK);
        assertError(api.alpha(HttpMethod.POST, other.replay(s.dead().getId()), null), 404, "not_found", "notification");
        assertError(api.alpha(HttpMethod.POST, s.alert().replay("ntf-not-a-uuid"), null), 400, "invalid_request",
                "notification id");
    }

    @Test
    void anotherTenantsAlertIsNotFoundWithTheSameEnvelope() {
        Story s = story();
        Reply foreignList = api.beta(HttpMethod.GET, s.alert().deliveries(), null);
        Reply foreignReplay = api.beta(HttpMethod.POST, s.alert().replay(s.dead().getId()), null);
        Reply unknown = api.alpha(HttpMethod.GET, "/rtstream/" + s.alert().rid() + "/index/" + s.alert().iid()
                + "/alert/0000000000000000/deliveries", null);
        assertError(foreignList, 404, "not_found", "rtstream");
        assertError(foreignReplay, 404, "not_found", "rtstream");
        assertThat(foreignList.json().fieldNames()).isEqualTo(unknown.json().fieldNames());
        assertError(api.call(HttpMethod.GET, s.alert().deliveries(), null, null), 401, "unauthorized", "x-access-token");
    }

    @Test
    void aRestartRebuildsOnlyTheConfiguredHistory() throws Exception {
        // Own topics: the seek is by record timestamp, which must grow along the partition for it to be exact.
        try (DeliveriesHarness fresh = DeliveriesHarness.start(kafka, Map.of())) {
            CreatedAlert alert = fresh.createAlert(CALLBACK);
            AlertNotification old = notification(alert.aid(), "old", Instant.now().minus(Duration.ofHours(2)), CALLBACK);
            String topic = Topics.ALERTS_FIRED.name(fresh.prefix);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerConfig(), new StringSerializer(),
                    new ByteArraySerializer())) {
                // Written two hours ago, as far as the record timestamp says.
                producer.send(new ProducerRecord<>(topic, null, System.currentTimeMillis() - Duration.ofHours(2).toMillis(),
                        alert.aid(), Topics.ALERTS_FIRED.valueSerde().serializer().serialize(topic, old))).get();
            }
            AlertNotification recent = notification(alert.aid(), "recent", Instant.now(), CALLBACK);
            kafka.send(fresh.prefix, Topics.ALERTS_FIRED, alert.aid(), recent);
            assertThat(fresh.alpha(HttpMethod.GET, alert.deliveries(), null).deliveries()).hasSize(2);

            try (DeliveriesHarness restarted = DeliveriesHarness.startOn(kafka, fresh.prefix,
                    Map.of("VIGIL_API_DELIVERIES_HISTORY", "1h"))) {
                Reply reply = restarted.alpha(HttpMethod.GET, alert.deliveries(), null);
                assertThat(reply.deliveries().stream().map(o -> ((JsonObject) o).getString("notification_id")))
                        .containsExactly(recent.getId());
            }
        }
    }

    @Test
    void aRestartedInstanceRebuildsTheLogFromTheTopics() throws Exception {
        Story s = story();
        try (DeliveriesHarness other = DeliveriesHarness.startOn(kafka, api.prefix, Map.of())) {
            Reply reply = other.alpha(HttpMethod.GET, s.alert().deliveries(), null);
            assertThat(reply.deliveries().stream().map(o -> ((JsonObject) o).getString("status")))
                    .containsExactly("retrying", "dead", "delivered");
            assertThat(other.service.deliveries().size()).isGreaterThanOrEqualTo(3);
        }
    }
}
