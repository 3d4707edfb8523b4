package dev.vigil.api.playback;

import dev.vigil.schemas.media.RecordingSegment;

/**
 * One recorded segment as the index keeps it (a few hundred bytes): where it is stored, which stream and
 * session it belongs to, and the wall-clock span it covers.
 *
 * @param startMs first packet, epoch milliseconds
 * @param endMs   just after the last packet, epoch milliseconds
 */
public record Segment(String key, String rtstreamId, String collectionId, String sessionId, long seq, long startMs,
        long endMs, long bytes, boolean discontinuity) {

    static Segment of(RecordingSegment r) {
        return new Segment(r.getKey(), r.getRtstreamId(), r.getCollectionId(), r.getSessionId(), r.getSeq(),
                r.getStart().toEpochMilli(), r.getEnd().toEpochMilli(), r.getBytes(), r.getDiscontinuity());
    }

    public long durationMs() {
        return Math.max(0, endMs - startMs);
    }

    /** Milliseconds of this segment inside [fromMs, toMs). */
    long overlapMs(long fromMs, long toMs) {
        return Math.max(0, Math.min(endMs, toMs) - Math.max(startMs, fromMs));
    }
}
