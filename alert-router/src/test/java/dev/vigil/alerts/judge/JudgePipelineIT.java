package dev.vigil.alerts.judge;

import static dev.vigil.alerts.Fixtures.ACME;
import static dev.vigil.alerts.Fixtures.SCENE_INDEX;
import static dev.vigil.alerts.Fixtures.STREAM;
import static dev.vigil.alerts.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.alerts.AlertRouterConfig;
import dev.vigil.alerts.metrics.RouterMetrics;
import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.ids.Ids;
import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.common.kafka.TopicBootstrap;
import dev.vigil.common.models.ModelConfig;
import dev.vigil.common.ops.MeterRegistries;
import dev.vigil.models.ModelClient;
import dev.vigil.models.judge.ModelJudge;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.alerts.Channel;
import dev.vigil.schemas.alerts.JudgeRequest;
import dev.vigil.schemas.alerts.JudgedAlert;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.Eventually;
import dev.vigil.testkit.TestKafka;
import dev.vigil.testkit.models.FakeModelServer;
import dev.vigil.testkit.models.RecordedRequest;
import dev.vigil.testkit.models.Reply;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@link JudgeWorker} as a pipeline, on the real embedded broker with {@link FakeModelServer} as the text
 * model: a record whose verdict is held back does not hold back the records after it, and a restart judges
 * again exactly what was not finished — nothing lost, nothing committed sent twice. Judge requests are
 * written to {@code vigil.alerts.judge} directly (the topology's side has its own tests).
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class JudgePipelineIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String MODEL = "judge-model";
    private static final String ALERT = "a1000000000000b1";
    private static final String EVENT = "e0000000000000b1";
    private static final String PROMPT = "Detect person without helmet";
    private static final String CHAT = "/v1/chat/completions";
    private static final Reply MATCH = Reply.content(
            "{\"verdicts\": [{\"event\": 1, \"match\": true, \"confidence\": 0.9, \"explanation\": \"No helmet.\"}]}");

    @Test
    void aHeldVerdictHoldsBackOnlyItsOwnRecord(TestKafka kafka) throws Exception {
        Setup setup = Setup.create(kafka);
        try (FakeModelServer fake = FakeModelServer.start(); Worker worker = setup.worker(fake)) {
            CompletableFuture<Void> releaseA = new CompletableFuture<>();
            fake.reply(MODEL, Reply.heldUntil(releaseA, MATCH), MATCH);
            JudgeRequest a = request(T0, "A worker without a helmet on the scaffold.");
            JudgeRequest b = request(T0.plusSeconds(2), "A worker without a helmet at the gate.");

            kafka.send(setup.prefix, Topics.ALERTS_JUDGE, STREAM, a);
            Eventually.await().alias("A's call is out").until(() -> fake.requests(CHAT).size(), n -> n == 1);
            kafka.send(setup.prefix, Topics.ALERTS_JUDGE, STREAM, b);

            // A's answer is still held: B's notification can only come from a call started while A's is out.
            assertThat(kafka.consume(setup.prefix, Topics.ALERTS_FIRED, 1, TIMEOUT)).extracting(r -> r.value().getId())
                    .containsExactly(id(b));
            releaseA.complete(null);
            assertThat(kafka.consume(setup.prefix, Topics.ALERTS_FIRED, 2, TIMEOUT)).extracting(r -> r.value().getId())
                    .containsExactly(id(b), id(a));
            assertThat(fake.requests(CHAT)).hasSize(2);
            assertThat(fake.maxInFlight()).isEqualTo(2);
        }
    }

    @Test
    void aRestartJudgesAgainWhatWasNotFinishedAndNothingCommitted(TestKafka kafka) throws Exception {
        Setup setup = Setup.create(kafka);
        JudgeRequest r1 = request(T0, "First: a worker without a helmet.");
        JudgeRequest r2 = request(T0.plusSeconds(2), "Second: a worker without a helmet.");
        JudgeRequest r3 = request(T0.plusSeconds(4), "Third: a worker without a helmet.");
        CompletableFuture<Void> releaseR2 = new CompletableFuture<>();
        RecordMetadata at1;
        RecordMetadata at3;
        try (FakeModelServer fake = FakeModelServer.start()) {
            try (Worker first = setup.worker(fake)) {
                assertThat(first.worker().isRunning()).isTrue();
                fake.reply(MODEL, MATCH);
                at1 = kafka.send(setup.prefix, Topics.ALERTS_JUDGE, STREAM, r1);
                TopicPartition partition = new TopicPartition(at1.topic(), at1.partition());
                Eventually.await().alias("r1 notified and committed").until(() -> setup.committed(partition),
                        offset -> offset == at1.offset() + 1);

                // r2's verdict is held; r3's comes back and is notified at once, but its offset cannot be
                // committed past r2's.
                fake.reply(MODEL, Reply.heldUntil(releaseR2, MATCH), MATCH);
                kafka.send(setup.prefix, Topics.ALERTS_JUDGE, STREAM, r2);
                Eventually.await().alias("r2's call is out").until(() -> fake.requests(CHAT).size(), n -> n == 2);
                at3 = kafka.send(setup.prefix, Topics.ALERTS_JUDGE, STREAM, r3);
                assertThat(kafka.consume(setup.prefix, Topics.ALERTS_FIRED, 2, TIMEOUT)).extracting(r -> r.value().getId())
                        .containsExactly(id(r1), id(r3));
            }
            // Closed while r2's verdict was still held: r2 and r3 stay uncommitted.
            TopicPartition partition = new TopicPartition(at1.topic(), at1.partition());
            assertThat(setup.committed(partition)).isEqualTo(at1.offset() + 1);
            releaseR2.complete(null);

            fake.always(MODEL, MATCH);
            try (Worker second = setup.worker(fake)) {
                Eventually.await().alias("r2 and r3 judged again and committed").until(() -> setup.committed(partition),
                        offset -> offset == at3.offset() + 1);
                assertThat(count(second.registry, "judge.requests")).isEqualTo(2.0);
            }
            // At-least-once: r2 (never notified) now is, r3 (notified, not committed) again with the same id,
            // r1 (committed) never again.
            List<ConsumerRecord<String, AlertNotification>> fired = kafka.consume(setup.prefix, Topics.ALERTS_FIRED, 4,
                    TIMEOUT);
            assertThat(fired).extracting(r -> r.value().getId())
                    .containsExactlyInAnyOrder(id(r1), id(r3), id(r2), id(r3));
            assertThat(fired.subList(0, 2)).extracting(r -> r.value().getId()).containsExactly(id(r1), id(r3));
            assertThat(callsAbout(fake, r1)).isEqualTo(1);
            assertThat(callsAbout(fake, r2)).isEqualTo(2);
            assertThat(callsAbout(fake, r3)).isEqualTo(2);
        }
    }

    /** A worker with its own model client (and so its own verdict cache, as a new process has) and meters. */
    private record Worker(JudgeWorker worker, ModelClient client, PrometheusMeterRegistry registry) implements AutoCloseable {
        @Override
        public void close() {
            worker.close();
            client.close();
        }
    }

    private record Setup(String prefix, CommonConfig common) {

        static Setup create(TestKafka kafka) throws Exception {
            String prefix = kafka.uniquePrefix();
            CommonConfig common = CommonConfig.fromEnv(Map.of("VIGIL_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "VIGIL_TOPIC_PREFIX", prefix, "VIGIL_TOPIC_PARTITIONS", "3", "VIGIL_INSTANCE_ID", "it"));
            try (Admin admin = Admin.create(new KafkaClients(common).admin("judge-pipeline-it"))) {
                new TopicBootstrap(admin, common).ensure(Topics.ALL);
            }
            return new Setup(prefix, common);
        }

        Worker worker(FakeModelServer fake) throws Exception {
            ModelConfig config = AlertRouterConfig.from(ConfigValues.read(Map.of("VIGIL_MODEL_BASE_URL", fake.baseUrl(),
                    "VIGIL_MODEL_TEXT", MODEL, "VIGIL_MODEL_TIMEOUT", "60s"), AlertRouterConfig.serviceSettings())).models();
            PrometheusMeterRegistry registry = MeterRegistries.prometheus("it");
            ModelClient client = new ModelClient(config, registry);
            JudgeWorker worker = new JudgeWorker(new KafkaClients(common), prefix, groupId(), new ModelJudge(client, MODEL),
                    config.concurrency(), config.timeout(), Clock.systemUTC(), new RouterMetrics(registry));
            worker.start(registry);
            return new Worker(worker, client, registry);
        }

        String groupId() {
            return prefix + "judge-pipeline-it";
        }

        long committed(TopicPartition partition) throws Exception {
            try (Admin admin = Admin.create(new KafkaClients(common).admin("judge-pipeline-it-offsets"))) {
                OffsetAndMetadata offset = admin.listConsumerGroupOffsets(groupId()).partitionsToOffsetAndMetadata().get()
                        .get(partition);
                return offset == null ? -1 : offset.offset();
            }
        }
    }

    private static JudgeRequest request(Instant start, String text) {
        return JudgeRequest.newBuilder()
                .setCollectionId(ACME)
                .setRtstreamId(STREAM)
                .setRtstreamName("Site cam")
                .setIndexId(SCENE_INDEX)
                .setChannel(Channel.SCENE_INDEX)
                .setText(text)
                .setStart(start)
                .setEnd(start.plusSeconds(2))
                .setRecordEmitTs(Instant.now())
                .setRecordTime(Instant.now())
                .setNotificationKey(SCENE_INDEX + ":scene_index:" + start.toEpochMilli() + ":" + start.plusSeconds(2).toEpochMilli())
                .setAlerts(List.of(JudgedAlert.newBuilder().setAlertId(ALERT).setEventId(EVENT).setLabel("no helmet")
                        .setEventPrompt(PROMPT).setCooldownMs(0).setCallbackUrl("https://hooks.example.com/vigil").build()))
                .build();
    }

    private static String id(JudgeRequest request) {
        return Ids.notificationId(ALERT, request.getNotificationKey());
    }

    private static long callsAbout(FakeModelServer fake, JudgeRequest request) {
        return fake.requests(CHAT).stream().map(RecordedRequest::texts)
                .filter(texts -> texts.stream().anyMatch(t -> t.contains(request.getText()))).count();
    }

    private static double count(PrometheusMeterRegistry registry, String name) {
        Counter counter = registry.find("vigil.alert.router." + name).counter();
        return counter == null ? 0 : counter.count();
    }
}
