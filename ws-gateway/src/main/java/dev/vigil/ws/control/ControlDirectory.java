package dev.vigil.ws.control;

import dev.vigil.common.kafka.reader.ReaderService;
import dev.vigil.common.kafka.reader.TopicReader;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.IndexSpec;
import dev.vigil.schemas.control.RtStreamSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted control topics {@code indexes} and {@code rtstreams} from the beginning with
 * a {@link TopicReader} on its own thread ({@code vigil-ws-gateway-control}) and keeps, per index and
 * per stream, the tenant, the addressed {@code ws_connection_id} and the stream name. No consumer
 * group: every gateway instance holds the whole (small) directory. Tombstones remove entries;
 * undecodable records are logged, counted and skipped; a failing reader restarts where it stopped.
 *
 * <p>{@link #start()} returns once the directory has caught up with the topics' end offsets, so
 * a gateway never serves with a partial view of who gets what. Lookups are lock-free and may be
 * called from any thread. The service shell is {@link ReaderService}'s.
 */
public final class ControlDirectory extends ReaderService<String, byte[]> implements ControlRoutes {

    private static final Logger log = LoggerFactory.getLogger(ControlDirectory.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String prefix;
    private final Map<String, IndexRoute> indexes = new ConcurrentHashMap<>();
    private final Map<String, StreamRoute> streams = new ConcurrentHashMap<>();
    private final Deserializer<IndexSpec> indexDeserializer = Topics.INDEXES.valueSerde().deserializer();
    private final Deserializer<RtStreamSpec> streamDeserializer = Topics.RTSTREAMS.valueSerde().deserializer();

    /** {@code consumerConfig}: bootstrap and client settings (KafkaClients.reader); offsets are managed here. */
    public ControlDirectory(Map<String, Object> consumerConfig, String topicPrefix) {
        super(TopicReader.builder("ws-control-directory", quickFetch(consumerConfig), new StringDeserializer(),
                        new ByteArrayDeserializer())
                .threadName("vigil-ws-gateway-control")
                .topics(List.of(Topics.INDEXES.name(topicPrefix), Topics.RTSTREAMS.name(topicPrefix)))
                .pollTimeout(POLL), ReadyWhen.LOADED_AT_START);
        this.prefix = topicPrefix;
    }

    private static Map<String, Object> quickFetch(Map<String, Object> consumerConfig) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        // A new index is usually followed within seconds by its first records: pick it up quickly.
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        return config;
    }

    /** Starts the reader thread; returns once everything written before the call has been applied. */
    @Override
    public void start() throws Exception {
        try {
            super.start();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("ws-gateway could not read the control topics", e);
        }
        log.info("Control directory loaded: {} streams, {} indexes", streams.size(), indexes.size());
    }

    @Override
    protected void apply(ConsumerRecord<String, byte[]> record) {
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
}
