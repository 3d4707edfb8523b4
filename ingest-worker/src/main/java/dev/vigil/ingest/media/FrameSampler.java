package dev.vigil.ingest.media;

/**
 * Keeps {@code rate} frames per second of stream time: a frame is kept when its timestamp reaches the
 * next sampling point, which then advances by one interval. Driven by timestamps, not by arrival, so a
 * file read in a burst and the same file played live yield the same frames.
 *
 * <p>A gap longer than an interval (a stall, a lost segment) or a jump backwards (a source that reset
 * its clock) re-anchors the grid at the current frame instead of emitting a burst or nothing.
 */
public final class FrameSampler {

    /** Timestamps a little early still count: RTP and some muxers round pts to the millisecond. */
    private static final long TOLERANCE_US = 2_000;

    private final long intervalUs;
    private long nextUs;
    private boolean anchored;

    public FrameSampler(int framesPerSecond) {
        if (framesPerSecond <= 0) {
            throw new IllegalArgumentException("framesPerSecond must be positive: " + framesPerSecond);
        }
        this.intervalUs = 1_000_000L / framesPerSecond;
    }

    /** Whether the frame at {@code timestampUs} (stream time, microseconds) is kept. */
    public boolean accept(long timestampUs) {
        if (!anchored || timestampUs < nextUs - intervalUs - TOLERANCE_US) {
            // First frame, or the clock went backwards by more than one interval: start a new grid here.
            anchored = true;
            nextUs = timestampUs + intervalUs;
            return true;
        }
        if (timestampUs + TOLERANCE_US < nextUs) {
            return false;
        }
        nextUs = timestampUs - nextUs >= intervalUs ? timestampUs + intervalUs : nextUs + intervalUs;
        return true;
    }

    public long intervalUs() {
        return intervalUs;
    }
}
