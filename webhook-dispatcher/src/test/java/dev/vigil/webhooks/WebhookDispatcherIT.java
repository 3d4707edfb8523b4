package dev.vigil.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.standardwebhooks.Webhook;
import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.ids.Ids;
import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.common.kafka.TopicBootstrap;
import dev.vigil.common.ops.MeterRegistries;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.alerts.DeliveryOutcome;
import dev.vigil.schemas.alerts.WebhookDelivery;
import dev.vigil.schemas.alerts.WebhookDeliveryAttempt;
import dev.vigil.schemas.control.AlertBinding;
import dev.vigil.schemas.control.AlertStatus;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.Eventually;
import dev.vigil.testkit.TestKafka;
import dev.vigil.webhooks.testing.Fixtures;
import dev.vigil.webhooks.testing.TopicTail;
import dev.vigil.webhooks.testing.WebhookReceiver;
import dev.vigil.webhooks.testing.WebhookReceiver.Received;
import dev.vigil.webhooks.testing.WebhookReceiver.Reply;
import dev.vigil.testkit.TestSecrets;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dispatcher against the real broker and real HTTP receivers on loopback (allowed by config).
 * One service for the class; each test has its own alert and receiver, so tests never share an
 * endpoint or a notification. Retry tiers are shortened to 200 ms, 400 ms, 1 s, 2 s (5 attempts);
 * responses time out after 3 s; an endpoint's queue may stand still for 1 s.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class WebhookDispatcherIT {

    private static final int PARTITIONS = 3;

    private static TestKafka kafka;
    private static String prefix;
    private static Vertx vertx;
    private static PrometheusMeterRegistry registry;
    private static WebhookDispatcherService service;
    private static TopicTail<WebhookDeliveryAttempt> attempts;
    private static TopicTail<WebhookDelivery> dead;
    private static TopicTail<AlertBinding> alerts;
    private static TopicTail<WebhookDelivery> firstTier;
    private static final List<WebhookReceiver> receivers = new ArrayList<>();

    @BeforeAll
    static void startDispatcher(TestKafka testKafka) throws Exception {
        kafka = testKafka;
        prefix = kafka.uniquePrefix();
        CommonConfig common = CommonConfig.fromEnv(Map.of("VIGIL_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "VIGIL_TOPIC_PREFIX", prefix, "VIGIL_TOPIC_PARTITIONS", Integer.toString(PARTITIONS),
                "VIGIL_INSTANCE_ID", "it"));
        try (Admin admin = Admin.create(new KafkaClients(common).admin("it"))) {
            new TopicBootstrap(admin, common).ensure(Topics.ALL);
        }
        WebhookDispatcherConfig config = WebhookDispatcherConfig.fromEnv(Map.of(
                "VIGIL_SECRETS_KEYS", TestSecrets.KEYS,
                "VIGIL_WEBHOOK_ALLOW_PRIVATE_CALLBACKS", "true",
                "VIGIL_WEBHOOK_RETRY_SCHEDULE", "200ms,400ms,1s,2s",
                "VIGIL_WEBHOOK_RESPONSE_TIMEOUT", "3s",
                "VIGIL_WEBHOOK_ENDPOINT_CONCURRENCY", "4",
                "VIGIL_WEBHOOK_ENDPOINT_MAX_QUEUE_WAIT", "1s",
                "VIGIL_WEBHOOK_BREAKER_FAILURES", "5",
                "VIGIL_WEBHOOK_BREAKER_OPEN", "3s"));
        vertx = Vertx.vertx();
        registry = MeterRegistries.prometheus("it");
        service = new WebhookDispatcherService(vertx, common, config, registry);
        service.start();
        attempts = new TopicTail<>(kafka.bootstrapServers(), prefix, Topics.WEBHOOK_ATTEMPTS);
        dead = new TopicTail<>(kafka.bootstrapServers(), prefix, Topics.WEBHOOK_DEAD);
        alerts = new TopicTail<>(kafka.bootstrapServers(), prefix, Topics.ALERTS);
        firstTier = new TopicTail<>(kafka.bootstrapServers(), prefix, Topics.WEBHOOK_RETRY_TIERS.get(0));
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        for (WebhookReceiver r : receivers) {
            r.close();
        }
        attempts.close();
        dead.close();
        alerts.close();
        firstTier.close();
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static WebhookReceiver receiver(WebhookReceiver.Behaviour behaviour) throws Exception {
        WebhookReceiver r = WebhookReceiver.start(vertx, behaviour);
        receivers.add(r);
        return r;
    }

    /** Creates an alert whose webhooks go to {@code url}; returns its binding (with the secret). */
    private static AlertBinding createAlert(String url) {
        AlertBinding alert = Fixtures.alert(Ids.shortId(), url, Ids.webhookSecret());
        kafka.send(prefix, Topics.ALERTS, alert.getId(), alert);
        return alert;
    }

    private static AlertNotification fire(AlertBinding alert, String recordKey) {
        AlertNotification n = Fixtures.notification(alert.getId(), alert.getCallbackUrl(), recordKey);
        kafka.send(prefix, Topics.ALERTS_FIRED, alert.getId(), n);
        return n;
    }

    private static List<WebhookDeliveryAttempt> attemptsOf(AlertNotification n) {
        return attempts.matching(a -> a.getNotificationId().equals(n.getId())).stream()
                .sorted(Comparator.comparing(WebhookDeliveryAttempt::getAttempt)).toList();
    }

    private static void verifySignature(AlertBinding alert, Received r) throws Exception {
        // Throws WebhookVerificationException if the signature does not match the alert's secret.
        new Webhook(alert.getWebhookSecret()).verify(r.body(), r.headers());
    }

    @Test
    void deliversTheSignedPayloadOnceAndLogsTheAttempt() throws Exception {
        WebhookReceiver receiver = receiver(r -> Reply.status(200));
        AlertBinding alert = createAlert(receiver.url("/hooks/vigil?tenant=a"));
        AlertNotification n = fire(alert, "success");

        Eventually.await().until(() -> attemptsOf(n).size() == 1);
        List<Received> got = receiver.received(n.getId());
        assertThat(got).hasSize(1);
        Received r = got.get(0);
        verifySignature(alert, r);
        assertThat(r.headers().get("content-type")).containsExactly("application/json");
        assertThat(r.headers().get("webhook-signature").get(0)).startsWith("v1,");
        assertThat(Long.parseLong(r.headers().get("webhook-timestamp").get(0)))
                .isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.api.Assertions.within(60L));
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getString("id")).isEqualTo(n.getId());
        assertThat(body.getString("alert_id")).isEqualTo(alert.getId());
        assertThat(body.getString("label")).isEqualTo("person_detected");
        assertThat(body.getDouble("start_time")).isEqualTo(1_700_000_000.5);
        assertThat(body.getJsonObject("data").getString("text")).contains("front");

        WebhookDeliveryAttempt a = attemptsOf(n).get(0);
        assertThat(a.getOutcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(a.getAttempt()).isEqualTo(1);
        assertThat(a.getStatusCode()).isEqualTo(200);
        assertThat(a.getLatencyMs()).isNotNull();
        assertThat(a.getError()).isNull();
        assertThat(a.getUrl()).isEqualTo(alert.getCallbackUrl());
        assertThat(a.getCollectionId()).isEqualTo("default");
    }

    @Test
    void retriesServerErrorsWithTheSameWebhookIdUntilDelivered() throws Exception {
        WebhookReceiver receiver = receiver(r -> r.nth() <= 2 ? Reply.status(503) : Reply.status(200));
        AlertBinding alert = createAlert(receiver.url("/flaky"));
        AlertNotification n = fire(alert, "flaky");

        Eventually.await().until(() -> attemptsOf(n).size() == 3);
        List<Received> got = receiver.received(n.getId());
        assertThat(got).hasSize(3).allSatisfy(r -> assertThat(r.webhookId()).isEqualTo(n.getId()));
        for (Received r : got) {
            verifySignature(alert, r);
        }
        assertThat(got).extracting(Received::body).containsOnly(got.get(0).body());
        assertThat(attemptsOf(n)).extracting(WebhookDeliveryAttempt::getAttempt, WebhookDeliveryAttempt::getStatusCode,
                WebhookDeliveryAttempt::getOutcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, 503, DeliveryOutcome.RETRY_SCHEDULED),
                org.assertj.core.groups.Tuple.tuple(2, 503, DeliveryOutcome.RETRY_SCHEDULED),
                org.assertj.core.groups.Tuple.tuple(3, 200, DeliveryOutcome.DELIVERED));
        assertThat(attemptsOf(n).get(0).getNextAttemptAt()).isNotNull();
        assertThat(attemptsOf(n).get(0).getError()).contains("503");
        assertThat(dead.matching(d -> d.getNotification().getId().equals(n.getId()))).isEmpty();
    }

    @Test
    void goneDisablesTheAlertAndParksTheNotification() throws Exception {
        WebhookReceiver receiver = receiver(r -> Reply.status(410));
        AlertBinding alert = createAlert(receiver.url("/gone"));
        AlertNotification n = fire(alert, "gone");

        Eventually.await().until(() -> alerts.matching(a -> a.getId().equals(alert.getId())
                && a.getStatus() == AlertStatus.DISABLED).size() == 1);
        AlertBinding disabled = alerts.matching(a -> a.getId().equals(alert.getId())
                && a.getStatus() == AlertStatus.DISABLED).get(0);
        assertThat(disabled.getDisabledReason()).contains("410");
        assertThat(disabled.getWebhookSecret()).as("the rest of the binding is kept").isEqualTo(alert.getWebhookSecret());
        assertThat(disabled.getUpdatedAt()).isAfterOrEqualTo(alert.getUpdatedAt());

        Eventually.await().until(() -> attemptsOf(n).size() == 1);
        assertThat(attemptsOf(n).get(0).getOutcome()).isEqualTo(DeliveryOutcome.ALERT_DISABLED);
        assertThat(attemptsOf(n).get(0).getStatusCode()).isEqualTo(410);
        Eventually.await().until(() -> dead.matching(d -> d.getNotification().getId().equals(n.getId())).size() == 1);

        // Later notifications of the disabled alert are not sent; they are parked with the reason.
        AlertNotification later = fire(alert, "gone-later");
        Eventually.await().until(() -> dead.matching(d -> d.getNotification().getId().equals(later.getId())).size() == 1);
        assertThat(dead.matching(d -> d.getNotification().getId().equals(later.getId())).get(0).getLastError())
                .contains("disabled");
        assertThat(receiver.received(later.getId())).isEmpty();
    }

    @Test
    void goneAfterTheAlertWasDeletedDoesNotResurrectIt() throws Exception {
        WebhookReceiver receiver = receiver(r -> Reply.holdForever());
        AlertBinding alert = createAlert(receiver.url("/gone-deleted"));
        AlertNotification n = fire(alert, "gone-deleted");
        Eventually.await().until(() -> receiver.held() == 1);

        // The user deletes the alert while the request is in flight; then the endpoint answers 410.
        kafka.send(prefix, Topics.ALERTS, alert.getId(), null);
        receiver.releaseHeld(410);

        Eventually.await().until(() -> attemptsOf(n).size() == 1);
        WebhookDeliveryAttempt a = attemptsOf(n).get(0);
        assertThat(a.getOutcome()).isEqualTo(DeliveryOutcome.DEAD_LETTERED);
        assertThat(a.getStatusCode()).isEqualTo(410);
        assertThat(a.getError()).contains("deleted meanwhile, not disabled");
        // Written with the attempt if at all; give it the time a write takes, then check none came.
        Eventually.await().during(Duration.ofSeconds(1)).until(() -> alerts.matching(b -> b.getId().equals(alert.getId())
                && b.getStatus() == AlertStatus.DISABLED).isEmpty());
    }

    @Test
    void goneAfterTheAlertWasUpdatedDoesNotUndoTheUpdate() throws Exception {
        WebhookReceiver receiver = receiver(r -> Reply.holdForever());
        AlertBinding alert = createAlert(receiver.url("/gone-updated"));
        AlertNotification n = fire(alert, "gone-updated");
        Eventually.await().until(() -> receiver.held() == 1);

        AlertBinding updated = AlertBinding.newBuilder(alert).setCooldownS(60)
                .setUpdatedAt(alert.getUpdatedAt().plusSeconds(1)).build();
        kafka.send(prefix, Topics.ALERTS, alert.getId(), updated);
        receiver.releaseHeld(410);

        Eventually.await().until(() -> attemptsOf(n).size() == 1);
        assertThat(attemptsOf(n).get(0).getError()).contains("changed meanwhile, not disabled");
        Eventually.await().during(Duration.ofSeconds(1)).until(() -> alerts.matching(b -> b.getId().equals(alert.getId())
                && b.getStatus() == AlertStatus.DISABLED).isEmpty());
    }

    @Test
    void honoursRetryAfter() throws Exception {
        WebhookReceiver receiver = receiver(r -> r.nth() == 1 ? Reply.status(429, Map.of("Retry-After", "1"))
                : Reply.status(200));
        AlertBinding alert = createAlert(receiver.url("/limited"));
        AlertNotification n = fire(alert, "limited");

        Eventually.await().until(() -> attemptsOf(n).size() == 2);
        List<Received> got = receiver.received(n.getId());
        assertThat(got).hasSize(2);
        // Without Retry-After the first tier would retry after 200-240 ms; 1 s picks the 1 s tier.
        assertThat(Duration.ofNanos(got.get(1).nanos() - got.get(0).nanos())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        WebhookDeliveryAttempt first = attemptsOf(n).get(0);
        assertThat(first.getStatusCode()).isEqualTo(429);
        assertThat(Duration.between(first.getAttemptedAt(), first.getNextAttemptAt())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(attemptsOf(n).get(1).getOutcome()).isEqualTo(DeliveryOutcome.DELIVERED);
    }

    @Test
    void deadLettersAfterTheLastAttempt() throws Exception {
        WebhookReceiver receiver = receiver(r -> Reply.status(500));
        AlertBinding alert = createAlert(receiver.url("/broken"));
        AlertNotification n = fire(alert, "broken");

        Eventually.await().until(() -> dead.matching(d -> d.getNotification().getId().equals(n.getId())).size() == 1);
        WebhookDelivery parked = dead.matching(d -> d.getNotification().getId().equals(n.getId())).get(0);
        assertThat(parked.getAttempts()).isEqualTo(5);
        assertThat(parked.getLastStatus()).isEqualTo(500);
        assertThat(parked.getLastError()).contains("gave up after 5 attempts").contains("500");
        assertThat(parked.getNotification()).isEqualTo(n);
        Eventually.await().until(() -> attemptsOf(n).size() == 5);
        assertThat(attemptsOf(n)).extracting(WebhookDeliveryAttempt::getOutcome).containsExactly(
                DeliveryOutcome.RETRY_SCHEDULED, DeliveryOutcome.RETRY_SCHEDULED, DeliveryOutcome.RETRY_SCHEDULED,
                DeliveryOutcome.RETRY_SCHEDULED, DeliveryOutcome.DEAD_LETTERED);
        assertThat(receiver.received(n.getId())).hasSize(5);
    }

    @Test
    void otherClientErrorsAreDeadLetteredAtOnce() throws Exception {
        WebhookReceiver receiver = receiver(r -> Reply.status(404));
        AlertBinding alert = createAlert(receiver.url("/missing"));
        AlertNotification n = fire(alert, "missing");

        Eventually.await().until(() -> dead.matching(d -> d.getNotification().getId().equals(n.getId())).size() == 1);
        assertThat(receiver.received(n.getId())).hasSize(1);
        // The attempt and the dead letter are on two topics: the attempt may be read a moment later.
        Eventually.await().untilAsserted(() -> assertThat(attemptsOf(n)).singleElement().satisfies(a -> {
            assertThat(a.getOutcome()).isEqualTo(DeliveryOutcome.DEAD_LETTERED);
            assertThat(a.getError()).contains("404").contains("only 408, 425, 429 and 5xx are retried");
        }));
    }

    @Test
    void aSlowEndpointDoesNotDelayAFastOne() throws Exception {
        WebhookReceiver slow = receiver(r -> Reply.holdForever());
        WebhookReceiver fast = receiver(r -> Reply.status(200));
        AlertBinding slowAlert = createAlert(slow.url("/slow"));
        // The fast alert's notifications share the slow one's partition, behind them.
        AlertBinding fastAlert;
        do {
            fastAlert = createAlert(fast.url("/fast"));
        } while (partitionOf(fastAlert.getId()) != partitionOf(slowAlert.getId()));

        List<AlertNotification> slowOnes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            slowOnes.add(fire(slowAlert, "slow-" + i));
        }
        List<AlertNotification> fastOnes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            fastOnes.add(fire(fastAlert, "fast-" + i));
        }

        Eventually.await().until(() -> fastOnes.stream().allMatch(n -> fast.received(n.getId()).size() == 1));
        assertThat(slow.answered()).as("every fast delivery completed while the slow endpoint answered nothing").isZero();
        assertThat(slow.received()).isNotEmpty();

        slow.behaviour(r -> Reply.status(200));
        slow.releaseHeld(200);
        Eventually.await().until(() -> slowOnes.stream().allMatch(n -> attemptsOf(n).stream()
                .anyMatch(a -> a.getOutcome() == DeliveryOutcome.DELIVERED)));
    }

    @Test
    void aTimeoutIsRetried() throws Exception {
        WebhookReceiver receiver = receiver(r -> r.nth() == 1 ? Reply.holdForever() : Reply.status(200));
        AlertBinding alert = createAlert(receiver.url("/silent"));
        AlertNotification n = fire(alert, "silent");

        Eventually.await().until(() -> attemptsOf(n).size() == 2);
        WebhookDeliveryAttempt first = attemptsOf(n).get(0);
        assertThat(first.getOutcome()).isEqualTo(DeliveryOutcome.RETRY_SCHEDULED);
        assertThat(first.getStatusCode()).isNull();
        assertThat(first.getError()).isNotBlank();
        assertThat(first.getLatencyMs()).isGreaterThanOrEqualTo(3_000L);
        assertThat(attemptsOf(n).get(1).getOutcome()).isEqualTo(DeliveryOutcome.DELIVERED);
    }

    @Test
    void aBackedUpEndpointDefersWithoutUsingAttempts() throws Exception {
        WebhookReceiver slow = receiver(r -> Reply.holdForever());
        AlertBinding alert = createAlert(slow.url("/backed-up"));
        List<AlertNotification> sent = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 6; i++) {
            sent.add(fire(alert, "backed-up-" + i));
        }
        // 4 in flight, 2 queued; once the queue has stood still for 1 s, newcomers are deferred.
        Eventually.await().pollInterval(Duration.ofMillis(250)).until(() -> {
            sent.add(fire(alert, "backed-up-" + sent.size()));
            return !firstTier.matching(d -> d.getNotification().getAlertId().equals(alert.getId())
                    && d.getAttempts() == 0).isEmpty();
        });
        WebhookDelivery deferred = firstTier.matching(d -> d.getNotification().getAlertId().equals(alert.getId())
                && d.getAttempts() == 0).get(0);
        assertThat(deferred.getLastError()).startsWith("not sent: backlog at");
        assertThat(deferred.getLastStatus()).isNull();

        slow.behaviour(r -> Reply.status(200));
        slow.releaseHeld(200);
        Eventually.await().until(() -> sent.stream().allMatch(n -> attemptsOf(n).stream()
                .anyMatch(a -> a.getOutcome() == DeliveryOutcome.DELIVERED)));
        AlertNotification n = deferred.getNotification();
        assertThat(attemptsOf(n)).as("a deferral is not an attempt").noneMatch(a -> a.getError() != null
                && a.getError().contains("backlog"));
        assertThat(attemptsOf(n).get(0).getAttempt()).isEqualTo(1);
    }

    @Test
    void aDeadEndpointOpensItsCircuit() throws Exception {
        WebhookReceiver closed = receiver(r -> Reply.status(200));
        String url = closed.url("/closed");
        closed.close();
        receivers.remove(closed);
        AlertBinding alert = createAlert(url);
        List<AlertNotification> sent = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            sent.add(fire(alert, "closed-" + i));
        }

        Eventually.await().until(() -> sent.stream().anyMatch(n -> attemptsOf(n).stream()
                .anyMatch(a -> a.getError() != null && a.getError().startsWith("not sent: circuit open"))));
        Eventually.await().until(() -> !attemptsOf(sent.get(0)).isEmpty());
        assertThat(attemptsOf(sent.get(0)).get(0).getStatusCode()).isNull();
        assertThat(attemptsOf(sent.get(0)).get(0).getOutcome()).isEqualTo(DeliveryOutcome.RETRY_SCHEDULED);
        assertThat(registry.scrape()).contains("vigil_webhook_dispatcher_not_sent_total")
                .contains("vigil_webhook_dispatcher_circuits_open");
    }

    @Test
    void replayDeliversAgainWithTheSameWebhookId() throws Exception {
        WebhookReceiver receiver = receiver(r -> Reply.status(200));
        AlertBinding alert = createAlert(receiver.url("/replay"));
        AlertNotification n = fire(alert, "replay");
        Eventually.await().until(() -> receiver.received(n.getId()).size() == 1);

        try (Replay replay = new Replay(new KafkaClients(CommonConfig.fromEnv(Map.of(
                "VIGIL_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "VIGIL_TOPIC_PREFIX", prefix))))) {
            replay.request(n).get(30, TimeUnit.SECONDS);
        }

        Eventually.await().until(() -> receiver.received(n.getId()).size() == 2);
        Received again = receiver.received(n.getId()).get(1);
        assertThat(again.webhookId()).isEqualTo(n.getId());
        assertThat(again.body()).isEqualTo(receiver.received(n.getId()).get(0).body());
        verifySignature(alert, again);
        Eventually.await().until(() -> attemptsOf(n).stream().filter(a -> a.getOutcome() == DeliveryOutcome.DELIVERED).count() == 2);
    }

    @Test
    void aNotificationOfADeletedAlertIsParked() {
        AlertBinding alert = Fixtures.alert(Ids.shortId(), "http://127.0.0.1:9/never", Ids.webhookSecret());
        AlertNotification n = fire(alert, "deleted");

        Eventually.await().until(() -> dead.matching(d -> d.getNotification().getId().equals(n.getId())).size() == 1);
        assertThat(dead.matching(d -> d.getNotification().getId().equals(n.getId())).get(0).getLastError())
                .contains("does not exist");
    }

    @Test
    void undecodableRecordsAreSkippedAndDoNotStopDelivery() throws Exception {
        WebhookReceiver receiver = receiver(r -> Reply.status(200));
        AlertBinding alert = createAlert(receiver.url("/after-garbage"));
        kafka.sendRaw(Topics.ALERTS_FIRED.name(prefix), alert.getId().getBytes(StandardCharsets.UTF_8),
                "not avro".getBytes(StandardCharsets.UTF_8));
        AlertNotification n = fire(alert, "after-garbage");

        Eventually.await().until(() -> receiver.received(n.getId()).size() == 1);
        assertThat(registry.scrape()).contains("vigil_webhook_dispatcher_skipped_records_total{")
                .contains("reason=\"undecodable\"");
    }

    @Test
    void exposesItsMetricsAndReadiness() {
        assertThat(service.isReady()).isTrue();
        String scrape = registry.scrape();
        assertThat(scrape).contains("vigil_webhook_dispatcher_pending").contains("vigil_webhook_dispatcher_circuits_open");
    }

    private static int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }
}
