package dev.vigil.ingest.publish;

import dev.vigil.schemas.control.IngestState;
import dev.vigil.schemas.control.StreamStatus;
import java.time.Clock;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes stream status transitions to {@code rtstreams.status} (compacted, key = rtstream id) with
 * this worker's id, and logs each one: the same line an operator reads in the log is what
 * {@code GET /rtstream/{id}} shows.
 */
public final class StatusReporter {

    private static final Logger log = LoggerFactory.getLogger(StatusReporter.class);

    private final MediaPublisher publisher;
    private final String workerId;
    private final Clock clock;

    public StatusReporter(MediaPublisher publisher, String workerId, Clock clock) {
        this.publisher = publisher;
        this.workerId = workerId;
        this.clock = clock;
    }

    /** Writes {@code state} for the stream; the future completes when Kafka has it. */
    public Future<RecordMetadata> report(String rtstreamId, String collectionId, IngestState state, String reason,
            long reconnects) {
        switch (state) {
            case RECONNECTING, ERROR -> log.warn("Stream {} {}: {} (reconnects: {})", rtstreamId, state, reason, reconnects);
            default -> log.info("Stream {} {}{}", rtstreamId, state, reason == null ? "" : ": " + reason);
        }
        StreamStatus status = StreamStatus.newBuilder()
                .setRtstreamId(rtstreamId)
                .setCollectionId(collectionId)
                .setState(state)
                .setReason(reason)
                .setWorkerId(workerId)
                .setReconnects(reconnects)
                .setUpdatedAt(clock.instant())
                .build();
        return publisher.sendStatus(rtstreamId, status);
    }

    /** Removes the stream's status (the stream was deleted). */
    public Future<RecordMetadata> delete(String rtstreamId) {
        log.info("Stream {} deleted: status removed", rtstreamId);
        return publisher.sendStatus(rtstreamId, null);
    }

    public String workerId() {
        return workerId;
    }
}
