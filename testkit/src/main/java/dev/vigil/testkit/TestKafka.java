package dev.vigil.testkit;

import dev.vigil.schemas.CleanupPolicy;
import dev.vigil.schemas.TopicDef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test helper bound to the shared broker of {@link EmbeddedKafkaExtension} (in this JVM or in a
 * container, see {@link TestBrokerKind}): creates topics under a
 * per-test prefix, sends and reads records through the {@link TopicDef} serdes, synchronously.
 *
 * <p>Thread-safe. Its admin client and producer are closed by the extension when the test run ends;
 * every {@code consume} uses a fresh consumer that it closes itself.
 */
public final class TestKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TestKafka.class);

    /** Bound on every blocking admin or producer call; a healthy local broker answers in milliseconds. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(50);
    /**
     * A fetch that finds no data in some of its partitions waits up to this long at the broker: Kafka's
     * 500 ms default made every {@code consume} take over half a second (measured: 550 ms vs 70 ms).
     */
    private static final int FETCH_MAX_WAIT_MS = 10;
    private static final int MAX_SHOWN_CHARS = 300;

    private final String bootstrapServers;
    private final AtomicInteger prefixes = new AtomicInteger();
    private Admin admin;
    private KafkaProducer<byte[], byte[]> producer;

    TestKafka(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * A topic prefix no other caller gets in this JVM, such as {@code t7-vigil.}: tests sharing the
     * broker never see each other's topics, and {@code prefix + suffix} looks like a real Vigil name.
     */
    public String uniquePrefix() {
        return "t" + prefixes.incrementAndGet() + "-vigil.";
    }

    /** The one admin client of this helper; do not close it. */
    public synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
        }
        return admin;
    }

    /** Base settings for a producer a test builds itself: this broker, {@code acks=all}, no batching delay. */
    public Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return config;
    }

    /** Base settings for a consumer a test builds itself, reading from the earliest offset. */
    public Map<String, Object> consumerConfig(String groupId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);
        return config;
    }

    /**
     * Creates {@code defs} under {@code prefix} with their cleanup policy and retention, one replica and
     * {@code partitions} partitions each, and returns once the broker serves their metadata.
     */
    public void createTopics(String prefix, Collection<? extends TopicDef<String, ?>> defs, int partitions) {
        List<NewTopic> topics = defs.stream().map(def -> newTopic(prefix, def, partitions)).toList();
        create(topics);
    }

    /** Creates a plain topic (default configs, one replica) and returns once the broker serves it. */
    public void createTopic(String name, int partitions) {
        create(List.of(new NewTopic(name, partitions, (short) 1)));
    }

    private static NewTopic newTopic(String prefix, TopicDef<String, ?> def, int partitions) {
        Map<String, String> configs = new HashMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, def.cleanupPolicy().configValue());
        if (def.cleanupPolicy() == CleanupPolicy.DELETE) {
            def.retention().ifPresent(r -> configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(r.toMillis())));
        }
        return new NewTopic(def.name(prefix), partitions, (short) 1).configs(configs);
    }

    private void create(List<NewTopic> topics) {
        Set<String> names = topics.stream().map(NewTopic::name).collect(Collectors.toSet());
        complete(admin().createTopics(topics).all(), "create topics " + names);
        // The controller has committed the topics; the broker serves them once it has replayed that.
        Eventually.await().alias("broker serves " + names).ignoreExceptions()
                .until(() -> admin().describeTopics(names).allTopicNames().get().keySet().equals(names));
        log.debug("Created test topics {}", names);
    }

    /** Sends one record to {@code def}'s topic under {@code prefix} and waits for its ack; {@code null} value = tombstone. */
    public <K, V> RecordMetadata send(String prefix, TopicDef<K, V> def, K key, V value) {
        String topic = def.name(prefix);
        return sendRaw(topic,
                def.keySerde().serializer().serialize(topic, key),
                def.valueSerde().serializer().serialize(topic, value));
    }

    /** Sends already serialized bytes to {@code topic} and waits for the ack. */
    public RecordMetadata sendRaw(String topic, byte[] key, byte[] value) {
        return complete(producer().send(new ProducerRecord<>(topic, key, value)), "send to " + topic);
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /**
     * Reads {@code def}'s topic under {@code prefix} from the earliest offset with a fresh consumer until at
     * least {@code count} records arrived, and returns all that arrived (in order within each partition).
     *
     * @throws AssertionError listing what did arrive if fewer than {@code count} came within {@code timeout}
     */
    public <K, V> List<ConsumerRecord<K, V>> consume(String prefix, TopicDef<K, V> def, int count, Duration timeout) {
        return consume(def.name(prefix), def.keySerde().deserializer(), def.valueSerde().deserializer(), count, timeout);
    }

    /** {@link #consume} without deserializing. */
    public List<ConsumerRecord<byte[], byte[]>> consumeRaw(String topic, int count, Duration timeout) {
        return consume(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer(), count, timeout);
    }

    private <K, V> List<ConsumerRecord<K, V>> consume(String topic, Deserializer<K> keys, Deserializer<V> values,
            int count, Duration timeout) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ConsumerRecord<K, V>> received = new ArrayList<>();
        // Assigned partitions, no group: nothing to join or rebalance, and no committed offsets to resume from.
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(config, keys, values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            if (partitions.isEmpty()) {
                throw new AssertionError("Topic " + topic + " does not exist; create it with createTopics first");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (received.size() < count && System.nanoTime() < deadline) {
                consumer.poll(POLL).forEach(received::add);
            }
        }
        if (received.size() < count) {
            throw new AssertionError("Expected " + count + " records on " + topic + " within " + timeout + " but "
                    + received.size() + " arrived: " + describe(received));
        }
        return received;
    }

    private static String describe(List<? extends ConsumerRecord<?, ?>> records) {
        return records.stream()
                .map(r -> r.partition() + "@" + r.offset() + " " + shorten(r.key()) + " -> " + shorten(r.value()))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String shorten(Object value) {
        String text = value instanceof byte[] bytes ? bytes.length + " bytes" : String.valueOf(value);
        return text.length() <= MAX_SHOWN_CHARS ? text : text.substring(0, MAX_SHOWN_CHARS) + "...";
    }

    private static <T> T complete(Future<T> future, String what) {
        try {
            return future.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("cannot " + what + " within " + CALL_TIMEOUT, e);
        }
    }

    /** Closes the admin client and producer; called by {@link EmbeddedKafkaExtension} at the end of the run. */
    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(CALL_TIMEOUT);
            producer = null;
        }
        if (admin != null) {
            admin.close(CALL_TIMEOUT);
            admin = null;
        }
    }
}
