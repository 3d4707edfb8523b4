package dev.vigil.indexer.spec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lenient number parsing for {@code extraction_config} strings, with a warning on bad values. */
final class Parse {

    private static final Logger log = LoggerFactory.getLogger(Parse.class);

    private Parse() {
    }

    static long longIn(String raw, long min, long max, long dflt, String indexId, String key) {
        if (raw == null || raw.isBlank()) {
            return dflt;
        }
        try {
            double v = Double.parseDouble(raw.trim());
            if (v >= min && v <= max) {
                return Math.round(v);
            }
        } catch (NumberFormatException e) {
            // falls through to the warning
        }
        log.warn("Index {}: extraction_config.{}={} is not a number in [{}, {}]; using {}", indexId, key, raw, min, max, dflt);
        return dflt;
    }
}
