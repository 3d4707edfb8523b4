package dev.vigil.indexer.audio;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Running totals of the {@link SoundFrame}s of one audio window: enough to compute its level and
 * labels when it closes, without keeping samples. Mutable, owned by a Streams thread.
 */
final class SoundWindow {

    /** Frames below this level are not "active" (nothing but background). */
    static final double ACTIVE_DB = -50;

    long start;
    long end;
    long captureTs;
    long heldSince = Long.MIN_VALUE;
    int frames;
    long samples;
    double sumSq;
    int peakAbs;
    int active;
    int tonal;
    int harmonic;
    int noisy;
    int speechy;
    double sumDb;
    double sumDb2;
    double emaDb = -90;
    /** Transient detector: a loud frame far above the recent level that falls back within 80 ms. */
    int impulses;
    double candidateDb = Double.NaN;
    int candidateFrames;
    double candidateSum;
    long buckets;
    double tonalHzSum;
    double centroidSum;
    double flatnessSum;

    SoundWindow(long start, long end) {
        this.start = start;
        this.end = end;
    }

    void add(SoundFrame f) {
        frames++;
        samples += f.samples();
        sumSq += f.sumSq();
        peakAbs = Math.max(peakAbs, f.peakAbs());
        trackImpulse(f);
        emaDb = emaDb + 0.3 * (f.db() - emaDb);
        if (f.db() < ACTIVE_DB) {
            return;
        }
        active++;
        sumDb += f.db();
        sumDb2 += f.db() * f.db();
        centroidSum += f.centroidHz();
        flatnessSum += f.flatness();
        if (f.flatness() < 0.02 && f.strongPeaks() <= 2) {
            tonal++;
            tonalHzSum += f.dominantHz();
            buckets |= 1L << Math.min(63, (int) (f.dominantHz() / 125));
        } else if (f.flatness() < 0.15 && f.strongPeaks() >= 3 && f.speechRatio() > 0.3) {
            harmonic++;
            buckets |= 1L << Math.min(63, (int) (f.dominantHz() / 125));
        }
        if (f.flatness() > 0.3) {
            noisy++;
        }
        if (f.speechRatio() > 0.5 && f.flatness() > 0.003 && f.flatness() < 0.35
                && f.centroidHz() > 200 && f.centroidHz() < 3000) {
            speechy++;
        }
    }

    /**
     * A loud impulse (a bang, a shot, breaking glass): a frame with a peak above -12 dBFS, 20 dB above
     * the recent level, whose next four frames average at least 10 dB lower. Speech onsets jump too,
     * but a syllable holds its level for longer than 80 ms.
     */
    private void trackImpulse(SoundFrame f) {
        if (!Double.isNaN(candidateDb)) {
            candidateFrames++;
            candidateSum += f.db();
            if (candidateFrames == 4) {
                if (candidateSum / 4 <= candidateDb - 10) {
                    impulses++;
                }
                candidateDb = Double.NaN;
            }
            return;
        }
        if (f.db() - emaDb >= 20 && f.peakAbs() >= 32768 * 0.25) {
            candidateDb = f.db();
            candidateFrames = 0;
            candidateSum = 0;
        }
    }

    double loudnessDb() {
        double ms = samples == 0 ? 0 : sumSq / samples / (32768.0 * 32768.0);
        return ms <= 1e-9 ? -90 : Math.max(-90, 10 * Math.log10(ms));
    }

    double peakDb() {
        return peakAbs == 0 ? -90 : Math.max(-90, 20 * Math.log10(peakAbs / 32768.0));
    }

    /** Standard deviation of the active frames' level: syllables make speech fluctuate, music and tones less. */
    double modulationDb() {
        if (active < 2) {
            return 0;
        }
        double mean = sumDb / active;
        return Math.sqrt(Math.max(0, sumDb2 / active - mean * mean));
    }

    void write(DataOutputStream out) throws IOException {
        out.writeLong(start);
        out.writeLong(end);
        out.writeLong(captureTs);
        out.writeLong(heldSince);
        out.writeInt(frames);
        out.writeLong(samples);
        out.writeDouble(sumSq);
        out.writeInt(peakAbs);
        out.writeInt(active);
        out.writeInt(tonal);
        out.writeInt(harmonic);
        out.writeInt(noisy);
        out.writeInt(speechy);
        out.writeDouble(sumDb);
        out.writeDouble(sumDb2);
        out.writeDouble(emaDb);
        out.writeInt(impulses);
        out.writeDouble(candidateDb);
        out.writeInt(candidateFrames);
        out.writeDouble(candidateSum);
        out.writeLong(buckets);
        out.writeDouble(tonalHzSum);
        out.writeDouble(centroidSum);
        out.writeDouble(flatnessSum);
    }

    static SoundWindow read(DataInputStream in) throws IOException {
        SoundWindow w = new SoundWindow(in.readLong(), in.readLong());
        w.captureTs = in.readLong();
        w.heldSince = in.readLong();
        w.frames = in.readInt();
        w.samples = in.readLong();
        w.sumSq = in.readDouble();
        w.peakAbs = in.readInt();
        w.active = in.readInt();
        w.tonal = in.readInt();
        w.harmonic = in.readInt();
        w.noisy = in.readInt();
        w.speechy = in.readInt();
        w.sumDb = in.readDouble();
        w.sumDb2 = in.readDouble();
        w.emaDb = in.readDouble();
        w.impulses = in.readInt();
        w.candidateDb = in.readDouble();
        w.candidateFrames = in.readInt();
        w.candidateSum = in.readDouble();
        w.buckets = in.readLong();
        w.tonalHzSum = in.readDouble();
        w.centroidSum = in.readDouble();
        w.flatnessSum = in.readDouble();
        return w;
    }
}
