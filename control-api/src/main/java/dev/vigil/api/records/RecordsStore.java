package dev.vigil.api.records;

import dev.vigil.common.lifecycle.Service;
import dev.vigil.rules.meaning.SearchEmbedder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.SortedNumericSelector;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.document.LongField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records store behind {@code GET /rtstream/{id}/transcription}, {@code GET
 * /rtstream/{id}/index/scene/{iid}} and the search endpoints: a Lucene index on disk fed from
 * {@code index.transcript}, {@code index.scene} and {@code index.audio} (reads only; writes no topic).
 *
 * <p>Threads: {@code vigil-records-feed} consumes and writes the index ({@link RecordsFeed});
 * {@code vigil-records-refresh} reopens searchers every refresh interval, which bounds how stale a
 * search is; {@code vigil-records-query-N} (a bounded pool) run listings and searches, so the Vert.x
 * event loop never touches Lucene, and {@code vigil-records-slice-N} search a query's segment slices in
 * parallel with it. {@link #start()} returns once the feed runs; {@link #isReady()}
 * becomes true once it has read every record that existed at start (a large rebuild must not hold up
 * the process, so start does not wait for it).
 */
public final class RecordsStore implements Service {

    private static final Logger log = LoggerFactory.getLogger(RecordsStore.class);
    /** Deepest record a listing may page to; beyond, narrow the window (start/end/since) instead. */
    public static final int MAX_WINDOW = 100_000;

    private final Map<String, Object> consumerConfig;
    private final String topicPrefix;
    private final RecordsConfig config;
    private final SearchText searchText = new SearchText(RecordsIndex.analyzer());
    private final HybridSearch hybrid = new HybridSearch(searchText);
    private Path base;
    private boolean temporary;
    private RecordsIndex index;
    private RecordsFeed feed;
    private ScheduledExecutorService refresher;
    private ThreadPoolExecutor queries;
    /** Threads a search's segment slices run on besides its query thread; null with VIGIL_RECORDS_SEARCH_CONCURRENCY=1. */
    private ExecutorService slices;
    private volatile boolean started;

    /** {@code consumerConfig}: bootstrap and client settings; group and offsets are managed here. */
    public RecordsStore(Map<String, Object> consumerConfig, String topicPrefix, RecordsConfig config) {
        this.consumerConfig = Map.copyOf(consumerConfig);
        this.topicPrefix = topicPrefix;
        this.config = config;
    }

    @Override
    public String name() {
        return "records-store";
    }

    @Override
    public void start() throws IOException {
        temporary = config.dir().isEmpty();
        base = temporary ? Files.createTempDirectory("vigil-records-") : config.dir().get();
        if (temporary) {
            log.warn("VIGIL_RECORDS_DIR is not set: the records index lives in {} and is rebuilt from the topics at every "
                    + "start", base);
        }
        try {
            if (config.searchConcurrency() > 1) {
                slices = Executors.newFixedThreadPool(config.searchConcurrency(), named("vigil-records-slice"));
            }
            index = RecordsIndex.open(base, topicPrefix, slices);
            refresher = Executors.newSingleThreadScheduledExecutor(named("vigil-records-refresh"));
            refresher.scheduleWithFixedDelay(this::refresh, 0, config.refreshInterval().toMillis(), TimeUnit.MILLISECONDS);
            queries = new ThreadPoolExecutor(config.queryThreads(), config.queryThreads(), 0, TimeUnit.MILLISECONDS,
                    new ArrayBlockingQueue<>(config.queryQueue()), named("vigil-records-query"));
            feed = new RecordsFeed(consumerConfig, topicPrefix, index, config.commitInterval());
            feed.start();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        started = true;
        log.info("Records store started at {} ({} records{})", index.path(), index.documents(),
                index.rebuilt() ? ", rebuilding from the topics" : "");
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name.endsWith("query") ? name + "-" + n.incrementAndGet() : name);
            t.setDaemon(true);
            return t;
        };
    }

    private void refresh() {
        try {
            index.refresh();
        } catch (IOException | RuntimeException e) {
            log.warn("Records searcher refresh failed; searches see older records until the next one succeeds", e);
        }
    }

    /** One page of records matching {@code filter}, oldest start first. */
    public CompletableFuture<RecordPage> list(RecordFilter filter, int page, int pageSize) {
        return run(() -> {
            if (page < 1 || pageSize < 1) {
                throw new BadQueryException("page and page_size start at 1");
            }
            if ((long) page * pageSize > MAX_WINDOW) {
                throw new BadQueryException("page * page_size must be at most " + MAX_WINDOW
                        + "; narrow the records with start/end or since instead of paging that deep");
            }
            if (filter.empty()) {
                return new RecordPage(List.of(), 0, page, pageSize, false);
            }
            Query query = filter.toQuery();
            return index.withSearcher(searcher -> {
                int window = page * pageSize;
                Sort sort = new Sort(LongField.newSortField(StoredRecord.START, false, SortedNumericSelector.Type.MIN),
                        LongField.newSortField(StoredRecord.END, false, SortedNumericSelector.Type.MIN));
                TopDocs top = searcher.search(query, window, sort);
                long total = searcher.count(query);
                List<StoredRecord> records = load(searcher, top.scoreDocs, (page - 1) * pageSize, pageSize).stream()
                        .map(SearchHit::record).toList();
                return new RecordPage(records, total, page, pageSize, total > (long) page * pageSize);
            });
        });
    }

    /**
     * The records matching {@code text} by words or by meaning within {@code filter}, best first: at
     * most {@code limit}, each with an absolute score in [0, 1] (see {@link HybridSearch}) of at least
     * {@code minScore} and, when {@code dynamicPercentage} is given, within that percentage of the best.
     */
    public CompletableFuture<List<SearchHit>> search(RecordFilter filter, String text, int limit, double minScore,
            Double dynamicPercentage) {
        return run(() -> {
            SearchText.Parsed parsed = searchText.analyse(text);
            if (filter.empty()) {
                return List.of();
            }
            float[] vector = SearchEmbedder.shared().embedQuery(text.replace("\"", " ").strip());
            QueryBaseline.Scale scale = QueryBaseline.shared().scale(vector);
            return index.withSearcher(searcher -> hybrid.search(searcher, filter, parsed, vector, scale, limit, minScore,
                    dynamicPercentage));
        });
    }

    /** {@link #search(RecordFilter, String, int, double, Double)} without a dynamic threshold. */
    public CompletableFuture<List<SearchHit>> search(RecordFilter filter, String text, int limit, double minScore) {
        return search(filter, text, limit, minScore, null);
    }

    private static List<SearchHit> load(IndexSearcher searcher, ScoreDoc[] docs, int from, int count) throws IOException {
        List<SearchHit> hits = new ArrayList<>();
        StoredFields stored = searcher.storedFields();
        for (int i = from; i < Math.min(docs.length, from + count); i++) {
            StoredRecord record = StoredRecord.fromDocument(stored.document(docs[i].doc));
            hits.add(new SearchHit(record, 0, 0));
        }
        return hits;
    }

    private <T> CompletableFuture<T> run(Callable<T> work) {
        if (!started) {
            return CompletableFuture.failedFuture(new IllegalStateException("records store is not running"));
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        // A full queue throws RejectedExecutionException here: the resource answers 503.
        queries.execute(() -> {
            try {
                result.complete(work.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    @Override
    public boolean isReady() {
        return started && feed.healthy() && feed.caughtUp();
    }

    @Override
    public boolean isAlive() {
        RecordsFeed f = feed;
        return f == null || f.alive();
    }

    /** Records indexed since start (metrics, bench). */
    public long indexedRecords() {
        return feed == null ? 0 : feed.indexedRecords();
    }

    /** Records given their sentence-embedding vector since start. */
    public long embeddedRecords() {
        return index == null ? 0 : index.vectors().embedded();
    }

    /** Records waiting for their vector (searchable by words meanwhile). */
    public long embeddingBacklog() {
        return index == null ? 0 : index.vectors().backlog();
    }

    /** Records that found the embedding queue full and got (or get) their vector from the missing-vector scan. */
    public long deferredEmbeddings() {
        return index == null ? 0 : index.vectors().deferred();
    }

    /** Records skipped because they could not be decoded. */
    public long skippedRecords() {
        return feed == null ? 0 : feed.skippedRecords();
    }

    /** Documents in the index. */
    public long documents() {
        return index == null ? 0 : index.documents();
    }

    /** Bytes of index files on disk. */
    public long sizeOnDisk() {
        try {
            return index == null ? 0 : index.sizeOnDisk();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes what was indexed so far searchable now (tests and the bench; the refresher does it anyway). */
    public void refreshNow() throws IOException {
        index.refreshBlocking();
    }

    @Override
    public void close() {
        started = false;
        if (feed != null) {
            feed.close();
            feed = null;
        }
        if (refresher != null) {
            refresher.shutdownNow();
            refresher = null;
        }
        if (queries != null) {
            queries.shutdown();
            try {
                if (!queries.awaitTermination(10, TimeUnit.SECONDS)) {
                    queries.shutdownNow();
                }
            } catch (InterruptedException e) {
                queries.shutdownNow();
                Thread.currentThread().interrupt();
            }
            queries = null;
        }
        if (index != null) {
            index.close();
            index = null;
        }
        if (slices != null) {
            slices.shutdownNow();
            slices = null;
        }
        if (temporary && base != null) {
            deleteTree(base);
            base = null;
        }
    }

    private static void deleteTree(Path path) {
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("Could not delete the temporary records directory {}", path, e);
        }
    }
}
