package dev.vigil.alerts;

import static dev.vigil.alerts.Fixtures.ACME;
import static dev.vigil.alerts.Fixtures.SCENE_INDEX;
import static dev.vigil.alerts.Fixtures.STREAM;
import static dev.vigil.alerts.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.ids.Ids;
import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.common.kafka.TopicBootstrap;
import dev.vigil.common.ops.MeterRegistries;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.control.AlertBinding;
import dev.vigil.schemas.index.SceneRecord;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.Eventually;
import dev.vigil.testkit.TestKafka;
import dev.vigil.testkit.models.FakeModelServer;
import dev.vigil.testkit.models.RecordedRequest;
import dev.vigil.testkit.models.Reply;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Judged events end to end on the real embedded broker, with {@link FakeModelServer} as the text model:
 * "Detect person without helmet" fires on a scene record describing a worker without a helmet, with the
 * judge's explanation; a non-matching verdict and a 5xx fire nothing (the latter counted); the cooldown
 * is applied before asking (no call for an alert inside it) and survives a restart of the worker.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class JudgedEventsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String MODEL = "judge-model";
    private static final String HELMET_EVENT = "e0000000000000a1";
    private static final String FENCE_EVENT = "e0000000000000a2";
    private static final String HELMET_ALERT = "a1000000000000a1";
    private static final String FENCE_ALERT = "a1000000000000a2";
    private static final String HELMET_PROMPT = "Detect person without helmet";
    private static final String FENCE_PROMPT = "Person climbs the fence";

    @Test
    void judgedAlertsFireWithTheVerdictAndKeepTheirCooldown(TestKafka kafka, @TempDir Path dir) throws Exception {
        String prefix = kafka.uniquePrefix();
        CommonConfig common = CommonConfig.fromEnv(Map.of("VIGIL_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "VIGIL_TOPIC_PREFIX", prefix, "VIGIL_TOPIC_PARTITIONS", "3", "VIGIL_INSTANCE_ID", "it"));
        try (Admin admin = Admin.create(new KafkaClients(common).admin("judge-it"))) {
            new TopicBootstrap(admin, common).ensure(Topics.ALL);
        }
        kafka.send(prefix, Topics.EVENTS, HELMET_EVENT, Fixtures.judgedEvent(HELMET_EVENT, ACME, "no helmet", HELMET_PROMPT));
        kafka.send(prefix, Topics.EVENTS, FENCE_EVENT, Fixtures.judgedEvent(FENCE_EVENT, ACME, "fence", FENCE_PROMPT));
        kafka.send(prefix, Topics.RTSTREAMS, STREAM, Fixtures.stream(STREAM, ACME, "Site cam"));
        // An hour of cooldown: the index records carry the broker's wall-clock timestamps, which the test's
        // steps (a restart included) must stay well inside whatever the machine's load.
        kafka.send(prefix, Topics.ALERTS, HELMET_ALERT, AlertBinding.newBuilder(
                Fixtures.alert(HELMET_ALERT, ACME, STREAM, SCENE_INDEX, HELMET_EVENT)).setCooldownS(3600).build());
        kafka.send(prefix, Topics.ALERTS, FENCE_ALERT, AlertBinding.newBuilder(
                Fixtures.alert(FENCE_ALERT, ACME, STREAM, SCENE_INDEX, FENCE_EVENT)).setCooldownS(3600).build());

        try (FakeModelServer fake = FakeModelServer.start()) {
            AlertRouterConfig config = AlertRouterConfig.from(ConfigValues.read(Map.of(
                    "VIGIL_MODEL_BASE_URL", fake.baseUrl(), "VIGIL_MODEL_TEXT", MODEL, "VIGIL_MODEL_TIMEOUT", "5s"),
                    AlertRouterConfig.serviceSettings()));
            PrometheusMeterRegistry registry = MeterRegistries.prometheus("it");
            SceneRecord helmet = scene(T0, "A worker without a helmet is standing next to the fence.");
            try (AlertRouterService service = new AlertRouterService(common, config.withStateDir(dir.resolve("first")),
                    registry)) {
                service.start();
                Eventually.await().alias("alerts loaded").until(service::alertsInTable, n -> n == 2.0);
                Eventually.await().alias("judge worker running").until(service::isReady, ready -> ready);

                // One call for both judged alerts of the index; the helmet verdict matches.
                fake.reply(MODEL, Reply.content(verdicts(
                        verdict(1, true, 0.8, "The record says the worker wears no helmet."),
                        verdict(2, false, 0.9, "Nobody climbs the fence."))));
                kafka.send(prefix, Topics.INDEX_SCENE, STREAM, helmet);

                List<ConsumerRecord<String, AlertNotification>> fired = kafka.consume(prefix, Topics.ALERTS_FIRED, 1, TIMEOUT);
                assertThat(fired).singleElement().satisfies(r -> {
                    assertThat(r.key()).isEqualTo(HELMET_ALERT);
                    assertThat(r.value().getId()).isEqualTo(Ids.notificationId(HELMET_ALERT, key(helmet)));
                    assertThat(r.value().getExplanation()).startsWith("The record says the worker wears no helmet.")
                            .contains(HELMET_PROMPT);
                    assertThat(r.value().getConfidence()).isEqualTo(0.8);
                    assertThat(r.value().getLabel()).isEqualTo("no helmet");
                    assertThat(r.value().getText()).isEqualTo(helmet.getText());
                    assertThat(r.value().getRtstreamName()).isEqualTo("Site cam");
                    assertThat(r.value().getCallbackUrl()).isEqualTo(Fixtures.CALLBACK);
                });
                List<RecordedRequest> calls = fake.requests("/v1/chat/completions");
                assertThat(calls).singleElement().satisfies(call -> assertThat(call.texts().get(1))
                        .contains("1. " + HELMET_PROMPT, "2. " + FENCE_PROMPT, helmet.getText()));

                // The helmet alert is in its cooldown: only the fence is asked about, and it does not match.
                fake.reply(MODEL, Reply.content(verdicts(verdict(1, false, 0.9, "Nobody climbs anything."))));
                kafka.send(prefix, Topics.INDEX_SCENE, STREAM, scene(T0.plusSeconds(2), "Two workers in helmets carry boxes."));
                Eventually.await().alias("non-matching verdict").until(
                        () -> count(registry, "judge.verdicts", "verdict", "no_match"), n -> n == 2.0);
                assertThat(fake.requests("/v1/chat/completions")).hasSize(2).last().satisfies(call ->
                        assertThat(call.texts().get(1)).contains("1. " + FENCE_PROMPT).doesNotContain(HELMET_PROMPT));

                // The model fails: nothing fires, the failure is counted, the worker goes on.
                fake.reply(MODEL, Reply.error(500));
                kafka.send(prefix, Topics.INDEX_SCENE, STREAM, scene(T0.plusSeconds(4), "A worker near the fence."));
                Eventually.await().alias("5xx counted").until(
                        () -> count(registry, "judge.failures", "reason", "server_error"), n -> n == 1.0);

                fake.reply(MODEL, Reply.content(verdicts(verdict(1, true, 0.7, "A worker climbs over the fence."))));
                SceneRecord climb = scene(T0.plusSeconds(6), "A worker without a helmet climbs the fence.");
                kafka.send(prefix, Topics.INDEX_SCENE, STREAM, climb);
                List<ConsumerRecord<String, AlertNotification>> both = kafka.consume(prefix, Topics.ALERTS_FIRED, 2, TIMEOUT);
                assertThat(both).extracting(ConsumerRecord::key).containsExactly(HELMET_ALERT, FENCE_ALERT);
                assertThat(both.get(1).value().getId()).isEqualTo(Ids.notificationId(FENCE_ALERT, key(climb)));

                // Both alerts in their cooldown: no model call at all.
                kafka.send(prefix, Topics.INDEX_SCENE, STREAM, scene(T0.plusSeconds(8), "A worker without a helmet."));
                Eventually.await().alias("suppressed before asking").until(
                        () -> count(registry, "suppressed", "reason", "cooldown"), n -> n == 5.0);
                assertThat(fake.requests("/v1/chat/completions")).hasSize(4);
                // Every request was handled in order, so this is all the worker ever wrote.
                assertThat(count(registry, "notifications")).isEqualTo(2.0);
                assertThat(count(registry, "judge.requests")).isEqualTo(5.0);
            }

            // A new instance: the worker rebuilds the cooldowns from vigil.alerts.fired.
            PrometheusMeterRegistry registry2 = MeterRegistries.prometheus("it");
            try (AlertRouterService restarted = new AlertRouterService(common, config.withStateDir(dir.resolve("second")),
                    registry2)) {
                restarted.start();
                Eventually.await().alias("judge worker running").until(restarted::isReady, ready -> ready);
                kafka.send(prefix, Topics.INDEX_SCENE, STREAM, scene(T0.plusSeconds(10), "A worker without a helmet."));
                Eventually.await().alias("cooldowns survive the restart").until(
                        () -> count(registry2, "suppressed", "reason", "cooldown"), n -> n == 2.0);
                assertThat(fake.requests("/v1/chat/completions")).hasSize(4);
                assertThat(count(registry2, "notifications")).isZero();
            }
        }
    }

    private static SceneRecord scene(Instant start, String text) {
        return SceneRecord.newBuilder(Fixtures.scene(start, 1)).setText(text).build();
    }

    private static String key(SceneRecord r) {
        return r.getIndexId() + ":scene_index:" + r.getStart().toEpochMilli() + ":" + r.getEnd().toEpochMilli();
    }

    private static String verdict(int event, boolean match, double confidence, String explanation) {
        return "{\"event\": " + event + ", \"match\": " + match + ", \"confidence\": " + confidence
                + ", \"explanation\": \"" + explanation + "\"}";
    }

    private static String verdicts(String... verdicts) {
        return "{\"verdicts\": [" + String.join(", ", verdicts) + "]}";
    }

    private static double count(PrometheusMeterRegistry registry, String name, String... tags) {
        Counter counter = registry.find("vigil.alert.router." + name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }
}
