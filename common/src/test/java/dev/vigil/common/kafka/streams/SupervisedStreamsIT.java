package dev.vigil.common.kafka.streams;

import static dev.vigil.testkit.Eventually.await;
import static dev.vigil.testkit.Eventually.within;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.supervision.RestartPolicy;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.TestKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The shared Streams lifecycle on the real broker: RUNNING, a dead thread replaced, a budget spent. */
@ExtendWith(EmbeddedKafkaExtension.class)
class SupervisedStreamsIT {

    private static final RestartPolicy FAST = new RestartPolicy(Duration.ofMillis(20), Duration.ofMillis(100), 2,
            Duration.ofMinutes(1));

    @TempDir
    Path stateDir;

    /** An application that records each value and throws while {@code failures} says so for "boom". */
    private static KafkaStreams app(TestKafka kafka, String topic, Path stateDir, List<String> seen, AtomicInteger boomsLeft) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(topic, Consumed.with(Serdes.String(), Serdes.String())).foreach((k, v) -> {
            if (v.equals("boom") && boomsLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("injected failure processing " + v);
            }
            seen.add(v);
        });
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, topic + "-app");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 50);
        props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        // A replaced thread's member does not leave the group: its task moves once its session expires.
        props.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 6_000);
        props.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), 1_000);
        return new KafkaStreams(builder.build(), props);
    }

    private static void send(TestKafka kafka, String topic, String value) {
        kafka.sendRaw(topic, "k".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aDeadStreamThreadIsReplacedAndTheRecordProcessedAgain(TestKafka kafka) throws Exception {
        String topic = kafka.uniquePrefix() + "in";
        kafka.createTopic(topic, 1);
        List<String> seen = new CopyOnWriteArrayList<>();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (KafkaStreams streams = app(kafka, topic, Files.createDirectories(stateDir.resolve("a")), seen, new AtomicInteger(1))) {
            SupervisedStreams supervised = new SupervisedStreams("test-app", streams, FAST).bindTo(registry);
            supervised.start(Duration.ofSeconds(60));
            assertThat(supervised.isReady()).isTrue();

            send(kafka, topic, "before");
            send(kafka, topic, "boom");
            send(kafka, topic, "after");

            // Stream threads die on purpose here: their exceptions are the test's subject, not its failure.
            within(Duration.ofSeconds(60)).dontCatchUncaughtExceptions().until(() -> seen.contains("after"));
            assertThat(seen).containsSubsequence("before", "boom", "after");
            assertThat(supervised.failures()).isEqualTo(1);
            assertThat(supervised.replacedThreads()).isEqualTo(1);
            assertThat(supervised.isAlive()).isTrue();
            await().dontCatchUncaughtExceptions().until(supervised::isReady);
            assertThat(registry.get("vigil.loop.restarts").tag("loop", "test-app").functionCounter().count()).isEqualTo(1);
            supervised.stopping();
        }
    }

    @Test
    void pastTheBudgetTheClientShutsDownAndIsNotAlive(TestKafka kafka) throws Exception {
        String topic = kafka.uniquePrefix() + "in";
        kafka.createTopic(topic, 1);
        List<String> seen = new CopyOnWriteArrayList<>();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (KafkaStreams streams = app(kafka, topic, Files.createDirectories(stateDir.resolve("b")), seen,
                new AtomicInteger(Integer.MAX_VALUE))) {
            SupervisedStreams supervised = new SupervisedStreams("doomed-app", streams, FAST).bindTo(registry);
            supervised.start(Duration.ofSeconds(60));

            send(kafka, topic, "boom");

            within(Duration.ofSeconds(90)).dontCatchUncaughtExceptions().until(() -> !supervised.isAlive());
            assertThat(supervised.failures()).as("the first failure and one per replacement of the budget").isEqualTo(3);
            assertThat(supervised.isReady()).isFalse();
            await().dontCatchUncaughtExceptions().until(() -> supervised.state() == KafkaStreams.State.ERROR);
            assertThat(registry.get("vigil.loop.dead").tag("loop", "doomed-app").gauge().value()).isEqualTo(1.0);
        }
    }
}
