package dev.vigil.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.ids.Ids;
import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.common.kafka.TopicBootstrap;
import dev.vigil.common.ops.MeterRegistries;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.alerts.DeliveryOutcome;
import dev.vigil.schemas.alerts.WebhookDeliveryAttempt;
import dev.vigil.schemas.control.AlertBinding;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.Eventually;
import dev.vigil.testkit.TestKafka;
import dev.vigil.webhooks.testing.Fixtures;
import dev.vigil.webhooks.testing.TopicTail;
import dev.vigil.webhooks.testing.WebhookReceiver;
import dev.vigil.webhooks.testing.WebhookReceiver.Received;
import dev.vigil.webhooks.testing.WebhookReceiver.Reply;
import dev.vigil.testkit.TestSecrets;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tenant's slow-loris receivers must not stop another tenant's webhooks. The "noisy" collection
 * has two endpoints that send the status and then one body byte a second, for ever (the idle timeout
 * never fires); it fires more notifications than the dispatcher may hold pending. The "quiet"
 * collection's receiver answers at once. Every quiet notification must be delivered, and the noisy
 * attempts must end at the attempt deadline and be retried. Latencies (fired → received) of the
 * quiet tenant are logged, alone and beside the noisy one, for the record — not asserted.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class TenantIsolationIT {

    private static final Logger log = LoggerFactory.getLogger(TenantIsolationIT.class);
    private static final int NOISY_PER_ENDPOINT = 80;
    private static final int QUIET = 100;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Vertx vertx;

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        if (vertx != null) {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSlowLorisTenantTimesOutAndIsRetriedWhileAnotherTenantKeepsGettingItsWebhooks(TestKafka kafka)
            throws Exception {
        String prefix = kafka.uniquePrefix();
        CommonConfig common = CommonConfig.fromEnv(Map.of("VIGIL_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "VIGIL_TOPIC_PREFIX", prefix, "VIGIL_TOPIC_PARTITIONS", "3", "VIGIL_INSTANCE_ID", "isolation"));
        try (Admin admin = Admin.create(new KafkaClients(common).admin("it"))) {
            new TopicBootstrap(admin, common).ensure(Topics.ALL);
        }
        WebhookDispatcherConfig config = WebhookDispatcherConfig.fromEnv(Map.ofEntries(
                Map.entry("VIGIL_SECRETS_KEYS", TestSecrets.KEYS),
                Map.entry("VIGIL_WEBHOOK_ALLOW_PRIVATE_CALLBACKS", "true"),
                Map.entry("VIGIL_WEBHOOK_RETRY_SCHEDULE", "500ms,1s,2s,2s"),
                // Longer than the trickle's 1 s, so only the deadline can end a slow-loris attempt.
                Map.entry("VIGIL_WEBHOOK_RESPONSE_TIMEOUT", "3s"),
                Map.entry("VIGIL_WEBHOOK_ATTEMPT_DEADLINE", "2s"),
                Map.entry("VIGIL_WEBHOOK_ENDPOINT_CONCURRENCY", "4"),
                Map.entry("VIGIL_WEBHOOK_TENANT_MAX_IN_FLIGHT", "8"),
                Map.entry("VIGIL_WEBHOOK_MAX_PENDING", "100"),
                Map.entry("VIGIL_WEBHOOK_BREAKER_FAILURES", "3"),
                Map.entry("VIGIL_WEBHOOK_BREAKER_OPEN", "2s")));
        vertx = Vertx.vertx();
        WebhookDispatcherService service = new WebhookDispatcherService(vertx, common, config,
                MeterRegistries.prometheus("isolation"));
        service.start();
        closeables.add(service);
        TopicTail<WebhookDeliveryAttempt> attempts = new TopicTail<>(kafka.bootstrapServers(), prefix,
                Topics.WEBHOOK_ATTEMPTS);
        closeables.add(attempts);

        WebhookReceiver quiet = WebhookReceiver.ok(vertx);
        WebhookReceiver slow1 = WebhookReceiver.start(vertx, r -> Reply.trickle(200));
        WebhookReceiver slow2 = WebhookReceiver.start(vertx, r -> Reply.trickle(200));
        closeables.addAll(List.of(quiet, slow1, slow2));
        AlertBinding quietAlert = alert(kafka, prefix, "quiet", quiet.url("/quiet"));
        AlertBinding noisy1 = alert(kafka, prefix, "noisy", slow1.url("/slow"));
        AlertBinding noisy2 = alert(kafka, prefix, "noisy", slow2.url("/slow"));
        Map<String, Long> firedAt = new ConcurrentHashMap<>();

        // Warm-up: the first poll after the group forms is slow and is not what is measured.
        AlertNotification warmUp = fire(kafka, prefix, quietAlert, "warm-up", firedAt);
        Eventually.await().until(() -> !quiet.received(warmUp.getId()).isEmpty());

        // Phase 1: the quiet tenant alone, for a baseline.
        List<AlertNotification> alone = new ArrayList<>();
        for (int i = 0; i < QUIET / 2; i++) {
            alone.add(fire(kafka, prefix, quietAlert, "alone-" + i, firedAt));
        }
        Eventually.await().until(() -> alone.stream().allMatch(n -> !quiet.received(n.getId()).isEmpty()));

        // Phase 2: the noisy tenant floods its slow endpoints, then the quiet one keeps firing.
        for (int i = 0; i < NOISY_PER_ENDPOINT; i++) {
            fire(kafka, prefix, noisy1, "noisy1-" + i, firedAt);
            fire(kafka, prefix, noisy2, "noisy2-" + i, firedAt);
        }
        List<AlertNotification> beside = new ArrayList<>();
        for (int i = 0; i < QUIET; i++) {
            beside.add(fire(kafka, prefix, quietAlert, "beside-" + i, firedAt));
        }

        Eventually.await().until(() -> beside.stream().allMatch(n -> !quiet.received(n.getId()).isEmpty()));
        Eventually.await().until(() -> attempts.matching(a -> (a.getAlertId().equals(noisy1.getId()) || a.getAlertId().equals(noisy2.getId()))
                && a.getOutcome() == DeliveryOutcome.RETRY_SCHEDULED
                && a.getError() != null && a.getError().startsWith("deadline of 2000 ms")).size() >= 1);
        assertThat(slow1.received().size() + slow2.received().size()).isPositive();

        log.info("Quiet tenant, fired -> received: alone p50 {} ms p99 {} ms; beside a slow-loris tenant "
                        + "p50 {} ms p99 {} ms ({} noisy notifications, {} noisy requests received)",
                percentile(alone, quiet, firedAt, 50), percentile(alone, quiet, firedAt, 99),
                percentile(beside, quiet, firedAt, 50), percentile(beside, quiet, firedAt, 99),
                2 * NOISY_PER_ENDPOINT, slow1.received().size() + slow2.received().size());
    }

    private static AlertBinding alert(TestKafka kafka, String prefix, String collection, String url) {
        AlertBinding alert = AlertBinding.newBuilder(Fixtures.alert(Ids.shortId(), url, Ids.webhookSecret()))
                .setCollectionId(collection).build();
        kafka.send(prefix, Topics.ALERTS, alert.getId(), alert);
        return alert;
    }

    private static AlertNotification fire(TestKafka kafka, String prefix, AlertBinding alert, String key,
            Map<String, Long> firedAt) {
        AlertNotification n = AlertNotification.newBuilder(Fixtures.notification(alert.getId(), alert.getCallbackUrl(), key))
                .setCollectionId(alert.getCollectionId()).build();
        firedAt.put(n.getId(), System.nanoTime());
        kafka.send(prefix, Topics.ALERTS_FIRED, alert.getId(), n);
        return n;
    }

    /** The {@code p}-th percentile of fired → first received, in milliseconds. */
    private static long percentile(List<AlertNotification> sent, WebhookReceiver receiver, Map<String, Long> firedAt,
            int p) {
        List<Long> ms = new ArrayList<>();
        for (AlertNotification n : sent) {
            Received first = receiver.received(n.getId()).get(0);
            ms.add(TimeUnit.NANOSECONDS.toMillis(first.nanos() - firedAt.get(n.getId())));
        }
        ms.sort(null);
        return ms.get(Math.min(ms.size() - 1, (int) Math.ceil(p / 100.0 * ms.size()) - 1));
    }
}
