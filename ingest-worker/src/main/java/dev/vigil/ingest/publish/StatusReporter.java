package dev.vigil.ingest.publish;

import dev.vigil.schemas.control.IngestState;
import dev.vigil.schemas.control.RecordingState;
import dev.vigil.schemas.control.StreamStatus;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes stream status transitions to {@code rtstreams.status} (compacted, key = rtstream id) with
 * this worker's id, and logs each one: the same line an operator reads in the log is what
 * {@code GET /rtstream/{id}} shows. A status also carries the stream's recording state: a change of it
 * alone re-sends the last status with the new recording fields.
 */
public final class StatusReporter {

    private static final Logger log = LoggerFactory.getLogger(StatusReporter.class);

    private final MediaPublisher publisher;
    private final String workerId;
    private final Clock clock;
    /** Last status sent per stream, and the recording state of the streams recorded here. */
    private final Map<String, StreamStatus> lastSent = new HashMap<>();
    private final Map<String, Recording> recordings = new HashMap<>();

    private record Recording(RecordingState state, String reason) {
    }

    public StatusReporter(MediaPublisher publisher, String workerId, Clock clock) {
        this.publisher = publisher;
        this.workerId = workerId;
        this.clock = clock;
    }

    /** Writes {@code state} for the stream; the future completes when Kafka has it. */
    public synchronized Future<RecordMetadata> report(String rtstreamId, String collectionId, IngestState state, String reason,
            long reconnects) {
        switch (state) {
            case RECONNECTING, ERROR -> log.warn("Stream {} {}: {} (reconnects: {})", rtstreamId, state, reason, reconnects);
            default -> log.info("Stream {} {}{}", rtstreamId, state, reason == null ? "" : ": " + reason);
        }
        Recording recording = recordings.get(rtstreamId);
        StreamStatus status = StreamStatus.newBuilder()
                .setRtstreamId(rtstreamId)
                .setCollectionId(collectionId)
                .setState(state)
                .setReason(reason)
                .setWorkerId(workerId)
                .setReconnects(reconnects)
                .setUpdatedAt(clock.instant())
                .setRecording(recording == null ? null : recording.state())
                .setRecordingReason(recording == null ? null : recording.reason())
                .build();
        lastSent.put(rtstreamId, status);
        return publisher.sendStatus(rtstreamId, status);
    }

    /**
     * The stream's recording changed: remembered for the next status, and the last status is sent again
     * with it (unless nothing changed or no status was sent yet).
     */
    public synchronized Future<RecordMetadata> recording(String rtstreamId, RecordingState state, String reason) {
        Recording next = new Recording(state, reason);
        if (next.equals(recordings.put(rtstreamId, next))) {
            return CompletableFuture.completedFuture(null);
        }
        switch (state) {
            case RECORDING -> log.info("Stream {} recording: {}", rtstreamId, reason);
            default -> log.warn("Stream {} recording {}: {}", rtstreamId, state, reason);
        }
        StreamStatus last = lastSent.get(rtstreamId);
        if (last == null) {
            return CompletableFuture.completedFuture(null);
        }
        StreamStatus status = StreamStatus.newBuilder(last).setRecording(state).setRecordingReason(reason)
                .setUpdatedAt(clock.instant()).build();
        lastSent.put(rtstreamId, status);
        return publisher.sendStatus(rtstreamId, status);
    }

    /** The stream is no longer recorded here: later statuses carry no recording state. */
    public synchronized void forgetRecording(String rtstreamId) {
        recordings.remove(rtstreamId);
    }

    /** Removes the stream's status (the stream was deleted). */
    public synchronized Future<RecordMetadata> delete(String rtstreamId) {
        log.info("Stream {} deleted: status removed", rtstreamId);
        lastSent.remove(rtstreamId);
        recordings.remove(rtstreamId);
        return publisher.sendStatus(rtstreamId, null);
    }

    public String workerId() {
        return workerId;
    }
}
