package dev.vigil.ws.feed;

import dev.vigil.common.lifecycle.Service;
import dev.vigil.schemas.TopicDef;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.index.AudioRecord;
import dev.vigil.schemas.index.SceneRecord;
import dev.vigil.schemas.index.TranscriptRecord;
import dev.vigil.ws.metrics.GatewayMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code index.transcript}, {@code index.scene}, {@code index.audio} and
 * {@code alerts.fired} on its own thread ({@code vigil-ws-gateway-feed}) and hands each poll's
 * records, encoded once into frames, to the {@link DeliverySink}.
 *
 * <p>At-most-once by design (DESIGN §4.2): every partition is assigned without a consumer group,
 * reading starts at the end, and no offset is ever committed — a restarted gateway neither replays
 * old records to new connections nor resumes where it stopped. Every gateway instance reads every
 * partition and delivers to the connections it holds. Undecodable records are logged, counted and
 * skipped. {@link #start()} returns once every partition's position is resolved, so any record
 * written after it returns is delivered.
 */
public final class DataFeed implements Service {

    private static final Logger log = LoggerFactory.getLogger(DataFeed.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, Object> consumerConfig;
    private final String prefix;
    private final DeliveryEncoder encoder;
    private final DeliverySink sink;
    private final GatewayMetrics metrics;
    private final Map<String, Decoder> decoders = new HashMap<>();
    private volatile boolean running;
    private volatile Throwable failure;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    /** One topic's deserializer and encoding into a delivery. */
    private interface Decoder {
        Delivery decode(String topic, byte[] value);
    }

    /** {@code consumerConfig}: bootstrap and client settings; the group and offsets are managed here. */
    public DataFeed(Map<String, Object> consumerConfig, String topicPrefix, DeliveryEncoder encoder, DeliverySink sink,
            GatewayMetrics metrics) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A position lost to retention jumps to the newest record: old records are never replayed.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        // The broker answers a waiting fetch as soon as a record arrives; this only bounds idle polls.
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        this.consumerConfig = config;
        this.prefix = topicPrefix;
        this.encoder = encoder;
        this.sink = sink;
        this.metrics = metrics;
        register(Topics.INDEX_TRANSCRIPT, encoder::transcript);
        register(Topics.INDEX_SCENE, encoder::scene);
        register(Topics.INDEX_AUDIO, encoder::audio);
        register(Topics.ALERTS_FIRED, encoder::alert);
    }

    private <V> void register(TopicDef<String, V> def, java.util.function.Function<V, Delivery> encode) {
        Deserializer<V> deserializer = def.valueSerde().deserializer();
        decoders.put(def.name(prefix), (topic, value) -> {
            V record = deserializer.deserialize(topic, value);
            return record == null ? null : encode.apply(record);
        });
    }

    @Override
    public String name() {
        return "ws-data-feed";
    }

    /** Assigns every partition at its end and starts the reader thread. */
    @Override
    public void start() {
        consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : decoders.keySet()) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
                if (infos == null || infos.isEmpty()) {
                    throw new IllegalStateException("topic " + topic + " does not exist; run the topic bootstrap");
                }
                infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            // seekToEnd is lazy; resolving the positions now makes "started" mean "sees every later record".
            for (TopicPartition partition : partitions) {
                consumer.position(partition, METADATA_TIMEOUT);
            }
            log.info("Data feed positioned at the end of {} partitions", partitions.size());
        } catch (RuntimeException e) {
            consumer.close();
            consumer = null;
            throw e;
        }
        running = true;
        thread = new Thread(this::run, "vigil-ws-gateway-feed");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                if (records.isEmpty() || sink.isEmpty()) {
                    continue; // nobody to deliver to: at-most-once lets these go undecoded
                }
                List<Delivery> batch = new ArrayList<>(records.count());
                for (ConsumerRecord<String, byte[]> record : records) {
                    Delivery delivery = decode(record);
                    if (delivery != null) {
                        batch.add(delivery);
                    }
                }
                if (!batch.isEmpty()) {
                    log.trace("Dispatching {} deliveries", batch.size());
                    sink.dispatch(batch);
                }
            }
        } catch (WakeupException e) {
            // close() woke us up.
        } catch (RuntimeException e) {
            failure = e;
            log.error("ws-gateway stopped reading index records and alerts; nothing is delivered any more", e);
        } finally {
            consumer.close();
        }
    }

    private Delivery decode(ConsumerRecord<String, byte[]> record) {
        try {
            return decoders.get(record.topic()).decode(record.topic(), record.value());
        } catch (SerializationException e) {
            metrics.recordSkipped(record.topic());
            log.warn("Skipping undecodable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        } catch (RuntimeException e) {
            // One odd record must not stop delivery to every connection.
            metrics.recordSkipped(record.topic());
            log.error("Skipping record {}-{}@{} that could not be encoded", record.topic(), record.partition(),
                    record.offset(), e);
        }
        return null;
    }

    @Override
    public boolean isReady() {
        return running && failure == null;
    }

    @Override
    public void close() {
        running = false;
        Thread reader = thread;
        if (reader != null) {
            consumer.wakeup();
            try {
                reader.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        thread = null;
        consumer = null;
    }
}
