package dev.vigil.ingest.testing;

import dev.vigil.schemas.TopicDef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one topic from the beginning on a background thread for as long as a test runs, keeping
 * every record (values decoded with the topic's serde, tombstones as empty optionals) so the test
 * can wait for what it expects with Awaitility.
 */
public final class TopicTail<V> implements AutoCloseable {

    /** A record as read: key, value (empty for a tombstone), partition. */
    public record Entry<V>(String key, Optional<V> value, int partition) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final TopicDef<String, V> def;
    private final List<Entry<V>> entries = new CopyOnWriteArrayList<>();
    private final Map<String, Optional<V>> latest = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    public TopicTail(String bootstrapServers, String prefix, TopicDef<String, V> def) {
        this.def = def;
        this.topic = def.name(prefix);
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::run, "test-tail-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    String key = def.keySerde().deserializer().deserialize(topic, r.key());
                    Optional<V> value = Optional.ofNullable(def.valueSerde().deserializer().deserialize(topic, r.value()));
                    entries.add(new Entry<>(key, value, r.partition()));
                    latest.put(key, value);
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    /** Every value of {@code key} so far, in order (tombstones left out). */
    public List<V> values(String key) {
        List<V> values = new ArrayList<>();
        for (Entry<V> e : entries) {
            if (e.key.equals(key)) {
                e.value.ifPresent(values::add);
            }
        }
        return values;
    }

    /** Values of {@code key} matching {@code filter}. */
    public List<V> values(String key, Predicate<V> filter) {
        return values(key).stream().filter(filter).toList();
    }

    /** The latest value of {@code key}: null if none yet, empty if the latest is a tombstone. */
    public Optional<V> latest(String key) {
        return latest.get(key);
    }

    /** The latest value of {@code key} if present and not a tombstone. */
    public V current(String key) {
        Optional<V> v = latest.get(key);
        return v == null ? null : v.orElse(null);
    }

    public List<Entry<V>> entries() {
        return List.copyOf(entries);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
