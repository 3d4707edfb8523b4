package dev.vigil.ingest.record;

import dev.vigil.schemas.media.RecordingSegment;
import dev.vigil.schemas.media.SegmentContainer;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A segment the recorder has closed, waiting in the spool directory (its file, deleted once stored or
 * dropped) to be stored and indexed.
 *
 */
final class FinishedSegment {

    private final RecordingSegment record;
    private final Path file;
    /** Set by the shipper's thread once the object is in the store (only the index write is left). */
    private boolean stored;

    FinishedSegment(RecordingSegment record, Path file) {
        this.record = record;
        this.file = file;
    }

    RecordingSegment record() {
        return record;
    }

    Path file() {
        return file;
    }

    boolean stored() {
        return stored;
    }

    void markStored() {
        stored = true;
    }

    /** {@code <collection_id>/<rtstream_id>/<start epoch ms>-<session>-<seq>.ts}: the schema's key format. */
    static String key(String collectionId, String rtstreamId, long startMs, String sessionId, long seq) {
        return collectionId + "/" + rtstreamId + "/" + startMs + "-" + sessionId + "-" + seq + ".ts";
    }

    static RecordingSegment record(String rtstreamId, String collectionId, String sessionId, long seq, long startMs,
            long endMs, long bytes, String videoCodec, String audioCodec, int width, int height, String workerId) {
        return RecordingSegment.newBuilder()
                .setRtstreamId(rtstreamId)
                .setCollectionId(collectionId)
                .setKey(key(collectionId, rtstreamId, startMs, sessionId, seq))
                .setSessionId(sessionId)
                .setSeq(seq)
                .setStart(Instant.ofEpochMilli(startMs))
                .setEnd(Instant.ofEpochMilli(Math.max(endMs, startMs)))
                .setBytes(bytes)
                .setContainer(SegmentContainer.MPEGTS)
                .setVideoCodec(videoCodec)
                .setAudioCodec(audioCodec)
                .setWidth(width)
                .setHeight(height)
                .setDiscontinuity(seq == 0)
                .setWorkerId(workerId)
                .build();
    }

    String rtstreamId() {
        return record.getRtstreamId();
    }

    long bytes() {
        return record.getBytes();
    }
}
