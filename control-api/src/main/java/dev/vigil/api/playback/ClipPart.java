package dev.vigil.api.playback;

/**
 * One entry of a clip's playlist: a recorded segment, whole or cut to [fromMs, toMs) (wall-clock epoch
 * milliseconds, inside the segment).
 */
record ClipPart(Segment segment, long fromMs, long toMs) {

    static ClipPart whole(Segment segment) {
        return new ClipPart(segment, segment.startMs(), segment.endMs());
    }

    boolean trimmed() {
        return fromMs > segment.startMs() || toMs < segment.endMs();
    }

    long durationMs() {
        return toMs - fromMs;
    }

    /** Where the cut starts, milliseconds after the segment's own start. */
    long offsetFromMs() {
        return fromMs - segment.startMs();
    }

    /** Where the cut ends, milliseconds after the segment's own start. */
    long offsetToMs() {
        return toMs - segment.startMs();
    }
}
