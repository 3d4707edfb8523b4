package dev.vigil.common.kafka.reader;

import static dev.vigil.testkit.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.kafka.reader.ReaderService.ReadyWhen;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.TestKafka;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The view shell on the real broker: loaded before start returns, undecodable records skipped and counted, ready and closed. */
@ExtendWith(EmbeddedKafkaExtension.class)
class ReaderServiceIT {

    /** A view of "key → value" whose value "garbage" does not decode. */
    private static final class Words extends ReaderService<String, String> {
        final Map<String, String> words = new ConcurrentHashMap<>();
        volatile Map<TopicPartition, Long> lastPositions = Map.of();

        Words(TestKafka kafka, String topic, ReadyWhen readyWhen) {
            super(TopicReader.builder("words-view", kafka.consumerConfig("ignored-group"), new StringDeserializer(),
                    new StringDeserializer()).topic(topic), readyWhen);
        }

        @Override
        protected void apply(ConsumerRecord<String, String> record) {
            if ("garbage".equals(record.value())) {
                throw new SerializationException("not a word");
            }
            words.put(record.key(), record.value());
        }

        @Override
        protected void afterPoll(Map<TopicPartition, Long> positions) {
            lastPositions = positions;
        }
    }

    private static String topicWith(TestKafka kafka, String... keyValues) {
        String topic = kafka.uniquePrefix() + "words";
        kafka.createTopic(topic, 2);
        for (int i = 0; i < keyValues.length; i += 2) {
            kafka.sendRaw(topic, keyValues[i].getBytes(StandardCharsets.UTF_8), keyValues[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return topic;
    }

    @Test
    void loadedAtStartServesEverythingOnceStartReturnsAndSkipsWhatDoesNotDecode(TestKafka kafka) throws Exception {
        String topic = topicWith(kafka, "a", "alpha", "x", "garbage", "b", "beta");
        Words view = new Words(kafka, topic, ReadyWhen.LOADED_AT_START);
        try (view) {
            view.start();

            assertThat(view.words).containsExactlyInAnyOrderEntriesOf(Map.of("a", "alpha", "b", "beta"));
            assertThat(view.skippedRecords()).isEqualTo(1);
            // The hook saw the positions past every record, the skipped one included, before start returned.
            assertThat(view.lastPositions.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);
            assertThat(view.isReady()).isTrue();
            assertThat(view.isAlive()).isTrue();
            assertThat(view.name()).isEqualTo("words-view");

            kafka.sendRaw(topic, "c".getBytes(StandardCharsets.UTF_8), "gamma".getBytes(StandardCharsets.UTF_8));
            await().alias("later records applied").until(() -> view.words.get("c"), "gamma"::equals);
        }
        assertThat(view.isReady()).isFalse();
    }

    @Test
    void loadedBecomesReadyOnceCaughtUpWithoutHoldingStart(TestKafka kafka) throws Exception {
        String topic = topicWith(kafka, "a", "alpha", "b", "beta");
        try (Words view = new Words(kafka, topic, ReadyWhen.LOADED)) {
            view.start();
            await().alias("ready once loaded").until(view::isReady, ready -> ready);
            assertThat(view.words).containsOnlyKeys("a", "b");
        }
    }
}
