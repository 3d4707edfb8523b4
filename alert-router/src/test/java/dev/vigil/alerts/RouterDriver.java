package dev.vigil.alerts;

import dev.vigil.alerts.metrics.RouterMetrics;
import dev.vigil.schemas.TopicDef;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.alerts.JudgeRequest;
import dev.vigil.schemas.control.AlertBinding;
import dev.vigil.schemas.control.EventRule;
import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.schemas.index.AudioRecord;
import dev.vigil.schemas.index.SceneRecord;
import dev.vigil.schemas.index.TranscriptRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The alert-router topology in a {@link TopologyTestDriver}, with the service's topology settings
 * (poison handler, timestamp extractor, …), a fixed firing clock, and typed topics. Each instance is
 * a fresh application with empty stores: a new one models a restart that lost its local state.
 */
final class RouterDriver implements AutoCloseable {

    static final String PREFIX = "vigil.";
    /** The clock notifications are stamped with. */
    static final Instant NOW = Fixtures.T0.plusSeconds(3);

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TopologyTestDriver driver;
    final TestInputTopic<String, SceneRecord> scene;
    final TestInputTopic<String, AudioRecord> audio;
    final TestInputTopic<String, TranscriptRecord> transcript;
    final TestInputTopic<String, AlertBinding> alerts;
    final TestInputTopic<String, EventRule> events;
    final TestInputTopic<String, RtStreamSpec> rtstreams;
    final TestOutputTopic<String, AlertNotification> fired;
    /** Judge requests; only with a judge. */
    final TestOutputTopic<String, JudgeRequest> judge;

    RouterDriver(Path stateDir) {
        this(stateDir, false);
    }

    /** @param judging as when a text model is configured: judged events go to the judge topic */
    RouterDriver(Path stateDir, boolean judging) {
        this(stateDir, judging, null);
    }

    /** @param clips the links notifications of recorded streams carry, or null */
    RouterDriver(Path stateDir, boolean judging, dev.vigil.common.playback.ClipLinks clips) {
        RouterMetrics metrics = new RouterMetrics(registry);
        AlertRouterTopologyDeps deps = new AlertRouterTopologyDeps(PREFIX, Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ofSeconds(60), metrics, judging, clips);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "vigil.alert-router");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.putAll(AlertRouterStreamsConfig.topologyOverrides(metrics));
        driver = new TopologyTestDriver(AlertRouterTopology.build(deps), props, Fixtures.T0);
        scene = input(Topics.INDEX_SCENE);
        audio = input(Topics.INDEX_AUDIO);
        transcript = input(Topics.INDEX_TRANSCRIPT);
        alerts = input(Topics.ALERTS);
        events = input(Topics.EVENTS);
        rtstreams = input(Topics.RTSTREAMS);
        fired = driver.createOutputTopic(Topics.ALERTS_FIRED.name(PREFIX), Topics.ALERTS_FIRED.keySerde().deserializer(),
                Topics.ALERTS_FIRED.valueSerde().deserializer());
        judge = driver.createOutputTopic(Topics.ALERTS_JUDGE.name(PREFIX), Topics.ALERTS_JUDGE.keySerde().deserializer(),
                Topics.ALERTS_JUDGE.valueSerde().deserializer());
    }

    private <V> TestInputTopic<String, V> input(TopicDef<String, V> def) {
        return driver.createInputTopic(def.name(PREFIX), def.keySerde().serializer(), def.valueSerde().serializer());
    }

    /** A topic of raw bytes, for garbage. */
    TestInputTopic<String, byte[]> raw(TopicDef<String, ?> def) {
        return driver.createInputTopic(def.name(PREFIX), new StringSerializer(), new ByteArraySerializer());
    }

    /** The intruder event, the stream spec and the intruder alert, as control-api would have written them. */
    RouterDriver withIntruderAlert() {
        events.pipeInput(Fixtures.INTRUDER_EVENT, Fixtures.intruderEvent(), Fixtures.T0.minusSeconds(60));
        rtstreams.pipeInput(Fixtures.STREAM, Fixtures.stream(Fixtures.STREAM, Fixtures.ACME, "Warehouse cam"),
                Fixtures.T0.minusSeconds(60));
        alerts.pipeInput(Fixtures.ALERT_1, Fixtures.intruderAlert(), Fixtures.T0.minusSeconds(60));
        return this;
    }

    /** Pipes a scene record of STREAM at its own start time. */
    void scene(SceneRecord record) {
        scene.pipeInput(record.getRtstreamId(), record, record.getStart());
    }

    double count(String name, String... tags) {
        Counter counter = registry.find("vigil.alert.router." + name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
        driver.close();
    }
}
