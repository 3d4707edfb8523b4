package dev.vigil.indexer.audio;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sound labels of a closed window and its description sentence. Labels are those the rules
 * vocabulary listens for (rules/DESIGN.md): {@code silence}, {@code speech}, {@code music},
 * {@code tonal}, {@code alarm}, {@code noise}, {@code impulse}. Thresholds were set on generated
 * signals (espeak-ng speech, tones, sweeps, chords, white noise, clicks) — see the tests — and the
 * measurements (speech flatness 0.03–0.06, white noise 0.72, tones ~0).
 */
final class SoundLabels {

    static final double SILENCE_DB = -50;
    static final double ALARM_MIN_DB = -40;
    static final double SYLLABIC_DB = 4;

    /** Labels and sentence. */
    record Result(List<String> labels, String text, double confidence) {
    }

    private SoundLabels() {
    }

    static Result of(SoundWindow w, String transcript) {
        List<String> labels = new ArrayList<>();
        double loud = w.loudnessDb();
        double peak = w.peakDb();
        double activeShare = w.frames == 0 ? 0 : w.active / (double) w.frames;
        boolean impulse = w.impulses > 0;
        if (loud < SILENCE_DB && !impulse) {
            labels.add("silence");
            return new Result(labels, "Silence.", 0.9);
        }
        double a = Math.max(1, w.active);
        double tonalShare = w.tonal / a;
        double harmonicShare = w.harmonic / a;
        double speechShare = w.speechy / a;
        double noisyShare = w.noisy / a;
        int distinctPitches = Long.bitCount(w.buckets);
        double modulation = w.modulationDb();
        double toneHz = w.tonal == 0 ? 0 : w.tonalHzSum / w.tonal;

        boolean tonal = activeShare >= 0.3 && tonalShare >= 0.5;
        boolean alarm = tonal && toneHz >= 500 && toneHz <= 4000 && loud >= ALARM_MIN_DB;
        double centroid = w.active == 0 ? 0 : w.centroidSum / w.active;
        // Voiced speech is harmonic like music, but syllables and pauses make its level jump: the
        // level's spread over the active frames separates them (espeak speech 6–7 dB, chords 1.5 dB).
        boolean music = !tonal && activeShare >= 0.5 && harmonicShare + tonalShare >= 0.5 && distinctPitches >= 4
                && modulation < SYLLABIC_DB;
        boolean speech = !tonal && !music && activeShare >= 0.15 && modulation >= SYLLABIC_DB
                && Math.max(speechShare, harmonicShare + tonalShare) >= 0.4 && centroid < 3000;
        boolean noise = !tonal && !music && !speech && activeShare >= 0.3 && noisyShare >= 0.5;
        if (speech) {
            labels.add("speech");
        }
        if (music) {
            labels.add("music");
        }
        if (tonal) {
            labels.add("tonal");
        }
        if (alarm) {
            labels.add("alarm");
        }
        if (noise) {
            labels.add("noise");
        }
        if (impulse) {
            labels.add("impulse");
        }
        return new Result(labels, describe(labels, loud, peak, toneHz, transcript), labels.isEmpty() ? 0.4 : 0.7);
    }

    static String describe(List<String> labels, double loud, double peak, double toneHz, String transcript) {
        List<String> parts = new ArrayList<>();
        if (labels.contains("speech")) {
            parts.add("speech");
        }
        if (labels.contains("music")) {
            parts.add("music-like sound");
        }
        if (labels.contains("alarm")) {
            parts.add(String.format(Locale.ROOT, "alarm-like tone around %.1f kHz", toneHz / 1000));
        } else if (labels.contains("tonal")) {
            parts.add(String.format(Locale.ROOT, "steady tone around %.0f Hz", toneHz));
        }
        if (labels.contains("noise")) {
            parts.add("noise");
        }
        if (labels.contains("impulse")) {
            parts.add(String.format(Locale.ROOT, "a loud impulse (peak %.0f dBFS)", peak));
        }
        if (parts.isEmpty()) {
            parts.add("background sound");
        }
        StringBuilder text = new StringBuilder(String.join(", ", parts));
        text.append(String.format(Locale.ROOT, " at %.0f dBFS", loud));
        if (transcript != null && !transcript.isBlank()) {
            text.append(": \"").append(transcript).append('"');
        }
        text.setCharAt(0, Character.toUpperCase(text.charAt(0)));
        return text.append('.').toString();
    }
}
