package dev.vigil.ingest.media;

import java.util.function.LongSupplier;

/**
 * Maps stream time to wall-clock time for one ingest session: the first media timestamp is anchored
 * at the moment it was read, and later timestamps are placed relative to it. Gives the wall-clock
 * time a sample belongs to (for record timestamps) and how long to wait until it is due (for playing
 * a file at real time).
 *
 * <p>A discontinuity between consecutive timestamps (more than {@value #MAX_FORWARD_US} µs forward or
 * {@value #MAX_BACKWARD_US} µs backward: a source that reset its clock) re-anchors, so pacing never
 * sleeps for minutes nor rushes through a file. Smaller backward steps are normal: audio and video
 * are interleaved with some slack.
 */
public final class MediaClock {

    static final long MAX_FORWARD_US = 5_000_000;
    static final long MAX_BACKWARD_US = 2_000_000;

    private final LongSupplier wallMillis;
    private final LongSupplier nanoTime;
    private boolean anchored;
    private long anchorUs;
    private long anchorNanos;
    private long anchorWallMs;
    private long lastUs;

    public MediaClock(LongSupplier wallMillis, LongSupplier nanoTime) {
        this.wallMillis = wallMillis;
        this.nanoTime = nanoTime;
    }

    public static MediaClock system() {
        return new MediaClock(System::currentTimeMillis, System::nanoTime);
    }

    /** Wall-clock epoch milliseconds of stream time {@code timestampUs}. */
    public long wallMillis(long timestampUs) {
        observe(timestampUs);
        return anchorWallMs + Math.floorDiv(timestampUs - anchorUs, 1000);
    }

    /** Nanoseconds until stream time {@code timestampUs} is due; negative when it is late. */
    public long nanosUntil(long timestampUs) {
        observe(timestampUs);
        return anchorNanos + (timestampUs - anchorUs) * 1000 - nanoTime.getAsLong();
    }

    private void observe(long timestampUs) {
        if (!anchored || timestampUs - lastUs > MAX_FORWARD_US || lastUs - timestampUs > MAX_BACKWARD_US) {
            anchored = true;
            anchorUs = timestampUs;
            anchorNanos = nanoTime.getAsLong();
            anchorWallMs = wallMillis.getAsLong();
        }
        lastUs = timestampUs;
    }
}
