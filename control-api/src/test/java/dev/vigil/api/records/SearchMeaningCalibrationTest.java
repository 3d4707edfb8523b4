package dev.vigil.api.records;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rules.meaning.SearchEmbedder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meaning half of the search score on the labelled set {@code records/search-paraphrases.tsv}
 * (36 query/record paraphrases with no word in common for most, 30 unrelated records): the numbers
 * that {@link HybridSearch#Z_NONE} and {@link HybridSearch#Z_SCALE} were chosen from, pinned so that a
 * change of model or background shows here first.
 */
class SearchMeaningCalibrationTest {

    private static final Logger log = LoggerFactory.getLogger(SearchMeaningCalibrationTest.class);

    private record Pair(String query, String record) {
    }

    private static final List<Pair> pairs = new ArrayList<>();
    private static final List<String> unrelated = new ArrayList<>();

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = SearchMeaningCalibrationTest.class.getResourceAsStream("/records/search-paraphrases.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f[0].equals("pair")) {
                    pairs.add(new Pair(f[1], f[2]));
                } else {
                    unrelated.add(f[2]);
                }
            }
        }
    }

    private static double z(String query, String record) {
        SearchEmbedder embedder = SearchEmbedder.shared();
        float[] q = embedder.embedQuery(query);
        return QueryBaseline.shared().scale(q).z(SearchEmbedder.cosine(q, embedder.embed(record)));
    }

    /** The score a record with no query word gets: meaning alone. */
    private static double meaningScore(String query, String record) {
        SearchEmbedder embedder = SearchEmbedder.shared();
        float[] q = embedder.embedQuery(query);
        return HybridSearch.score(QueryBaseline.shared().scale(q).z(SearchEmbedder.cosine(q, embedder.embed(record))), 0);
    }

    @Test
    void aRescueRequestFindsHelpMeAboveEveryUnrelatedRecord() {
        double help = meaningScore("someone is asking to be rescued", "help me");
        double bestUnrelated = unrelated.stream().mapToDouble(r -> meaningScore("someone is asking to be rescued", r)).max()
                .orElseThrow();

        assertThat(help).isGreaterThan(0.3);
        assertThat(bestUnrelated).isLessThan(0.1);
    }

    @Test
    void paraphrasesScoreAndUnrelatedRecordsMostlyDoNot() {
        int found = 0;
        int unrelatedScored = 0;
        int unrelatedAboveRight = 0;
        StringBuilder table = new StringBuilder();
        for (Pair p : pairs) {
            double right = meaningScore(p.query(), p.record());
            double bestUnrelated = 0;
            for (String r : unrelated) {
                double s = meaningScore(p.query(), r);
                bestUnrelated = Math.max(bestUnrelated, s);
                unrelatedScored += s > 0 ? 1 : 0;
                unrelatedAboveRight += s > 0 && s >= right ? 1 : 0;
            }
            found += right > 0 ? 1 : 0;
            table.append(String.format(Locale.ROOT, "%n  %-34s -> %-50s z %.2f, score %.2f (best unrelated %.2f)", p.query(),
                    p.record(), z(p.query(), p.record()), right, bestUnrelated));
        }
        log.info("Meaning score per pair:{}", table);
        int comparisons = pairs.size() * unrelated.size();

        // Measured 2026-12-06 (e5-small-v2-q): 32 of 36 paraphrases score above 0; 29 of 1,080 unrelated
        // (query, record) pairs do, 17 of them at or above the query's paraphrase.
        assertThat(found).isGreaterThanOrEqualTo(30);
        assertThat(unrelatedScored).isLessThanOrEqualTo(comparisons * 3 / 100);
        assertThat(unrelatedAboveRight).isLessThanOrEqualTo(comparisons * 3 / 100);
        log.info("{} of {} paraphrases score, {} of {} unrelated pairs do, {} at or above the paraphrase", found, pairs.size(),
                unrelatedScored, comparisons, unrelatedAboveRight);
    }
}
