package dev.vigil.indexer.speech;

/**
 * One utterance cut by the VAD.
 *
 * @param samples  16 kHz mono PCM, lead-in and trail included
 * @param speechMs duration of the voiced part (what the VAD heard), for plausibility checks
 */
public record Utterance(short[] samples, long speechMs) {

    public static final int SAMPLE_RATE = 16_000;

    public long durationMs() {
        return samples.length * 1000L / SAMPLE_RATE;
    }
}
