package dev.vigil.indexer.spec;

import dev.vigil.schemas.control.IndexSpec;
import java.util.Locale;
import java.util.Map;

/**
 * Window of an audio index from its {@code extraction_config}. VideoDB segments by {@code time}
 * (seconds), {@code word} or {@code sentence} counts over the transcript. Words and sentences are
 * approximated by time here, so windows do not wait for a transcript: a word counts 0.4 s (150 words
 * per minute), a sentence 4 s. The window is between 1 s and 5 minutes.
 *
 * @param windowMs    window length
 * @param segmenter   {@code time}, {@code word} or {@code sentence} as given
 * @param approximate whether the window approximates a word/sentence count
 */
public record AudioSettings(long windowMs, String segmenter, boolean approximate) {

    static final long WORD_MS = 400;
    static final long SENTENCE_MS = 4_000;

    public static AudioSettings of(IndexSpec spec) {
        Map<String, String> config = spec.getExtractionConfig();
        String segmenter = config.getOrDefault("segmenter", "word").toLowerCase(Locale.ROOT);
        long value = Parse.longIn(config.get("segmentation_value"), 1, 10_000, 10, spec.getId(), "segmentation_value");
        long ms = switch (segmenter) {
            case "time" -> value * 1000;
            case "sentence" -> value * SENTENCE_MS;
            default -> value * WORD_MS;
        };
        return new AudioSettings(Math.max(1_000, Math.min(300_000, ms)), segmenter, !"time".equals(segmenter));
    }
}
