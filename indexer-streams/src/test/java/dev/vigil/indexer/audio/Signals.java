package dev.vigil.indexer.audio;

import java.util.Random;

/** Generated 16 kHz test sounds. */
public final class Signals {

    static final int RATE = 16_000;

    private Signals() {
    }

    public static short[] silence(int ms) {
        return new short[ms * 16];
    }

    /** A sine at {@code hz} and {@code dbfs} peak level. */
    public static short[] tone(double hz, int ms, double dbfs) {
        short[] s = new short[ms * 16];
        double a = 32767 * Math.pow(10, dbfs / 20);
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (a * Math.sin(2 * Math.PI * hz * i / RATE));
        }
        return s;
    }

    /** A siren: a sine sweeping between {@code lowHz} and {@code highHz} once a second. */
    static short[] siren(double lowHz, double highHz, int ms, double dbfs) {
        short[] s = new short[ms * 16];
        double a = 32767 * Math.pow(10, dbfs / 20);
        double phase = 0;
        for (int i = 0; i < s.length; i++) {
            double t = i / (double) RATE;
            double hz = lowHz + (highHz - lowHz) * (0.5 - 0.5 * Math.cos(2 * Math.PI * t));
            phase += 2 * Math.PI * hz / RATE;
            s[i] = (short) (a * Math.sin(phase));
        }
        return s;
    }

    /** White noise at {@code dbfs} RMS. */
    public static short[] noise(int ms, double dbfs, long seed) {
        Random r = new Random(seed);
        short[] s = new short[ms * 16];
        double sigma = 32767 * Math.pow(10, dbfs / 20);
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) Math.max(-32768, Math.min(32767, r.nextGaussian() * sigma));
        }
        return s;
    }

    /**
     * Music-like: three-note chords with harmonics, a new chord every 250 ms (C, F, G, A minor, …),
     * with a soft attack, at about -20 dBFS.
     */
    static short[] chords(int ms) {
        double[][] progression = {{261.6, 329.6, 392.0}, {349.2, 440.0, 523.3}, {392.0, 493.9, 587.3},
            {440.0, 523.3, 659.3}, {293.7, 370.0, 440.0}, {329.6, 415.3, 493.9}};
        short[] s = new short[ms * 16];
        int chordLen = RATE / 4;
        for (int i = 0; i < s.length; i++) {
            double[] chord = progression[(i / chordLen) % progression.length];
            double env = Math.min(1.0, (i % chordLen) / 400.0);
            double v = 0;
            for (double f : chord) {
                for (int h = 1; h <= 3; h++) {
                    v += Math.sin(2 * Math.PI * f * h * i / RATE) / (h * 2.0);
                }
            }
            s[i] = (short) (v * env * 1200);
        }
        return s;
    }

    /** Quiet background noise with a loud 10 ms click (a bang) in the middle. */
    static short[] bang(int ms) {
        short[] s = noise(ms, -55, 3);
        int at = s.length / 2;
        Random r = new Random(5);
        for (int i = 0; i < 160; i++) {
            s[at + i] = (short) (r.nextBoolean() ? 30000 : -30000);
        }
        return s;
    }

    /** Adds {@code b} (scaled) onto {@code a}. */
    static short[] mix(short[] a, short[] b) {
        short[] out = a.clone();
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            out[i] = (short) Math.max(-32768, Math.min(32767, a[i] + b[i]));
        }
        return out;
    }
}
