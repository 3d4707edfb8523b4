package dev.vigil.ingest.media;

import java.nio.ShortBuffer;
import java.util.function.Consumer;

/**
 * Cuts a stream of 16-bit mono samples into chunks of a fixed length with contiguous wall-clock
 * start times: {@code start(n+1) = start(n) + duration}. The first chunk starts at the wall-clock
 * time the caller gives for the first sample; from then on time is counted in samples, not read
 * from a clock, so chunks never overlap or drift apart from one another.
 *
 * <p>Sources lose audio (a dropped RTP packet, a decoder that skipped a frame): a gap of up to
 * {@value #MAX_FILL_MS} ms in the samples' timestamps is filled with silence so the chunks stay
 * aligned with the video; a longer gap ends the current chunk early and restarts the timeline at the
 * new samples' time.
 */
public final class AudioChunker {

    /** A gap smaller than this is timestamp jitter, not lost audio. */
    static final int MIN_FILL_MS = 100;
    static final int MAX_FILL_MS = 5_000;

    /** One chunk: {@code startMs} epoch milliseconds, little-endian signed 16-bit samples. */
    public record Chunk(long startMs, int durationMs, byte[] pcm) {
    }

    private final int sampleRate;
    private final Consumer<Chunk> sink;
    private final short[] buffer;
    private final int chunkMs;
    private int fill;
    private boolean started;
    private long nextStartMs;
    /** Stream time (µs) of the first sample of the current timeline, and samples taken since. */
    private long baseUs;
    private long samplesSinceBase;

    /** {@code sampleRate * chunkMs} must be a whole number of samples (16 kHz: any chunk length in ms). */
    public AudioChunker(int sampleRate, int chunkMs, Consumer<Chunk> sink) {
        if ((long) sampleRate * chunkMs % 1000 != 0) {
            throw new IllegalArgumentException(chunkMs + " ms at " + sampleRate + " Hz is not a whole number of samples");
        }
        this.sampleRate = sampleRate;
        this.chunkMs = chunkMs;
        this.sink = sink;
        this.buffer = new short[(int) ((long) sampleRate * chunkMs / 1000)];
    }

    /**
     * Adds the samples of one decoded frame. {@code timestampUs} is the stream time of its first
     * sample; {@code wallMs} the wall-clock time that stream time maps to (used for the first chunk and
     * after a long gap).
     */
    public void add(ShortBuffer samples, long timestampUs, long wallMs) {
        if (!started) {
            restart(timestampUs, wallMs);
        } else {
            long expectedUs = baseUs + samplesSinceBase * 1_000_000L / sampleRate;
            long gapUs = timestampUs - expectedUs;
            if (gapUs > MAX_FILL_MS * 1000L) {
                flush();
                restart(timestampUs, wallMs);
            } else if (gapUs >= MIN_FILL_MS * 1000L) {
                appendSilence(gapUs * sampleRate / 1_000_000L);
            }
        }
        ShortBuffer in = samples.duplicate();
        while (in.hasRemaining()) {
            int n = Math.min(in.remaining(), buffer.length - fill);
            in.get(buffer, fill, n);
            fill += n;
            samplesSinceBase += n;
            if (fill == buffer.length) {
                emit(chunkMs);
            }
        }
    }

    /** Emits the samples collected so far as a shorter last chunk (end of a session). */
    public void flush() {
        if (fill > 0) {
            emit((int) ((long) fill * 1000 / sampleRate));
        }
    }

    private void restart(long timestampUs, long wallMs) {
        started = true;
        baseUs = timestampUs;
        samplesSinceBase = 0;
        nextStartMs = wallMs;
    }

    private void appendSilence(long count) {
        for (long i = 0; i < count; i++) {
            buffer[fill++] = 0;
            samplesSinceBase++;
            if (fill == buffer.length) {
                emit(chunkMs);
            }
        }
    }

    private void emit(int durationMs) {
        byte[] pcm = new byte[fill * 2];
        for (int i = 0; i < fill; i++) {
            short s = buffer[i];
            pcm[2 * i] = (byte) s;
            pcm[2 * i + 1] = (byte) (s >> 8);
        }
        long start = nextStartMs;
        nextStartMs += durationMs;
        fill = 0;
        sink.accept(new Chunk(start, durationMs, pcm));
    }
}
