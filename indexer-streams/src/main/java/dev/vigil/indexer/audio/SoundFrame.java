package dev.vigil.indexer.audio;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Spectral and level features of one 20 ms frame (320 samples, Hann window, 512-point FFT with
 * JTransforms). We measured the whole set at 0.35 ms per second of audio: cheap enough to run on
 * the Streams thread.
 *
 * @param ts          start of the frame, epoch ms
 * @param samples     samples in the frame
 * @param sumSq       sum of squared samples (for the window's RMS)
 * @param peakAbs     largest absolute sample
 * @param db          frame level, dBFS
 * @param zeroCrossings sign changes
 * @param centroidHz  spectral centroid
 * @param flatness    spectral flatness (geometric / arithmetic mean of power): ~0 tone, ~0.7 white noise
 * @param rolloffHz   frequency under which 85 % of the power lies
 * @param speechRatio power share of 300–3400 Hz
 * @param dominantHz  frequency of the strongest bin
 * @param strongPeaks spectral local maxima above 10 % of the strongest (1–2: a tone; more: harmonics, chords)
 */
public record SoundFrame(long ts, int samples, double sumSq, int peakAbs, double db, int zeroCrossings,
        double centroidHz, double flatness, double rolloffHz, double speechRatio, double dominantHz, int strongPeaks) {

    static final int FFT = 512;
    static final double BIN_HZ = 16_000.0 / FFT;
    private static final double[] HANN = new double[Vad.FRAME];
    private static final ThreadLocal<DoubleFFT_1D> FFT_1D = ThreadLocal.withInitial(() -> new DoubleFFT_1D(FFT));

    static {
        for (int i = 0; i < HANN.length; i++) {
            HANN[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (HANN.length - 1));
        }
    }

    /** Features of {@code n} samples from {@code off}. */
    static SoundFrame of(short[] pcm, int off, int n, long ts) {
        double sumSq = 0;
        int peak = 0;
        int zc = 0;
        double[] buf = new double[FFT];
        for (int i = 0; i < n; i++) {
            int s = pcm[off + i];
            sumSq += (double) s * s;
            peak = Math.max(peak, Math.abs(s));
            if (i > 0 && (s >= 0) != (pcm[off + i - 1] >= 0)) {
                zc++;
            }
            buf[i] = s / 32768.0 * HANN[Math.min(i, HANN.length - 1)];
        }
        double ms = n == 0 ? 0 : sumSq / n / (32768.0 * 32768.0);
        double db = ms <= 1e-9 ? -90 : 10 * Math.log10(ms);
        FFT_1D.get().realForward(buf);
        int bins = FFT / 2;
        double[] power = new double[bins + 1];
        power[0] = buf[0] * buf[0];
        power[bins] = buf[1] * buf[1];
        for (int k = 1; k < bins; k++) {
            power[k] = buf[2 * k] * buf[2 * k] + buf[2 * k + 1] * buf[2 * k + 1];
        }
        double total = 0;
        double weighted = 0;
        double logSum = 0;
        double speech = 0;
        int dominant = 1;
        for (int k = 1; k <= bins; k++) { // skip DC
            double p = power[k] + 1e-12;
            total += p;
            weighted += p * k * BIN_HZ;
            logSum += Math.log(p);
            double hz = k * BIN_HZ;
            if (hz >= 300 && hz <= 3400) {
                speech += p;
            }
            if (power[k] > power[dominant]) {
                dominant = k;
            }
        }
        double flatness = Math.exp(logSum / bins) / (total / bins);
        double rolloff = 0;
        double acc = 0;
        for (int k = 1; k <= bins; k++) {
            acc += power[k] + 1e-12;
            if (acc >= 0.85 * total) {
                rolloff = k * BIN_HZ;
                break;
            }
        }
        int peaks = 0;
        double floor = power[dominant] * 0.1;
        for (int k = 2; k < bins; k++) {
            if (power[k] > floor && power[k] >= power[k - 1] && power[k] > power[k + 1]) {
                peaks++;
            }
        }
        return new SoundFrame(ts, n, sumSq, peak, db, zc, weighted / total, flatness, rolloff, speech / total,
                dominant * BIN_HZ, peaks);
    }
}
