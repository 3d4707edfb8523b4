package dev.vigil.api.records.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The bench corpus: a bounded number of distinct texts (what keeps a 1M-record bench's embedding bounded), fixed runs. */
class RecordsCorpusTest {

    @Test
    void recordsDrawOnlyFromThePoolsSoDistinctTextsStayBounded() {
        RecordsCorpus corpus = new RecordsCorpus(400);
        assertThat(corpus.distinctTexts()).isEqualTo(400 + 200 + 100);
        Random random = new Random(3);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50_000; i++) {
            seen.add(corpus.sentence(random));
            seen.add(corpus.scene(random).text());
            seen.add(corpus.sound(random).text());
        }
        assertThat(seen.size()).isLessThanOrEqualTo(corpus.distinctTexts()).isGreaterThan(corpus.distinctTexts() / 2);
    }

    @Test
    void theSameSeedGivesTheSameRecordsAndQueries() {
        assertThat(draw(new RecordsCorpus(), new Random(9))).isEqualTo(draw(new RecordsCorpus(), new Random(9)));
    }

    @Test
    void descriptionsCarryTheirLabels() {
        RecordsCorpus corpus = new RecordsCorpus(100);
        Random random = new Random(5);
        for (int i = 0; i < 200; i++) {
            RecordsCorpus.Text scene = corpus.scene(random);
            assertThat(scene.labels()).isNotEmpty().allSatisfy(label -> assertThat(scene.text()).contains(label));
        }
    }

    @Test
    void aPoolTooSmallIsRefused() {
        assertThatThrownBy(() -> new RecordsCorpus(3)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> draw(RecordsCorpus corpus, Random random) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            out.add(corpus.sentence(random));
            out.add(corpus.scene(random).text());
            out.add(corpus.query(random));
        }
        return out;
    }
}
