package dev.vigil.indexer.speech;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/** 16-bit PCM helpers: little-endian bytes ↔ samples, WAV wrapping, dither. */
public final class Pcm {

    /** -54 dBFS RMS: inaudible, but enough that no stretch of the signal is digital silence (measured: Sphinx fails on it). */
    public static final double DITHER_DBFS = -54.0;

    private Pcm() {
    }

    public static short[] samples(ByteBuffer s16le) {
        ByteBuffer b = s16le.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        short[] out = new short[b.remaining() / 2];
        b.asShortBuffer().get(out);
        return out;
    }

    public static byte[] bytes(short[] samples) {
        ByteBuffer b = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(samples);
        return b.array();
    }

    /** Adds Gaussian noise at {@link #DITHER_DBFS}; seeded, so the same utterance always gives the same input. */
    public static short[] dither(short[] samples, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double sigma = 32768.0 * Math.pow(10, DITHER_DBFS / 20.0);
        short[] out = new short[samples.length];
        for (int i = 0; i < samples.length; i++) {
            double u1 = Math.max(1e-12, random.nextDouble());
            double gauss = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random.nextDouble());
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(samples[i] + gauss * sigma)));
        }
        return out;
    }

    /** A complete 16 kHz mono 16-bit WAV file. */
    public static byte[] wav(short[] samples, int sampleRate) {
        byte[] data = bytes(samples);
        ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + data.length)
                .put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
                .putShort((short) 1).putInt(sampleRate).putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(data.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(44 + data.length);
        out.writeBytes(h.array());
        out.writeBytes(data);
        return out.toByteArray();
    }
}
