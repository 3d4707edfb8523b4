package dev.vigil.ingest.media;

import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_DEFAULT;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_NONKEY;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_NONREF;

import java.util.function.IntConsumer;

/**
 * Decides which pictures FFmpeg's video decoder may skip ({@code skip_frame}) so that only what the
 * sampler can keep is decoded, from what the decoded pictures show:
 * <ul>
 *   <li>{@link Level#NONREF}: pictures no other picture refers to (most B-frames) are not decoded. Used
 *       when the sampling interval is at least two source frames; skipping them never damages another
 *       picture, so switching back is clean.</li>
 *   <li>{@link Level#KEY_ONLY}: only key frames are decoded, once the last {@link #KEY_INTERVALS} key-frame
 *       intervals were all no longer than the sampling interval (every sampling point still finds a
 *       picture). Only for sources with audio: if key frames stop coming, the audio shows it (a
 *       video-only source would decode nothing and show nothing).</li>
 * </ul>
 * Whenever the pictures decoded with skipping on are further apart than the sampling interval (the
 * sampler would miss a point) it falls back one level and stays there: key only → non-reference →
 * full decoding. Pictures decoded right after key-only are not sampled until the next key frame (they
 * refer to pictures that were skipped), for at most {@link #RESYNC_MIN_US} or two key intervals.
 *
 * <p>With skipping on, a sampled picture can be a few source frames after the one full decoding would
 * have kept (its timestamp stays on the sampler's grid: one per interval); what is kept is converted
 * exactly as before.
 */
public final class DecodeSkipping {

    /** How much FFmpeg's decoder skips. */
    public enum Level {
        FULL(AVDISCARD_DEFAULT, "every picture"),
        NONREF(AVDISCARD_NONREF, "reference pictures only"),
        KEY_ONLY(AVDISCARD_NONKEY, "key frames only");

        final int discard;
        final String description;

        Level(int discard, String description) {
            this.discard = discard;
            this.description = description;
        }
    }

    /** Key-frame intervals that must all fit the sampling interval before decoding key frames only. */
    static final int KEY_INTERVALS = 3;
    /** Timestamps a little late still count (as in {@link FrameSampler}). */
    private static final long TOLERANCE_US = 2_000;
    /**
     * Audio may run this far ahead of the video it is interleaved with (files interleave in chunks of up
     * to a second) before the lack of pictures means that key frames stopped coming.
     */
    static final long AUDIO_LEAD_US = 2_000_000;
    /** Least time pictures are not sampled after leaving key-only decoding, waiting for a key frame. */
    static final long RESYNC_MIN_US = 1_000_000;

    private final long sampleIntervalUs;
    private final boolean keyOnlyAllowed;
    private final IntConsumer decoder;
    private Level level;
    private boolean keyOnlyRuledOut;
    private long lastPictureUs = Long.MIN_VALUE;
    private long lastKeyUs = Long.MIN_VALUE;
    private long longestKeyIntervalUs;
    private int shortKeyIntervals;
    private long resyncUntilUs = Long.MIN_VALUE;
    private int fallbacks;

    /**
     * @param sampleIntervalUs the sampler's interval
     * @param frameIntervalUs  the source's frame interval (0 or less: unknown, no skipping)
     * @param keyOnlyAllowed   whether key-only decoding may be tried (the source has audio being read)
     * @param decoder          sets the decoder's {@code skip_frame} (an {@code AVDISCARD_*} value); null:
     *                         the decoder cannot be told, everything is decoded
     */
    public DecodeSkipping(long sampleIntervalUs, long frameIntervalUs, boolean keyOnlyAllowed, IntConsumer decoder) {
        this.sampleIntervalUs = sampleIntervalUs;
        this.keyOnlyAllowed = keyOnlyAllowed && decoder != null;
        this.decoder = decoder;
        boolean worthIt = decoder != null && frameIntervalUs > 0 && sampleIntervalUs >= 2 * frameIntervalUs;
        this.level = worthIt ? Level.NONREF : Level.FULL;
        if (worthIt) {
            decoder.accept(level.discard);
        }
    }

    /** Full decoding that never skips (disabled by configuration, or no way to tell the decoder). */
    public static DecodeSkipping off() {
        return new DecodeSkipping(1, 0, false, null);
    }

    /**
     * A decoded picture at {@code timelineUs}; returns whether the sampler may keep it (false only while
     * resynchronising after key-only decoding).
     */
    public boolean onPicture(long timelineUs, boolean keyFrame) {
        if (level != Level.FULL && lastPictureUs != Long.MIN_VALUE
                && timelineUs - lastPictureUs > sampleIntervalUs + TOLERANCE_US) {
            fallBack(timelineUs);
        }
        lastPictureUs = timelineUs;
        if (keyFrame) {
            if (lastKeyUs != Long.MIN_VALUE && timelineUs > lastKeyUs) {
                long interval = timelineUs - lastKeyUs;
                longestKeyIntervalUs = Math.max(longestKeyIntervalUs, interval);
                shortKeyIntervals = interval <= sampleIntervalUs + TOLERANCE_US ? shortKeyIntervals + 1 : 0;
                if (level == Level.NONREF && keyOnlyAllowed && !keyOnlyRuledOut && shortKeyIntervals >= KEY_INTERVALS) {
                    set(Level.KEY_ONLY);
                }
            }
            lastKeyUs = timelineUs;
            resyncUntilUs = Long.MIN_VALUE;
            return true;
        }
        return timelineUs >= resyncUntilUs;
    }

    /**
     * Audio read up to {@code timelineUs}: when decoding key frames only and the audio is more than a
     * sampling interval (plus what interleaving explains) past the last picture, key frames stopped
     * coming (or are not marked as such) — decode more.
     */
    public void onAudio(long timelineUs) {
        if (level == Level.KEY_ONLY && lastPictureUs != Long.MIN_VALUE
                && timelineUs - lastPictureUs > sampleIntervalUs + AUDIO_LEAD_US) {
            fallBack(timelineUs);
            lastPictureUs = Long.MIN_VALUE;
        }
    }

    /** The timeline jumps (a file loops or the source is reopened): intervals across it mean nothing. */
    public void discontinuity() {
        lastPictureUs = Long.MIN_VALUE;
        lastKeyUs = Long.MIN_VALUE;
        shortKeyIntervals = 0;
    }

    private void fallBack(long nowUs) {
        fallbacks++;
        if (level == Level.KEY_ONLY) {
            keyOnlyRuledOut = true;
            // The next pictures refer to pictures that were skipped: wait for a key frame, within reason.
            resyncUntilUs = nowUs + Math.max(RESYNC_MIN_US, 2 * longestKeyIntervalUs);
            set(Level.NONREF);
        } else {
            set(Level.FULL);
        }
    }

    private void set(Level next) {
        level = next;
        decoder.accept(next.discard);
    }

    public Level level() {
        return level;
    }

    /** Times skipping was reduced because the sampler would have missed a point. */
    public int fallbacks() {
        return fallbacks;
    }

    /** For the CONNECTED reason. */
    public String describe() {
        return "decoding " + level.description;
    }
}
