package dev.vigil.api.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SearchTextTest {

    private final SearchText parser = new SearchText(RecordsIndex.analyzer());

    @ParameterizedTest
    @ValueSource(strings = {"*", "?", "***", "*:*", "* ?", "+-&|!(){}[]^~*?:\\/", "   ", ""})
    void rejectsTextWithoutWords(String text) {
        assertThatThrownBy(() -> parser.parse(text)).isInstanceOf(BadQueryException.class)
                .hasMessageContaining("query");
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> parser.parse(null)).isInstanceOf(BadQueryException.class).hasMessageContaining("required");
    }

    @Test
    void rejectsHugeText() {
        assertThatThrownBy(() -> parser.parse("a".repeat(SearchText.MAX_CHARS + 1)))
                .isInstanceOf(BadQueryException.class).hasMessageContaining("at most 1000 characters");
    }

    @Test
    void rejectsTooManyWords() {
        String words = "word ".repeat(SearchText.MAX_TERMS + 1);
        assertThatThrownBy(() -> parser.parse(words)).isInstanceOf(BadQueryException.class)
                .hasMessageContaining("at most " + SearchText.MAX_TERMS);
    }

    @Test
    void rejectsAnUnbalancedQuote() {
        assertThatThrownBy(() -> parser.parse("person \"at the gate")).isInstanceOf(BadQueryException.class)
                .hasMessageContaining("unbalanced double quote");
    }

    @Test
    void luceneSyntaxIsPlainText() {
        // Field names, ranges, fuzzy and boosts are not syntax here: just words.
        Query query = parser.parse("tenant:beta AND text:[a TO z] car~2 gate^10");
        java.util.Set<String> fields = new java.util.TreeSet<>();
        java.util.Set<String> terms = new java.util.TreeSet<>();
        query.visit(new org.apache.lucene.search.QueryVisitor() {
            @Override
            public void consumeTerms(Query q, org.apache.lucene.index.Term... ts) {
                for (org.apache.lucene.index.Term t : ts) {
                    fields.add(t.field());
                    terms.add(t.text());
                }
            }

            @Override
            public org.apache.lucene.search.QueryVisitor getSubVisitor(BooleanClause.Occur occur, Query parent) {
                return this;
            }
        });
        assertThat(fields).containsOnly(StoredRecord.TEXT, StoredRecord.LABELS);
        assertThat(terms).contains("car", "gate", "a", "z").doesNotContain("car~2", "gate^10", "[a");
    }

    @Test
    void wordsAreOptionalAndAQuotedPhraseIsRequired() {
        BooleanQuery query = (BooleanQuery) parser.parse("red car \"front gate\"");
        List<BooleanClause> must = query.clauses().stream().filter(c -> c.getOccur() == BooleanClause.Occur.MUST).toList();
        assertThat(must).hasSize(1);
        assertThat(must.get(0).getQuery().toString()).isEqualTo("text:\"front gate\"");
        assertThat(query.clauses()).filteredOn(c -> c.getOccur() == BooleanClause.Occur.SHOULD).hasSize(5);
    }

    @Test
    void matchesCaseInsensitively() throws IOException {
        assertThat(top(List.of("A RED Car stopped"), "red car")).containsExactly("A RED Car stopped");
    }

    @Test
    void ranksTheRecordSayingThePhraseFirst() throws IOException {
        List<String> texts = List.of(
                "the car is red and the gate is open",
                "a person walks to the gate",
                "red car at the front gate",
                "a car drives by",
                "gate closed, red light on");
        assertThat(top(texts, "red car at the gate").get(0)).isEqualTo("red car at the front gate");
    }

    @Test
    void aQuotedPhraseExcludesRecordsWithoutIt() throws IOException {
        List<String> texts = List.of("the gate is open", "open the front gate now", "front door, gate open");
        assertThat(top(texts, "open \"front gate\"")).containsExactly("open the front gate now");
    }

    @Test
    void labelsMatchToo() throws IOException {
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory()) {
            try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig(RecordsIndex.analyzer()))) {
                writer.addDocument(new StoredRecord(Channel.SCENE_INDEX, "t", "rts-1", "i", 0, 1, "two objects moving",
                        List.of("person", "motion")).toDocument());
                writer.addDocument(new StoredRecord(Channel.SCENE_INDEX, "t", "rts-1", "i", 1, 2, "empty scene",
                        List.of("dark")).toDocument());
            }
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                TopDocs top = new IndexSearcher(reader).search(parser.parse("person"), 10);
                assertThat(top.scoreDocs).hasSize(1);
                assertThat(StoredRecord.fromDocument(reader.storedFields().document(top.scoreDocs[0].doc)).text())
                        .isEqualTo("two objects moving");
            }
        }
    }

    /** Texts matching {@code query}, best first. */
    private List<String> top(List<String> texts, String query) throws IOException {
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory()) {
            try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig(RecordsIndex.analyzer()))) {
                long t = 0;
                for (String text : texts) {
                    writer.addDocument(new StoredRecord(Channel.TRANSCRIPT, "t", "rts-1", "i", t, t + 1, text, List.of())
                            .toDocument());
                    t += 10;
                }
            }
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                TopDocs top = searcher.search(parser.parse(query), 10);
                return java.util.Arrays.stream(top.scoreDocs).map(d -> {
                    try {
                        return reader.storedFields().document(d.doc).get(StoredRecord.TEXT);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).toList();
            }
        }
    }
}
