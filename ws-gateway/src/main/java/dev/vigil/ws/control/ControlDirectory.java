package dev.vigil.ws.control;

import dev.vigil.common.lifecycle.Service;
import dev.vigil.schemas.TopicDef;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.IndexSpec;
import dev.vigil.schemas.control.RtStreamSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted control topics {@code indexes} and {@code rtstreams} from the beginning on
 * its own thread ({@code vigil-ws-gateway-control}) and keeps, per index and per stream, the tenant,
 * the addressed {@code ws_connection_id} and the stream name. No consumer group: every gateway
 * instance holds the whole (small) directory. Tombstones remove entries; undecodable records are
 * logged, counted and skipped.
 *
 * <p>{@link #start()} returns once the directory has caught up with the topics' end offsets, so
 * a gateway never serves with a partial view of who gets what. Lookups are lock-free and may be
 * called from any thread.
 */
public final class ControlDirectory implements Service, ControlRoutes {

    private static final Logger log = LoggerFactory.getLogger(ControlDirectory.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
    private static final long CATCH_UP_SECONDS = 60;

    private final Map<String, Object> consumerConfig;
    private final String prefix;
    private final Map<String, IndexRoute> indexes = new ConcurrentHashMap<>();
    private final Map<String, StreamRoute> streams = new ConcurrentHashMap<>();
    private final AtomicLong skipped = new AtomicLong();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Deserializer<IndexSpec> indexDeserializer = Topics.INDEXES.valueSerde().deserializer();
    private final Deserializer<RtStreamSpec> streamDeserializer = Topics.RTSTREAMS.valueSerde().deserializer();
    private volatile boolean running;
    private volatile Throwable failure;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;
    private Map<TopicPartition, Long> endOffsets = Map.of();

    /** {@code consumerConfig}: bootstrap and client settings; the group and offsets are managed here. */
    public ControlDirectory(Map<String, Object> consumerConfig, String topicPrefix) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A new index is usually followed within seconds by its first records: pick it up quickly.
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        this.consumerConfig = config;
        this.prefix = topicPrefix;
    }

    @Override
    public String name() {
        return "ws-control-directory";
    }

    /** Starts the reader thread; returns once everything written before the call has been applied. */
    @Override
    public void start() throws InterruptedException {
        consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (TopicDef<String, ?> topic : List.of(Topics.INDEXES, Topics.RTSTREAMS)) {
                partitions.addAll(partitionsOf(consumer, topic.name(prefix)));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            endOffsets = consumer.endOffsets(partitions, METADATA_TIMEOUT);
        } catch (RuntimeException e) {
            consumer.close();
            consumer = null;
            throw e;
        }
        running = true;
        thread = new Thread(this::run, "vigil-ws-gateway-control");
        thread.setDaemon(true);
        thread.start();
        if (!caughtUp.await(CATCH_UP_SECONDS, TimeUnit.SECONDS) || failure != null) {
            close();
            throw new IllegalStateException("ws-gateway could not read the control topics", failure);
        }
        log.info("Control directory loaded: {} streams, {} indexes", streams.size(), indexes.size());
    }

    static List<TopicPartition> partitionsOf(KafkaConsumer<?, ?> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist; run the topic bootstrap");
        }
        return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    apply(record);
                }
                if (caughtUp.getCount() > 0 && reachedEnd()) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // close() woke us up.
        } catch (RuntimeException e) {
            failure = e;
            log.error("ws-gateway stopped reading the control topics; routing by ws_connection_id is frozen", e);
        } finally {
            caughtUp.countDown();
            consumer.close();
        }
    }

    private boolean reachedEnd() {
        for (Map.Entry<TopicPartition, Long> end : endOffsets.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        try {
            if (record.key() == null) {
                throw new SerializationException("record without key");
            }
            if (record.topic().equals(Topics.INDEXES.name(prefix))) {
                IndexSpec spec = indexDeserializer.deserialize(record.topic(), record.value());
                if (spec == null) {
                    indexes.remove(record.key());
                } else {
                    indexes.put(record.key(), new IndexRoute(spec.getId(), spec.getRtstreamId(), spec.getCollectionId(),
                            spec.getWsConnectionId()));
                }
            } else {
                RtStreamSpec spec = streamDeserializer.deserialize(record.topic(), record.value());
                if (spec == null) {
                    streams.remove(record.key());
                } else {
                    streams.put(record.key(), new StreamRoute(spec.getId(), spec.getCollectionId(), spec.getName(),
                            spec.getWsConnectionId()));
                }
            }
        } catch (SerializationException e) {
            skipped.incrementAndGet();
            log.warn("Skipping undecodable control record {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
        }
    }

    /** The index {@code id}, or {@code null} if unknown (not created yet, deleted, or not seen yet). */
    @Override
    public IndexRoute index(String id) {
        return indexes.get(id);
    }

    /** The stream {@code id}, or {@code null} if unknown. */
    @Override
    public StreamRoute stream(String id) {
        return streams.get(id);
    }

    /** Control records skipped because they could not be decoded. */
    public long skippedRecords() {
        return skipped.get();
    }

    @Override
    public boolean isReady() {
        return running && failure == null && caughtUp.getCount() == 0;
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
