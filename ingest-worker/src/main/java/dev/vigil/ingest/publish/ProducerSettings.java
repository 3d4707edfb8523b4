package dev.vigil.ingest.publish;

import dev.vigil.common.kafka.KafkaClients;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Configuration of the worker's two producers, on top of Vigil's idempotent, acks=all, linger 0
 * defaults. The media producer never blocks its caller (a stream's grabber thread): no metadata wait
 * at all ({@code max.block.ms=0}: measured, a broker shutting down made every send wait the full
 * {@code max.block.ms} for metadata) and a bounded buffer that {@link MediaPublisher} never fills. The
 * status producer may wait a little, since a lost status would leave a stale state behind.
 */
public final class ProducerSettings {

    /** How long a status send may wait for metadata or buffer space. */
    static final int STATUS_MAX_BLOCK_MS = 5_000;

    private ProducerSettings() {
    }

    /**
     * The media producer: sends fail at once (and the record is dropped and counted) rather than wait
     * for metadata; the metadata of its topics must be fetched before the first send (see
     * {@link MediaPublisher#awaitMetadata}).
     */
    public static Map<String, Object> forMedia(KafkaClients clients, int bufferBytes) {
        Map<String, Object> props = clients.producer("vigil-ingest-media");
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, (long) bufferBytes);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 0);
        // Batches are taken from the buffer whole: 64 KB holds a few audio chunks or small frames
        // without reserving much per partition; a larger frame gets a buffer of its own size.
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        // The topics never change: keep their metadata even when a topic (statuses) is quiet for long,
        // so no send ever waits for a metadata fetch again (the default forgets it after 5 min).
        props.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, (int) Duration.ofDays(1).toMillis());
        return props;
    }

    /** The status producer: small records, rare; may wait up to 5 s for metadata. */
    public static Map<String, Object> forStatus(KafkaClients clients) {
        Map<String, Object> props = clients.producer("vigil-ingest-status");
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 1024L * 1024);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, STATUS_MAX_BLOCK_MS);
        props.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, (int) Duration.ofDays(1).toMillis());
        return props;
    }
}
