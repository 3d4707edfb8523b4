package dev.vigil.api.state;

import dev.vigil.common.lifecycle.Service;
import dev.vigil.schemas.TopicDef;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.AlertBinding;
import dev.vigil.schemas.control.EventRule;
import dev.vigil.schemas.control.IndexSpec;
import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.schemas.control.StreamStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane as this instance knows it: the compacted topics {@code rtstreams},
 * {@code rtstreams.status}, {@code indexes}, {@code events} and {@code alerts}, materialised in
 * memory by one consumer thread that reads every partition from the beginning (no consumer group:
 * every instance holds everything).
 *
 * <p>Reads are served from the maps; {@link #awaitPositions} lets a caller wait until the view has
 * applied a given offset per partition — after its own write (read-your-writes) or after the end
 * offsets seen at request time (read barrier, so a GET on any instance sees writes answered by
 * another). Undecodable records are logged, counted and skipped.
 */
public final class ControlView implements Service {

    private static final Logger log = LoggerFactory.getLogger(ControlView.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Map<String, Object> consumerConfig;
    private final String prefix;
    private final Map<String, RtStreamSpec> streams = new ConcurrentHashMap<>();
    private final Map<String, StreamStatus> statuses = new ConcurrentHashMap<>();
    private final Map<String, IndexSpec> indexes = new ConcurrentHashMap<>();
    private final Map<String, EventRule> events = new ConcurrentHashMap<>();
    private final Map<String, AlertBinding> alerts = new ConcurrentHashMap<>();
    private final AppliedPositions applied = new AppliedPositions();
    private final AtomicLong skippedRecords = new AtomicLong();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile List<TopicPartition> partitions = List.of();
    private volatile boolean running;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;


    /** {@code consumerConfig}: bootstrap and client settings; group and offsets are managed here. */
    public ControlView(Map<String, Object> consumerConfig, String topicPrefix) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A waiting request is answered as soon as the write arrives, not after a 500 ms fetch wait.
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        this.consumerConfig = config;
        this.prefix = topicPrefix;
    }

    @Override
    public String name() {
        return "control-view";
    }

    /** Starts the reader thread and returns once the view has caught up with the topics' ends. */
    @Override
    public void start() throws InterruptedException {
        consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> all = new ArrayList<>();
        for (TopicDef<String, ?> topic : topics()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic.name(prefix), Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                consumer.close();
                throw new IllegalStateException("topic " + topic.name(prefix) + " does not exist; run the topic bootstrap");
            }
            infos.forEach(i -> all.add(new TopicPartition(i.topic(), i.partition())));
        }
        partitions = List.copyOf(all);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        CompletableFuture<Void> initial = awaitPositions(ends);
        initial.whenComplete((v, e) -> caughtUp.countDown());
        running = true;
        thread = new Thread(this::run, "vigil-control-view");
        thread.setDaemon(true);
        thread.start();
        if (!caughtUp.await(60, TimeUnit.SECONDS) || applied.failure() != null) {
            close();
            throw new IllegalStateException("control view did not catch up with the control topics", applied.failure());
        }
        log.info("Control view loaded: {} streams, {} indexes, {} events, {} alerts",
                streams.size(), indexes.size(), events.size(), alerts.size());
    }

    private static List<TopicDef<String, ?>> topics() {
        return List.of(Topics.RTSTREAMS, Topics.RTSTREAM_STATUS, Topics.INDEXES, Topics.EVENTS, Topics.ALERTS);
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                for (ConsumerRecord<String, byte[]> record : records) {
                    apply(record);
                }
                applied.advanced(consumer, partitions);
                applied.release();
            }
        } catch (WakeupException e) {
            // close() woke us up.
        } catch (RuntimeException e) {
            log.error("Control view stopped reading the control topics", e);
            applied.failed(e);
        } finally {
            consumer.close();
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        String suffix = record.topic().substring(prefix.length());
        try {
            switch (suffix) {
                case "rtstreams" -> put(streams, record, Topics.RTSTREAMS);
                case "rtstreams.status" -> put(statuses, record, Topics.RTSTREAM_STATUS);
                case "indexes" -> put(indexes, record, Topics.INDEXES);
                case "events" -> put(events, record, Topics.EVENTS);
                case "alerts" -> put(alerts, record, Topics.ALERTS);
                default -> log.warn("Record from unexpected topic {}", record.topic());
            }
        } catch (SerializationException e) {
            skippedRecords.incrementAndGet();
            log.warn("Skipping undecodable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        }
    }

    private static <V> void put(Map<String, V> map, ConsumerRecord<String, byte[]> record, TopicDef<String, V> def) {
        if (record.key() == null) {
            throw new SerializationException("record without key");
        }
        V value = def.valueSerde().deserializer().deserialize(record.topic(), record.value());
        if (value == null) {
            map.remove(record.key());
        } else {
            map.put(record.key(), value);
        }
    }

    /**
     * Completes once the view has applied every record before {@code offsets} (next-offset
     * semantics, as returned by end offsets) in each partition.
     */
    public CompletableFuture<Void> awaitPositions(Map<TopicPartition, Long> offsets) {
        return applied.await(offsets);
    }

    /** Every partition of the control topics. */
    public List<TopicPartition> partitions() {
        return partitions;
    }

    public RtStreamSpec stream(String id) {
        return streams.get(id);
    }

    public StreamStatus status(String rtstreamId) {
        return statuses.get(rtstreamId);
    }

    public IndexSpec index(String id) {
        return indexes.get(id);
    }

    public EventRule event(String id) {
        return events.get(id);
    }

    public AlertBinding alert(String id) {
        return alerts.get(id);
    }

    public Collection<RtStreamSpec> streams() {
        return streams.values();
    }

    public Collection<IndexSpec> indexes() {
        return indexes.values();
    }

    public Collection<EventRule> events() {
        return events.values();
    }

    public Collection<AlertBinding> alerts() {
        return alerts.values();
    }

    /** Records skipped because they could not be decoded. */
    public long skippedRecords() {
        return skippedRecords.get();
    }

    /** A gauge source for metrics. */
    public Supplier<Number> sizeOf(String what) {
        return switch (what) {
            case "streams" -> streams::size;
            case "indexes" -> indexes::size;
            case "events" -> events::size;
            default -> alerts::size;
        };
    }

    @Override
    public boolean isReady() {
        return running && applied.failure() == null && caughtUp.getCount() == 0;
    }

    @Override
    public void close() {
        running = false;
        if (consumer != null && thread != null) {
            consumer.wakeup();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (consumer != null) {
            consumer.close();
        }
        consumer = null;
        thread = null;
    }
}
