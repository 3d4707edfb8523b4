package dev.vigil.indexer.spec;

import dev.vigil.schemas.control.IndexSpec;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a transcript index asks for: its engine (null for the configured default) and its vocabulary,
 * from {@code extraction_config.vocabulary} as a JSON array of phrases or phrases separated by commas,
 * semicolons or new lines. Phrases are lower-cased, stripped of punctuation and de-duplicated.
 */
public record TranscriptSettings(String engine, List<String> vocabulary) {

    public static TranscriptSettings of(IndexSpec spec) {
        return new TranscriptSettings(spec.getEngine(), phrases(spec.getExtractionConfig().get("vocabulary")));
    }

    static List<String> phrases(String raw) {
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        List<String> items = new ArrayList<>();
        String trimmed = raw.trim();
        if (trimmed.startsWith("[")) {
            try {
                for (Object o : new JsonArray(trimmed)) {
                    items.add(String.valueOf(o));
                }
            } catch (DecodeException e) {
                items.addAll(List.of(trimmed.split("[,;\\n]")));
            }
        } else {
            items.addAll(List.of(trimmed.split("[,;\\n]")));
        }
        Set<String> phrases = new LinkedHashSet<>();
        for (String item : items) {
            String p = normalise(item);
            if (!p.isEmpty()) {
                phrases.add(p);
            }
        }
        return List.copyOf(phrases);
    }

    /** Lower case, letters/digits/apostrophes only, single spaces: the form grammar words take. */
    public static String normalise(String phrase) {
        return phrase.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}' ]+", " ").trim().replaceAll("\\s+", " ");
    }
}
