package dev.vigil.api.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

/**
 * The lexical measure as a search reads it from the index (postings of the text's terms and the labels) equals
 * the measure on the stored record, for random records over several segments and random queries, stop words,
 * repeated words, case and punctuation included: the search loads stored fields only for the hits it returns.
 */
class HybridSearchLexicalTest {

    private static final String[] VOCABULARY = {"person", "Person", "car", "red", "gate", "the", "at", "is", "help", "me",
            "dog", "barking", "door", "knock", "glass", "breaking", "a", "of", "helmet", "truck", "it's", "U.S.", "x-ray"};
    private static final String[] LABELS = {"person", "Car", "dog", "glass breaking", "speech", "Truck"};

    @Test
    void theIndexGivesEveryCandidateTheStoredRecordsLexicalScore() throws Exception {
        Random random = new Random(42);
        SearchText searchText = new SearchText(RecordsIndex.analyzer());
        HybridSearch hybrid = new HybridSearch(searchText);
        List<StoredRecord> records = new ArrayList<>();
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory()) {
            IndexWriterConfig config = new IndexWriterConfig(RecordsIndex.analyzer());
            config.setMaxBufferedDocs(37); // several segments, so candidates span leaves
            try (IndexWriter writer = new IndexWriter(dir, config)) {
                for (int i = 0; i < 300; i++) {
                    StoredRecord record = new StoredRecord(Channel.values()[i % Channel.values().length], "alpha",
                            "rts-" + (i % 7), "idx", 1_000L * i, 1_000L * i + 500, sentence(random, 1 + random.nextInt(9)),
                            labels(random));
                    records.add(record);
                    writer.addDocument(record.toDocument());
                }
            }
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                assertThat(reader.leaves()).hasSizeGreaterThan(3);
                IndexSearcher searcher = new IndexSearcher(reader);
                int[] docs = random.ints(0, records.size()).distinct().limit(100).sorted().toArray();
                for (int q = 0; q < 200; q++) {
                    Set<String> words = new HashSet<>(searchText.words(sentence(random, 1 + random.nextInt(4))));
                    double[] fromIndex = HybridSearch.lexicalFromIndex(searcher, words, docs);
                    for (int i = 0; i < docs.length; i++) {
                        StoredRecord stored = StoredRecord.fromDocument(searcher.storedFields().document(docs[i]));
                        assertThat(fromIndex[i]).as("query %s, record '%s' %s", words, stored.text(), stored.labels())
                                .isEqualTo(hybrid.lexical(words, stored));
                    }
                }
            }
        }
    }

    private static String sentence(Random random, int words) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < words; i++) {
            text.append(i == 0 ? "" : random.nextBoolean() ? " " : ", ").append(VOCABULARY[random.nextInt(VOCABULARY.length)]);
        }
        return text.append(random.nextBoolean() ? "." : "").toString();
    }

    private static List<String> labels(Random random) {
        List<String> labels = new ArrayList<>();
        for (String label : LABELS) {
            if (random.nextInt(4) == 0) {
                labels.add(label);
            }
        }
        return labels;
    }
}
