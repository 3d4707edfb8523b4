package dev.vigil.api.state;

import dev.vigil.common.kafka.reader.ReaderService;
import dev.vigil.common.kafka.reader.TopicReader;
import dev.vigil.schemas.TopicDef;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.AlertBinding;
import dev.vigil.schemas.control.EventRule;
import dev.vigil.schemas.control.IndexSpec;
import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.schemas.control.StreamStatus;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane as this instance knows it: the compacted topics {@code rtstreams},
 * {@code rtstreams.status}, {@code indexes}, {@code events} and {@code alerts}, materialised in
 * memory by a {@link TopicReader} ({@code vigil-control-view}) that reads every partition from the
 * beginning (no consumer group: every instance holds everything) and restarts on failure; the service
 * shell (start once caught up, ready, alive, close, undecodable records skipped) is {@link ReaderService}'s.
 *
 * <p>Reads are served from the maps; {@link #awaitPositions} lets a caller wait until the view has
 * applied a given offset per partition — after its own write (read-your-writes) or after the end
 * offsets seen at request time (read barrier, so a GET on any instance sees writes answered by
 * another); see {@code DESIGN.md} next to this class. Undecodable records are logged, counted and
 * skipped.
 */
public final class ControlView extends ReaderService<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(ControlView.class);

    private final String prefix;
    private final Map<String, RtStreamSpec> streams = new ConcurrentHashMap<>();
    private final Map<String, StreamStatus> statuses = new ConcurrentHashMap<>();
    private final Map<String, IndexSpec> indexes = new ConcurrentHashMap<>();
    private final Map<String, EventRule> events = new ConcurrentHashMap<>();
    private final Map<String, AlertBinding> alerts = new ConcurrentHashMap<>();

    /** {@code consumerConfig}: bootstrap and client settings (KafkaClients.reader); offsets are managed here. */
    public ControlView(Map<String, Object> consumerConfig, String topicPrefix) {
        super(TopicReader.builder("control-view", quickFetch(consumerConfig), new StringDeserializer(), new ByteArrayDeserializer())
                .topics(topics().stream().map(t -> t.name(topicPrefix)).toList()), ReadyWhen.LOADED_AT_START);
        this.prefix = topicPrefix;
    }

    private static Map<String, Object> quickFetch(Map<String, Object> consumerConfig) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        // A waiting request is answered as soon as the write arrives, not after a 500 ms fetch wait.
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        return config;
    }

    /** Starts the reader thread and returns once the view has caught up with the topics' ends. */
    @Override
    public void start() throws Exception {
        super.start();
        log.info("Control view loaded: {} streams, {} indexes, {} events, {} alerts",
                streams.size(), indexes.size(), events.size(), alerts.size());
    }

    private static List<TopicDef<String, ?>> topics() {
        return List.of(Topics.RTSTREAMS, Topics.RTSTREAM_STATUS, Topics.INDEXES, Topics.EVENTS, Topics.ALERTS);
    }

    @Override
    protected void apply(ConsumerRecord<String, byte[]> record) {
        String suffix = record.topic().substring(prefix.length());
        switch (suffix) {
            case "rtstreams" -> put(streams, record, Topics.RTSTREAMS);
            case "rtstreams.status" -> put(statuses, record, Topics.RTSTREAM_STATUS);
            case "indexes" -> put(indexes, record, Topics.INDEXES);
            case "events" -> put(events, record, Topics.EVENTS);
            case "alerts" -> put(alerts, record, Topics.ALERTS);
            default -> log.warn("Record from unexpected topic {}", record.topic());
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
        return reader().awaitPositions(offsets);
    }

    /** Every partition of the control topics. */
    public List<TopicPartition> partitions() {
        return reader().partitions();
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

    /** A gauge source for metrics. */
    public Supplier<Number> sizeOf(String what) {
        return switch (what) {
            case "streams" -> streams::size;
            case "indexes" -> indexes::size;
            case "events" -> events::size;
            default -> alerts::size;
        };
    }
}
