package dev.vigil.webhooks.testing;

import dev.vigil.schemas.TopicDef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Follows one topic from its beginning and keeps every record read so far, so a test can wait for
 * records matching a predicate ({@code Eventually.await().until(() -> tail.matching(p).size() >= n)})
 * without re-reading the topic each time. Assigned partitions, no group. Synchronized: Awaitility
 * evaluates conditions on its own thread.
 */
public final class TopicTail<V> implements AutoCloseable {

    private final KafkaConsumer<String, V> consumer;
    private final List<ConsumerRecord<String, V>> records = new ArrayList<>();

    public TopicTail(String bootstrapServers, String prefix, TopicDef<String, V> def) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        Deserializer<V> values = def.valueSerde().deserializer();
        consumer = new KafkaConsumer<>(config, def.keySerde().deserializer(), values);
        String topic = def.name(prefix);
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads what arrived since the last call and returns every value read so far, in arrival order. */
    public synchronized List<V> values() {
        consumer.poll(Duration.ofMillis(20)).forEach(records::add);
        return records.stream().map(ConsumerRecord::value).toList();
    }

    /** Values matching {@code filter}. */
    public List<V> matching(Predicate<V> filter) {
        return values().stream().filter(v -> v != null && filter.test(v)).toList();
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
