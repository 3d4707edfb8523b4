package dev.vigil.api.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.TermQuery;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery of the on-disk index: offsets in commits, idempotent upserts, rebuilds, and the lock. */
class RecordsIndexTest {

    private static final TopicPartition T0 = new TopicPartition("p.index.transcript", 0);
    private static final TopicPartition S2 = new TopicPartition("p.index.scene", 2);

    @TempDir
    Path dir;

    private static StoredRecord rec(long start, String text) {
        return new StoredRecord(Channel.TRANSCRIPT, "alpha", "rts-a", "ta", start, start + 1_000, text, List.of());
    }

    private static long count(RecordsIndex index) throws IOException {
        index.refresh();
        return index.withSearcher(s -> (long) s.count(new MatchAllDocsQuery()));
    }

    @Test
    void aNewIndexStartsFromTheBeginning() throws IOException {
        try (RecordsIndex index = RecordsIndex.open(dir, "p.")) {
            assertThat(index.rebuilt()).isTrue();
            assertThat(index.committedOffsets()).isEmpty();
        }
    }

    @Test
    void reopenResumesFromTheCommittedOffsets() throws IOException {
        try (RecordsIndex index = RecordsIndex.open(dir, "p.")) {
            index.upsert(rec(1_000, "one"));
            index.upsert(rec(2_000, "two"));
            index.commit(Map.of(T0, 2L, S2, 7L));
        }
        try (RecordsIndex index = RecordsIndex.open(dir, "p.")) {
            assertThat(index.rebuilt()).isFalse();
            assertThat(index.committedOffsets()).isEqualTo(Map.of(T0, 2L, S2, 7L));
            assertThat(count(index)).isEqualTo(2);
        }
    }

    @Test
    void theSameRecordTwiceIsOneDocument() throws IOException {
        try (RecordsIndex index = RecordsIndex.open(dir, "p.")) {
            index.upsert(rec(1_000, "one"));
            index.upsert(rec(1_000, "one, corrected"));
            index.upsert(rec(2_000, "two"));
            assertThat(count(index)).isEqualTo(2);
        }
    }

    private static long withVectors(RecordsIndex index) throws IOException {
        index.refresh();
        return index.withSearcher(s -> (long) s.count(new FieldExistsQuery(RecordVectors.FIELD)));
    }

    private static long withWord(RecordsIndex index, String word) throws IOException {
        return index.withSearcher(s -> (long) s.count(new TermQuery(new Term(StoredRecord.TEXT, word))));
    }

    @Test
    void everyRecordGetsItsVectorAndACorrectionIsNotOverwrittenByTheOlderText() throws IOException {
        try (RecordsIndex index = RecordsIndex.open(dir, "p.")) {
            index.upsert(rec(1_000, "the first version of a sentence"));
            index.upsert(rec(1_000, "the corrected version of that sentence"));
            index.upsert(rec(2_000, "two"));
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> withVectors(index) == 2);
            assertThat(count(index)).isEqualTo(2);
            assertThat(withWord(index, "corrected")).isEqualTo(1);
            assertThat(withWord(index, "first")).isZero();
        }
    }

    @Test
    void wordTimestampsSurviveTheVectorRewriteAndAReopen() throws IOException {
        List<StoredRecord.Word> words = List.of(new StoredRecord.Word("help", 1_000, 1_400),
                new StoredRecord.Word("me", 1_450, 1_700), new StoredRecord.Word("\"now\",", 1_750, 2_000));
        StoredRecord spoken = new StoredRecord(Channel.TRANSCRIPT, "alpha", "rts-a", "ta", 1_000, 2_000, "help me \"now\",",
                List.of(), words);
        try (RecordsIndex index = RecordsIndex.open(dir, "p.")) {
            index.upsert(spoken);
            index.upsert(rec(3_000, "said by an engine without word times"));
            // The vector thread rewrites each document from what it read back: the words must come with it.
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> withVectors(index) == 2);
            index.commit(Map.of(T0, 2L));
        }
        try (RecordsIndex index = RecordsIndex.open(dir, "p.")) {
            index.refresh();
            List<StoredRecord> read = index.withSearcher(s -> {
                List<StoredRecord> all = new java.util.ArrayList<>();
                for (var d : s.search(new MatchAllDocsQuery(), 10).scoreDocs) {
                    all.add(StoredRecord.fromDocument(s.storedFields().document(d.doc)));
                }
                all.sort(java.util.Comparator.comparingLong(StoredRecord::startMs));
                return all;
            });
            assertThat(read).extracting(StoredRecord::words).containsExactly(words, List.of());
            assertThat(read.get(0)).isEqualTo(spoken);
        }
    }

    @Test
    void recordsLeftWithoutAVectorGetOneAfterAReopen() throws IOException {
        try (RecordsIndex index = RecordsIndex.open(dir, "p.")) {
            for (int i = 0; i < 50; i++) {
                index.upsert(rec(i * 1_000L, "sentence number " + i + " before the crash"));
            }
            index.commit(Map.of(T0, 50L)); // closed at once: most records are still queued for their vector
        }
        try (RecordsIndex index = RecordsIndex.open(dir, "p.")) {
            Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> withVectors(index) == 50);
            assertThat(count(index)).isEqualTo(50);
        }
    }

    @Test
    void anIndexOfAnotherTopicPrefixIsRebuilt() throws IOException {
        try (RecordsIndex index = RecordsIndex.open(dir, "p.")) {
            index.upsert(rec(1_000, "one"));
            index.commit(Map.of(T0, 1L));
        }
        try (RecordsIndex index = RecordsIndex.open(dir, "q.")) {
            assertThat(index.rebuilt()).isTrue();
            assertThat(index.committedOffsets()).isEmpty();
            assertThat(count(index)).isZero();
        }
    }

    @Test
    void aCorruptIndexIsRebuilt() throws IOException {
        try (RecordsIndex index = RecordsIndex.open(dir, "p.")) {
            index.upsert(rec(1_000, "one"));
            index.commit(Map.of(T0, 1L));
        }
        Path files = dir.resolve(RecordsIndex.SUBDIR);
        try (Stream<Path> list = Files.list(files)) {
            for (Path file : list.filter(p -> !p.getFileName().toString().equals("write.lock")).toList()) {
                Files.write(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            }
        }
        try (RecordsIndex index = RecordsIndex.open(dir, "p.")) {
            assertThat(index.rebuilt()).isTrue();
            assertThat(index.committedOffsets()).isEmpty();
            assertThat(count(index)).isZero();
        }
    }

    @Test
    void aDirectoryInUseIsAnErrorAndIsNotWiped() throws IOException {
        try (RecordsIndex index = RecordsIndex.open(dir, "p.")) {
            index.upsert(rec(1_000, "one"));
            index.commit(Map.of(T0, 1L));
            assertThatThrownBy(() -> RecordsIndex.open(dir, "p.")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by another process");
            assertThat(count(index)).isEqualTo(1);
        }
        try (RecordsIndex index = RecordsIndex.open(dir, "p.")) {
            assertThat(index.committedOffsets()).isEqualTo(Map.of(T0, 1L));
        }
    }
}
