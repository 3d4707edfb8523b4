package dev.vigil.alerts;

import static dev.vigil.alerts.Fixtures.ALERT_1;
import static dev.vigil.alerts.Fixtures.INTRUDER_EVENT;
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
import dev.vigil.schemas.alerts.Channel;
import dev.vigil.schemas.index.SceneRecord;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.Eventually;
import dev.vigil.testkit.TestKafka;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert-router service on the real embedded broker: control records and index records produced
 * to their topics become notifications on {@code vigil.alerts.fired}; poison on every kind of input is
 * skipped and counted; the cooldown survives a restart (restored from its changelog), and a record
 * seen again after the restart gets the same notification id.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class AlertRouterServiceIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final byte[] GARBAGE = "definitely not avro".getBytes(StandardCharsets.UTF_8);

    @Test
    void routesIndexRecordsToNotificationsAndKeepsTheCooldownAcrossARestart(TestKafka kafka, @TempDir Path dir)
            throws Exception {
        String prefix = kafka.uniquePrefix();
        CommonConfig common = CommonConfig.fromEnv(Map.of("VIGIL_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "VIGIL_TOPIC_PREFIX", prefix, "VIGIL_TOPIC_PARTITIONS", "3", "VIGIL_INSTANCE_ID", "it"));
        try (Admin admin = Admin.create(new KafkaClients(common).admin("alert-router-it"))) {
            new TopicBootstrap(admin, common).ensure(Topics.ALL);
        }
        // Control state as control-api writes it, with garbage in front: the global tables are loaded
        // through it at start-up.
        kafka.sendRaw(Topics.EVENTS.name(prefix), bytes(INTRUDER_EVENT), GARBAGE);
        kafka.send(prefix, Topics.EVENTS, INTRUDER_EVENT, Fixtures.intruderEvent());
        kafka.sendRaw(Topics.RTSTREAMS.name(prefix), bytes(STREAM), GARBAGE);
        kafka.send(prefix, Topics.RTSTREAMS, STREAM, Fixtures.stream(STREAM, Fixtures.ACME, "Warehouse cam"));
        kafka.sendRaw(Topics.ALERTS.name(prefix), bytes(ALERT_1), GARBAGE);
        kafka.send(prefix, Topics.ALERTS, ALERT_1, Fixtures.intruderAlert());
        AlertRouterConfig config = AlertRouterConfig.from(ConfigValues.read(Map.of(), AlertRouterConfig.serviceSettings()));
        SceneRecord intruder = Fixtures.scene(T0, 1);
        String expectedId = Ids.notificationId(ALERT_1, intruder.getIndexId() + ":scene_index:"
                + intruder.getStart().toEpochMilli() + ":" + intruder.getEnd().toEpochMilli());

        PrometheusMeterRegistry registry = MeterRegistries.prometheus("it");
        AlertRouterService service = new AlertRouterService(common, config.withStateDir(dir.resolve("first")), registry);
        try (service) {
            service.start();
            assertThat(service.isReady()).isTrue();
            // The alert reaches the joined table through a repartition topic: a record processed before
            // it arrives would (rightly) not fire, so wait for it, as a user waits for the 201.
            Eventually.await().alias("alert loaded").until(service::alertsInTable, n -> n == 1.0);

            kafka.sendRaw(Topics.INDEX_SCENE.name(prefix), bytes(STREAM), GARBAGE);
            kafka.send(prefix, Topics.INDEX_SCENE, STREAM, intruder);

            List<ConsumerRecord<String, AlertNotification>> fired = kafka.consume(prefix, Topics.ALERTS_FIRED, 1, TIMEOUT);
            assertThat(fired).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo(ALERT_1);
                assertThat(r.value().getId()).isEqualTo(expectedId);
                assertThat(r.value().getChannel()).isEqualTo(Channel.SCENE_INDEX);
                assertThat(r.value().getRtstreamName()).isEqualTo("Warehouse cam");
                assertThat(r.value().getCallbackUrl()).isEqualTo(Fixtures.CALLBACK);
                assertThat(r.value().getRecordEmitTs()).isEqualTo(intruder.getEmitTs());
            });
            for (String topic : List.of("events", "rtstreams", "alerts", "index.scene")) {
                Eventually.await().alias("poison on " + topic + " counted")
                        .until(() -> count(registry, "poison.records", "topic", prefix + topic, "reason", "undecodable"),
                                n -> n == 1.0);
            }
            assertThat(registry.scrape()).contains("vigil_alert_router_notifications_total");
        }
        assertThat(service.isReady()).isFalse();

        // A new instance with empty local state: the cooldown comes back from the changelog.
        PrometheusMeterRegistry registry2 = MeterRegistries.prometheus("it");
        try (AlertRouterService restarted = new AlertRouterService(common, config.withStateDir(dir.resolve("second")),
                registry2)) {
            restarted.start();
            assertThat(restarted.alertsInTable()).as("alert table restored from its changelog").isEqualTo(1.0);

            kafka.send(prefix, Topics.INDEX_SCENE, STREAM, Fixtures.scene(T0.plusSeconds(2), 1)); // same intruder
            Eventually.await().alias("second window suppressed by the restored cooldown")
                    .until(() -> count(registry2, "suppressed", "reason", "cooldown"), n -> n == 1.0);

            kafka.send(prefix, Topics.INDEX_SCENE, STREAM, intruder); // the first record again
            List<ConsumerRecord<String, AlertNotification>> all = kafka.consume(prefix, Topics.ALERTS_FIRED, 2, TIMEOUT);
            assertThat(all).extracting(r -> r.value().getId()).containsExactly(expectedId, expectedId);
            assertThat(count(registry2, "notifications.repeated")).isEqualTo(1.0);
        }
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private static double count(PrometheusMeterRegistry registry, String name, String... tags) {
        Counter counter = registry.find("vigil.alert.router." + name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }
}
