package dev.vigil.indexer.speech;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The speech engines available to transcript indexes, by name, and the default. An index naming an
 * engine that is not available (e.g. {@code openai} without a configured URL, or {@code vosk}, which
 * ships no model here) falls back to the default, with one warning per index.
 */
public final class SpeechEngines implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SpeechEngines.class);

    private final Map<String, SpeechEngine> byName = new LinkedHashMap<>();
    private final SpeechEngine fallback;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public SpeechEngines(Map<String, SpeechEngine> engines, String defaultName) {
        byName.putAll(engines);
        fallback = byName.get(defaultName);
        if (fallback == null) {
            throw new IllegalArgumentException("default transcript engine '" + defaultName + "' is not available; have "
                    + byName.keySet());
        }
    }

    /** The engine an index asks for ({@code null}: the default). */
    public SpeechEngine forIndex(String indexId, String requested) {
        if (requested == null || requested.isBlank()) {
            return fallback;
        }
        SpeechEngine engine = byName.get(requested);
        if (engine == null) {
            if (warned.add(indexId + "|" + requested)) {
                log.warn("Index {} asks for transcript engine '{}', which is not available (have {}); using {}",
                        indexId, requested, byName.keySet(), fallback.name());
            }
            return fallback;
        }
        return engine;
    }

    public Set<String> names() {
        return byName.keySet();
    }

    @Override
    public void close() {
        byName.values().forEach(SpeechEngine::close);
    }
}
