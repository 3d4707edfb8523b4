package dev.vigil.standalone.bench.model;

import dev.vigil.rules.meaning.SearchEmbedder;
import dev.vigil.rules.meaning.SentenceEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a record's search vector costs on one thread: before — all-MiniLM-L6-v2 one text at a time
 * ({@link SentenceEmbedder}, what the records store ran until e5 replaced it); now — e5-small-v2
 * ({@link SearchEmbedder}) unique texts one by one, unique texts in batches of
 * {@value SearchEmbedder#BATCH} (how it embeds now), and templated texts as offline engines write them,
 * where the cache by text answers most. Texts are made unique with a run id, so no earlier run's cache
 * helps.
 */
final class EmbeddingCost {

    /** Milliseconds per record for each way of embedding. */
    record Result(int records, double miniLmOneByOneMs, double oneByOneMs, double batchedMs, double templatedMs,
            double templatedCacheHits) {
    }

    private EmbeddingCost() {
    }

    static Result measure(int records) {
        SearchEmbedder embedder = SearchEmbedder.shared();
        String run = Long.toString(System.nanoTime(), 36);
        embedder.embedAll(texts("warm-up " + run, 32)); // first runs pay ONNX Runtime's lazy set-up

        SentenceEmbedder miniLm = SentenceEmbedder.shared();
        texts("warm-up " + run, 32).forEach(miniLm::embed);
        List<String> before = texts("minilm " + run, records);
        long t0 = System.nanoTime();
        for (String text : before) {
            miniLm.embed(text);
        }
        double miniLmOneByOne = (System.nanoTime() - t0) / 1e6 / records;

        List<String> unique = texts("one " + run, records);
        t0 = System.nanoTime();
        for (String text : unique) {
            embedder.embed(text);
        }
        double oneByOne = (System.nanoTime() - t0) / 1e6 / records;

        List<String> batchTexts = texts("batch " + run, records);
        t0 = System.nanoTime();
        for (int from = 0; from < records; from += SearchEmbedder.BATCH) {
            embedder.embedAll(batchTexts.subList(from, Math.min(records, from + SearchEmbedder.BATCH)));
        }
        double batched = (System.nanoTime() - t0) / 1e6 / records;

        List<String> templated = templated(run, records);
        long modelBefore = embedder.modelTexts();
        t0 = System.nanoTime();
        for (int from = 0; from < records; from += SearchEmbedder.BATCH) {
            embedder.embedAll(templated.subList(from, Math.min(records, from + SearchEmbedder.BATCH)));
        }
        double templatedMs = (System.nanoTime() - t0) / 1e6 / records;
        double hits = 1 - (double) (embedder.modelTexts() - modelBefore) / records;
        return new Result(records, miniLmOneByOne, oneByOne, batched, templatedMs, hits);
    }

    /** Transcript-like sentences of 10-16 words, all different. */
    private static List<String> texts(String tag, int n) {
        String[] who = {"the driver", "a courier", "the guard", "a woman in a red coat", "two men", "the manager"};
        String[] what = {"is waiting at", "walks towards", "parks next to", "knocks on", "carries a box to", "looks at"};
        String[] where = {"the front gate", "the loading dock", "the main entrance", "the back door", "the fence"};
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(who[i % who.length] + " " + what[(i / 6) % what.length] + " " + where[(i / 36) % where.length]
                    + " and says call " + tag + " " + i);
        }
        return out;
    }

    /** Offline scene descriptions: a few templates with small counts, as the OpenCV engine writes them. */
    private static List<String> templated(String run, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int people = i % 4;
            int motion = 2 + (i / 4) % 10;
            String zone = (i / 40) % 3 == 0 ? "; in zone " + run + ": 1 person" : "";
            out.add(String.format(Locale.ROOT, "%s, motion in %d%% of the picture%s",
                    people == 0 ? "no people" : people + (people == 1 ? " person" : " people"), motion, zone));
        }
        return out;
    }
}
