package dev.vigil.rules.meaning;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A BERT sentence encoder run with ONNX Runtime on several texts per call: the texts are tokenized,
 * padded to the longest, and run as one {@code [batch, tokens]} tensor, then pooled (CLS token or
 * mean of the real tokens) and L2-normalised. langchain4j's {@code OnnxBertBiEncoder} runs one text
 * per call; on one core a batch of 8-16 short record texts costs 1.4-2 times less per text
 * (rules/DESIGN.md, <i>Search embeddings</i>).
 *
 * <p>Thread-safe (ONNX Runtime sessions and the HuggingFace tokenizer may be shared); each call runs
 * on the caller's thread with one intra-op thread.
 */
final class BatchEncoder {

    enum Pooling { CLS, MEAN }

    /** Longest input in word pieces; record texts are far shorter, a longer one is truncated. */
    static final int MAX_TOKENS = 256;

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final Pooling pooling;
    private final boolean tokenTypes;

    BatchEncoder(String modelResource, String tokenizerResource, Pooling pooling) {
        this.pooling = pooling;
        try (InputStream onnx = resource(modelResource); InputStream tok = resource(tokenizerResource)) {
            this.environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            // One thread per call: callers are already parallel, and the default (all cores per call)
            // makes concurrent callers fight over the same cores.
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            this.session = environment.createSession(onnx.readAllBytes(), options);
            this.tokenTypes = session.getInputNames().contains("token_type_ids");
            this.tokenizer = HuggingFaceTokenizer.newInstance(tok, Map.of(
                    "padding", "false", "truncation", "true", "maxLength", Integer.toString(MAX_TOKENS)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sentence-embedding model " + modelResource + " from the class path", e);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load the sentence-embedding model " + modelResource, e);
        }
    }

    /** The unit vectors of {@code texts}, in order; texts must not be blank. */
    float[][] encode(List<String> texts) {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        int batch = encodings.length;
        int length = 0;
        for (Encoding e : encodings) {
            length = Math.max(length, e.getIds().length);
        }
        long[] ids = new long[batch * length];
        long[] mask = new long[batch * length];
        long[] types = new long[batch * length];
        for (int b = 0; b < batch; b++) {
            long[] pieces = encodings[b].getIds();
            long[] pieceTypes = encodings[b].getTypeIds();
            for (int i = 0; i < pieces.length; i++) {
                ids[b * length + i] = pieces[i];
                mask[b * length + i] = 1;
                types[b * length + i] = pieceTypes[i];
            }
        }
        long[] shape = {batch, length};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
            if (tokenTypes) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][][] hidden = (float[][][]) result.get(0).getValue();
                float[][] out = new float[batch][];
                for (int b = 0; b < batch; b++) {
                    out[b] = normalise(pool(hidden[b], encodings[b].getIds().length));
                }
                return out;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("cannot embed " + batch + " texts", e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private float[] pool(float[][] tokens, int realTokens) {
        if (pooling == Pooling.CLS) {
            return tokens[0].clone();
        }
        float[] mean = new float[tokens[0].length];
        for (int t = 0; t < realTokens; t++) { // padding left out
            for (int d = 0; d < mean.length; d++) {
                mean[d] += tokens[t][d];
            }
        }
        for (int d = 0; d < mean.length; d++) {
            mean[d] /= realTokens;
        }
        return mean;
    }

    private static float[] normalise(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= (float) norm;
            }
        }
        return v;
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = BatchEncoder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the class path");
        }
        return in;
    }
}
