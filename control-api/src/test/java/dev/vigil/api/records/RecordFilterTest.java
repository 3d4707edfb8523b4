package dev.vigil.api.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The filter clauses on a small in-memory index: tenant, streams, index, channels and time windows. */
class RecordFilterTest {

    private ByteBuffersDirectory dir;
    private DirectoryReader reader;

    @BeforeEach
    void index() throws IOException {
        dir = new ByteBuffersDirectory();
        try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig(RecordsIndex.analyzer()))) {
            for (StoredRecord r : List.of(
                    rec(Channel.TRANSCRIPT, "alpha", "rts-a", "ta", 1_000, 2_000, "a1"),
                    rec(Channel.TRANSCRIPT, "alpha", "rts-a", "ta", 2_000, 3_000, "a2"),
                    rec(Channel.TRANSCRIPT, "alpha", "rts-a", "ta", 3_000, 4_000, "a3"),
                    rec(Channel.SCENE_INDEX, "alpha", "rts-a", "sa", 1_000, 3_000, "s1"),
                    rec(Channel.AUDIO_INDEX, "alpha", "rts-a", "aa", 1_000, 3_000, "u1"),
                    rec(Channel.TRANSCRIPT, "alpha", "rts-b", "tb", 1_000, 2_000, "b1"),
                    rec(Channel.TRANSCRIPT, "beta", "rts-a", "ta", 1_500, 2_000, "forged"))) {
                writer.addDocument(r.toDocument());
            }
        }
        reader = DirectoryReader.open(dir);
    }

    @AfterEach
    void close() throws IOException {
        reader.close();
        dir.close();
    }

    private static StoredRecord rec(Channel c, String tenant, String rts, String index, long start, long end, String text) {
        return new StoredRecord(c, tenant, rts, index, start, end, text, List.of());
    }

    private List<String> texts(RecordFilter filter) throws IOException {
        return texts(filter, filter.toQuery());
    }

    private List<String> texts(RecordFilter filter, Query query) throws IOException {
        IndexSearcher searcher = new IndexSearcher(reader);
        List<String> texts = new ArrayList<>();
        for (ScoreDoc d : searcher.search(query == null ? new MatchAllDocsQuery() : query, 100).scoreDocs) {
            texts.add(reader.storedFields().document(d.doc).get(StoredRecord.TEXT));
        }
        return texts;
    }

    @Test
    void oneStreamOfOneTenant() throws IOException {
        assertThat(texts(RecordFilter.stream("alpha", "rts-a"))).containsExactlyInAnyOrder("a1", "a2", "a3", "s1", "u1");
    }

    @Test
    void anotherTenantsRecordOnTheSameStreamIdIsNeverSeen() throws IOException {
        assertThat(texts(RecordFilter.stream("beta", "rts-a"))).containsExactly("forged");
        assertThat(texts(RecordFilter.stream("alpha", "rts-a"))).doesNotContain("forged");
    }

    @Test
    void severalStreams() throws IOException {
        RecordFilter filter = new RecordFilter("alpha", Set.of("rts-a", "rts-b"), null, Set.of(Channel.TRANSCRIPT), null,
                null, null);
        assertThat(texts(filter)).containsExactlyInAnyOrder("a1", "a2", "a3", "b1");
    }

    @Test
    void oneIndexOrSomeChannels() throws IOException {
        assertThat(texts(RecordFilter.stream("alpha", "rts-a").withIndex("sa"))).containsExactly("s1");
        assertThat(texts(RecordFilter.stream("alpha", "rts-a").withChannels(Set.of(Channel.SCENE_INDEX, Channel.AUDIO_INDEX))))
                .containsExactlyInAnyOrder("s1", "u1");
    }

    @Test
    void aWindowSelectsOverlappingRecords() throws IOException {
        RecordFilter transcript = RecordFilter.stream("alpha", "rts-a").withChannels(Set.of(Channel.TRANSCRIPT));
        // [2500, 2600] lies inside a2 only.
        assertThat(texts(transcript.withWindow(2_500L, 2_600L, null))).containsExactly("a2");
        // Boundaries touch: a record ending at 'from' or starting at 'to' overlaps.
        assertThat(texts(transcript.withWindow(2_000L, 3_000L, null))).containsExactlyInAnyOrder("a1", "a2", "a3");
        assertThat(texts(transcript.withWindow(3_500L, null, null))).containsExactly("a3");
        assertThat(texts(transcript.withWindow(null, 1_999L, null))).containsExactly("a1");
    }

    @Test
    void sinceIsStrictlyAfterTheStart() throws IOException {
        RecordFilter transcript = RecordFilter.stream("alpha", "rts-a").withChannels(Set.of(Channel.TRANSCRIPT));
        assertThat(texts(transcript.withWindow(null, null, 2_000L))).containsExactly("a3");
        assertThat(texts(transcript.withWindow(null, null, 1_999L))).containsExactlyInAnyOrder("a2", "a3");
        assertThat(texts(transcript.withWindow(null, null, 4_000L))).isEmpty();
    }

    /** Every filter of these tests, asked of the reader-aware query: the same records, whichever clauses it picks. */
    @Test
    void theQueryBuiltForAReaderMatchesExactlyTheSameRecords() throws IOException {
        IndexedStreams indexed = IndexedStreams.of(reader);
        assertThat(indexed.streams()).containsExactlyInAnyOrder("rts-a", "rts-b");
        assertThat(indexed.onlyTenant("alpha")).isFalse(); // beta has a record too
        for (RecordFilter filter : List.of(
                RecordFilter.stream("alpha", "rts-a"),
                RecordFilter.stream("beta", "rts-a"),
                new RecordFilter("alpha", Set.of("rts-a", "rts-b"), null, Set.of(), null, null, null),
                new RecordFilter("alpha", Set.of("rts-a", "rts-b", "rts-gone"), null, Set.of(), null, null, null),
                new RecordFilter("alpha", Set.of("rts-a", "rts-b"), null, Set.of(Channel.TRANSCRIPT), null, null, null),
                new RecordFilter("alpha", Set.of("rts-a", "rts-b"), "sa", Set.of(), null, null, null),
                new RecordFilter("alpha", Set.of("rts-a", "rts-b"), null, Set.of(), 2_500L, null, null),
                new RecordFilter("alpha", Set.of("rts-b", "rts-c", "rts-d"), null, Set.of(), null, null, null),
                new RecordFilter("gamma", Set.of("rts-a", "rts-b"), null, Set.of(), null, null, null))) {
            assertThat(texts(filter, filter.toQuery(indexed))).as(filter.toString())
                    .containsExactlyInAnyOrderElementsOf(texts(filter));
        }
    }

    @Test
    void aCollectionSearchOnAnIndexOfOneTenantAndItsStreamsNeedsNoFilter() throws IOException {
        try (ByteBuffersDirectory single = new ByteBuffersDirectory()) {
            try (IndexWriter writer = new IndexWriter(single, new IndexWriterConfig(RecordsIndex.analyzer()))) {
                writer.addDocument(rec(Channel.TRANSCRIPT, "alpha", "rts-a", "ta", 1_000, 2_000, "a1").toDocument());
                writer.addDocument(rec(Channel.TRANSCRIPT, "alpha", "rts-b", "tb", 1_000, 2_000, "b1").toDocument());
            }
            try (DirectoryReader r = DirectoryReader.open(single)) {
                IndexedStreams indexed = IndexedStreams.of(r);
                assertThat(indexed.onlyTenant("alpha")).isTrue();
                RecordFilter both = new RecordFilter("alpha", Set.of("rts-a", "rts-b"), null, Set.of(), null, null, null);
                assertThat(both.toQuery(indexed)).isNull();
                // A stream left out (deleted, or not the caller's) or a narrowing clause still filters.
                assertThat(RecordFilter.stream("alpha", "rts-a").toQuery(indexed)).isNotNull();
                assertThat(both.withChannels(Set.of(Channel.SCENE_INDEX)).toQuery(indexed)).isNotNull();
                assertThat(new RecordFilter("beta", Set.of("rts-a", "rts-b"), null, Set.of(), null, null, null)
                        .toQuery(indexed)).isNotNull();
            }
        }
    }

    @Test
    void noStreamsOrAnInvertedWindowMatchNothing() {
        assertThat(new RecordFilter("alpha", Set.of(), null, Set.of(), null, null, null).empty()).isTrue();
        assertThat(RecordFilter.stream("alpha", "rts-a").withWindow(5L, 4L, null).empty()).isTrue();
        assertThat(RecordFilter.stream("alpha", "rts-a").withWindow(4L, 4L, null).empty()).isFalse();
    }

    @Test
    void aFilterAlwaysNamesItsTenant() {
        assertThatThrownBy(() -> RecordFilter.stream("", "rts-a")).isInstanceOf(IllegalArgumentException.class);
    }
}
