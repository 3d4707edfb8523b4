package dev.vigil.api.records;

import dev.vigil.rules.meaning.SearchEmbedder;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records store's on-disk Lucene index: one {@link IndexWriter}, a {@link SearcherManager} for
 * near-real-time readers, and the consumed topic offsets kept in each commit's user data, so the
 * index and the offsets are durable together (a restart resumes exactly where the last commit was).
 *
 * <p>The index lives in its own subdirectory {@value #SUBDIR} of the configured directory, which it
 * may wipe: an index that cannot be opened (corrupt, truncated, from an incompatible Lucene version),
 * or that was built from another topic prefix or format, is deleted and rebuilt from the beginning
 * of the topics. A directory locked by another live process is an error, never wiped.
 *
 * <p>Writes ({@link #upsert}, {@link #commit}) come from one thread, the feed's; searches from any.
 */
final class RecordsIndex implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(RecordsIndex.class);

    static final String SUBDIR = "records-v1";
    /** Bumped when documents change shape; an index of another format is rebuilt. */
    // 2: records carry a sentence-embedding vector; 3: e5-small-v2 instead of MiniLM; 4: dot product instead of
    // cosine (the same score for unit vectors, a field of another similarity cannot be added to)
    static final String FORMAT = "4";
    private static final String KEY_FORMAT = "vigil.records.format";
    private static final String KEY_PREFIX = "vigil.records.prefix";
    private static final String KEY_OFFSET = "offset:";

    private final Path path;
    private final String topicPrefix;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Map<TopicPartition, Long> committed;
    private final boolean rebuilt;
    private final RecordVectors vectors;

    private RecordsIndex(Path path, String topicPrefix, Directory directory, IndexWriter writer, SearcherManager searchers,
            Map<TopicPartition, Long> committed, boolean rebuilt) {
        this.path = path;
        this.topicPrefix = topicPrefix;
        this.directory = directory;
        this.writer = writer;
        this.searchers = searchers;
        this.committed = Map.copyOf(committed);
        this.rebuilt = rebuilt;
        this.vectors = new RecordVectors(writer, SearchEmbedder::shared, this::withoutVectors);
    }

    /** The analyzer of the {@code text} field, used for queries too. */
    static Analyzer analyzer() {
        // No stop words (Lucene's default): "who is at the door" must still match "at the door".
        return new StandardAnalyzer();
    }

    /**
     * Opens the index under {@code base}, or creates it empty when it is missing, unreadable or was
     * built for another topic prefix.
     */
    static RecordsIndex open(Path base, String topicPrefix) throws IOException {
        return open(base, topicPrefix, null);
    }

    /**
     * As {@link #open(Path, String)}, with searchers that search segment slices on {@code slices} (null: on the
     * calling thread alone).
     */
    static RecordsIndex open(Path base, String topicPrefix, Executor slices) throws IOException {
        Path path = base.resolve(SUBDIR);
        Files.createDirectories(path);
        try {
            RecordsIndex index = openExisting(path, topicPrefix, slices);
            if (index != null) {
                return index;
            }
        } catch (LockObtainFailedException e) {
            throw new IllegalStateException("records directory " + path + " is in use by another process; "
                    + "give every control-api instance its own VIGIL_RECORDS_DIR", e);
        } catch (IOException | RuntimeException e) {
            log.warn("Records index at {} cannot be opened ({}); rebuilding it from the topics", path, e.toString());
        }
        wipe(path);
        Files.createDirectories(path);
        return create(path, topicPrefix, slices);
    }

    /** The index if it exists, opens and matches this prefix and format; null if it must be rebuilt. */
    private static RecordsIndex openExisting(Path path, String topicPrefix, Executor slices) throws IOException {
        Directory directory = FSDirectory.open(path);
        boolean ok = false;
        IndexWriter writer = null;
        try {
            if (!org.apache.lucene.index.DirectoryReader.indexExists(directory)) {
                log.info("No records index at {}; building it from the beginning of the topics", path);
                return null;
            }
            writer = new IndexWriter(directory, config(IndexWriterConfig.OpenMode.APPEND));
            Map<String, String> data = new HashMap<>();
            Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
            if (live != null) {
                live.forEach(e -> data.put(e.getKey(), e.getValue()));
            }
            if (!FORMAT.equals(data.get(KEY_FORMAT)) || !topicPrefix.equals(data.get(KEY_PREFIX))) {
                log.warn("Records index at {} has format {} for topic prefix '{}' (want {} for '{}'); rebuilding it",
                        path, data.get(KEY_FORMAT), data.get(KEY_PREFIX), FORMAT, topicPrefix);
                return null;
            }
            // Opening a reader opens every segment and checks its headers and footers: this is where a
            // truncated or overwritten file shows up, before the store serves anything from it.
            SearcherManager searchers = new SearcherManager(writer, searcherFactory(slices));
            Map<TopicPartition, Long> offsets = offsets(data);
            ok = true;
            log.info("Opened records index at {}: {} records, resuming {} partitions from their committed offsets",
                    path, writer.getDocStats().numDocs, offsets.size());
            return new RecordsIndex(path, topicPrefix, directory, writer, searchers, offsets, false);
        } finally {
            if (!ok) {
                closeQuietly(writer);
                closeQuietly(directory);
            }
        }
    }

    private static RecordsIndex create(Path path, String topicPrefix, Executor slices) throws IOException {
        Directory directory = FSDirectory.open(path);
        IndexWriter writer = new IndexWriter(directory, config(IndexWriterConfig.OpenMode.CREATE));
        writer.setLiveCommitData(commitData(topicPrefix, Map.of()).entrySet());
        writer.commit();
        return new RecordsIndex(path, topicPrefix, directory, writer, new SearcherManager(writer, searcherFactory(slices)),
                Map.of(), true);
    }

    /** Searchers over every new reader, searching its segment slices on {@code slices} when given. */
    private static SearcherFactory searcherFactory(Executor slices) {
        return new SearcherFactory() {
            @Override
            public IndexSearcher newSearcher(IndexReader reader, IndexReader previousReader) {
                return new IndexSearcher(reader, slices);
            }
        };
    }

    private static IndexWriterConfig config(IndexWriterConfig.OpenMode mode) {
        IndexWriterConfig config = new IndexWriterConfig(analyzer());
        config.setOpenMode(mode);
        // Records arrive in small batches all the time; a bigger buffer means fewer tiny segments to merge.
        config.setRAMBufferSizeMB(64);
        return config;
    }

    private static Map<TopicPartition, Long> offsets(Map<String, String> data) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        data.forEach((k, v) -> {
            if (k.startsWith(KEY_OFFSET)) {
                String tp = k.substring(KEY_OFFSET.length());
                int colon = tp.lastIndexOf(':');
                offsets.put(new TopicPartition(tp.substring(0, colon), Integer.parseInt(tp.substring(colon + 1))),
                        Long.parseLong(v));
            }
        });
        return offsets;
    }

    private static Map<String, String> commitData(String topicPrefix, Map<TopicPartition, Long> next) {
        Map<String, String> data = new HashMap<>();
        data.put(KEY_FORMAT, FORMAT);
        data.put(KEY_PREFIX, topicPrefix);
        next.forEach((tp, offset) -> data.put(KEY_OFFSET + tp.topic() + ':' + tp.partition(), Long.toString(offset)));
        return data;
    }

    private static void wipe(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Next offset to read per partition as of the last commit (empty for a new index). */
    Map<TopicPartition, Long> committedOffsets() {
        return committed;
    }

    /** Whether the index was created empty at open (missing, unreadable or of another prefix). */
    boolean rebuilt() {
        return rebuilt;
    }

    /**
     * Adds the record, replacing an earlier copy of the same record. Its vector comes with it when the
     * text was embedded before, else a moment later from {@link RecordVectors}' thread.
     */
    void upsert(StoredRecord record) throws IOException {
        vectors.upsert(record);
    }

    /** Records that have text but no vector yet, at most {@code max} (see {@link RecordVectors}). */
    private List<StoredRecord> withoutVectors(int max) throws IOException {
        Query query = new BooleanQuery.Builder()
                .add(new MatchAllDocsQuery(), BooleanClause.Occur.FILTER)
                .add(new FieldExistsQuery(RecordVectors.FIELD), BooleanClause.Occur.MUST_NOT)
                .add(new TermQuery(new Term(RecordVectors.NO_TEXT, "1")), BooleanClause.Occur.MUST_NOT)
                .build();
        return withSearcher(searcher -> {
            StoredFields stored = searcher.storedFields();
            List<StoredRecord> records = new ArrayList<>();
            for (ScoreDoc d : searcher.search(query, max).scoreDocs) {
                records.add(StoredRecord.fromDocument(stored.document(d.doc)));
            }
            return records;
        });
    }

    /** The vector writer: counts for metrics and the bench. */
    RecordVectors vectors() {
        return vectors;
    }

    /** Makes every record added so far durable together with {@code next} (next offset per partition). */
    void commit(Map<TopicPartition, Long> next) throws IOException {
        writer.setLiveCommitData(commitData(topicPrefix, next).entrySet());
        writer.commit();
    }

    /** Reopens searchers on the newest records if anything changed; cheap when nothing did. */
    void refresh() throws IOException {
        searchers.maybeRefresh();
    }

    /** Reopens searchers on every record added so far, waiting for a refresh in progress elsewhere. */
    void refreshBlocking() throws IOException {
        searchers.maybeRefreshBlocking();
    }

    /** Runs {@code work} on a current searcher. */
    <T> T withSearcher(SearchWork<T> work) throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            return work.apply(searcher);
        } finally {
            searchers.release(searcher);
        }
    }

    /** A search that may fail with an I/O error. */
    @FunctionalInterface
    interface SearchWork<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    /** Live documents in the writer (including not yet searchable ones). */
    long documents() {
        return writer.getDocStats().numDocs;
    }

    /** Bytes of index files on disk. */
    long sizeOnDisk() throws IOException {
        try (Stream<Path> files = Files.list(path)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // a file merged away while we counted
                }
            }).sum();
        }
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        vectors.close();
        closeQuietly(searchers);
        closeQuietly(writer);
        closeQuietly(directory);
    }

    private static void closeQuietly(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            log.warn("Closing {} failed", c.getClass().getSimpleName(), e);
        }
    }
}
