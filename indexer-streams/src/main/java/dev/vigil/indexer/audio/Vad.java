package dev.vigil.indexer.audio;

import java.util.ArrayList;
import java.util.List;

/**
 * Energy voice activity detection over 20 ms frames with an adaptive noise floor. A frame is voiced
 * when it is {@value #ABOVE_FLOOR_DB} dB above the floor and above {@value #MIN_SPEECH_DB} dBFS;
 * {@value #ONSET_FRAMES} voiced frames in a row start an utterance, {@value #HANGOVER_FRAMES} unvoiced
 * frames (400 ms: longer than pauses between words) end it. The hangover is most of the delay between
 * the end of speech and its transcript. Pure function of its state: testable without Kafka.
 */
public final class Vad {

    public static final int FRAME = 320; // 20 ms at 16 kHz
    static final long FRAME_MS = 20;
    static final double INITIAL_FLOOR_DB = -70;
    static final double ABOVE_FLOOR_DB = 12;
    static final double MIN_SPEECH_DB = -50;
    static final int ONSET_FRAMES = 3;
    static final int HANGOVER_FRAMES = 20;
    /** Shorter bursts (a click, a cough) are not sent to the recogniser. */
    static final int MIN_VOICED_FRAMES = 8;

    /** An utterance the VAD closed: voiced from {@code start} to {@code end}, {@code voicedMs} of it voiced. */
    public record Cut(long start, long end, long voicedMs) {
    }

    private Vad() {
    }

    /** Feeds one chunk that starts at {@code chunkStart}; returns the utterances it closed. */
    static List<Cut> feed(VadState s, short[] samples, long chunkStart, long maxUtteranceMs) {
        List<Cut> cuts = new ArrayList<>(1);
        for (int off = 0; off < samples.length; off += FRAME) {
            int n = Math.min(FRAME, samples.length - off);
            long ts = chunkStart + off * 1000L / 16_000;
            double db = levelDb(samples, off, n);
            boolean voiced = db > Math.max(s.noiseFloorDb + ABOVE_FLOOR_DB, MIN_SPEECH_DB);
            if (!voiced && !s.inSpeech) {
                // Track the floor down at once and up slowly, and only outside speech.
                s.noiseFloorDb = db < s.noiseFloorDb ? db : s.noiseFloorDb + 0.02 * (db - s.noiseFloorDb);
            }
            if (voiced) {
                if (s.voicedRun == 0) {
                    s.runStartTs = ts;
                }
                s.voicedRun++;
                s.unvoicedRun = 0;
                if (!s.inSpeech && s.voicedRun >= ONSET_FRAMES) {
                    s.inSpeech = true;
                    s.speechStartTs = s.runStartTs;
                    s.voicedFrames = s.voicedRun;
                } else if (s.inSpeech) {
                    s.voicedFrames++;
                }
                s.lastVoiceEndTs = ts + n * 1000L / 16_000;
            } else {
                s.voicedRun = 0;
                s.unvoicedRun++;
            }
            if (s.inSpeech && (s.unvoicedRun >= HANGOVER_FRAMES || s.lastVoiceEndTs - s.speechStartTs >= maxUtteranceMs)) {
                Cut cut = close(s);
                if (cut != null) {
                    cuts.add(cut);
                }
            }
        }
        return cuts;
    }

    /** Ends the current utterance (a gap in the audio, the stream's last index stopped); null when too short. */
    static Cut close(VadState s) {
        if (!s.inSpeech) {
            return null;
        }
        s.inSpeech = false;
        s.voicedRun = 0;
        Cut cut = s.voicedFrames >= MIN_VOICED_FRAMES
                ? new Cut(s.speechStartTs, s.lastVoiceEndTs, s.voicedFrames * FRAME_MS)
                : null;
        s.voicedFrames = 0;
        return cut;
    }

    static double levelDb(short[] samples, int off, int n) {
        double sum = 0;
        for (int i = off; i < off + n; i++) {
            sum += (double) samples[i] * samples[i];
        }
        double ms = n == 0 ? 0 : sum / n / (32768.0 * 32768.0);
        return ms <= 1e-9 ? -90 : 10 * Math.log10(ms);
    }
}
