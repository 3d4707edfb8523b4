package dev.vigil.api.records;

import dev.vigil.rules.meaning.SearchEmbedder;
import java.io.Closeable;
import java.io.IOException;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds the sentence embedding of each record's text to its document, on its own thread
 * ({@code vigil-records-embed}), so that the feed keeps its pace: a record is searchable by words
 * as soon as the feed indexes it, and by meaning once its vector is in (milliseconds later). The
 * worker takes up to {@value SearchEmbedder#BATCH} queued records at a time and embeds their texts in
 * one model run ({@link SearchEmbedder#embedAll}: each distinct text once, cached texts free — offline
 * engines repeat templated descriptions), 1.4-2 times cheaper per record than one by one.
 *
 * <p>The worker re-writes the record's document with the vector ({@code updateDocument} by id, the
 * same document plus {@link #FIELD}). When the queue is empty it looks, every
 * {@value #SCAN_INTERVAL_MS} ms, for documents that still have no vector ({@link MissingVectors}) and
 * embeds them: so a record that found the queue full (a rebuild faster than one core embeds, counted
 * in {@link #deferred()}) or that was indexed but not embedded before a crash gets its vector later,
 * and meanwhile stays searchable by words. Documents without text are marked {@link #NO_TEXT} so the
 * scan skips them.
 */
final class RecordVectors implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(RecordVectors.class);

    /** The vector field: unit vectors, HNSW graph. */
    static final String FIELD = "vector";
    /**
     * Dot product, which for the embedder's unit vectors is their cosine and gives the same score
     * ({@code (1 + cos) / 2}) with one running sum instead of three: Lucene's cosine also sums both norms
     * at every comparison, and on Java 17 it runs scalar code (no Panama vectors), so building the HNSW graph of
     * a million records spent most of its time there (profile in this package's DESIGN.md).
     */
    static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.DOT_PRODUCT;
    static final int QUEUE = 100_000;
    /** Marks a document with nothing to embed (blank text), so the missing-vector scan skips it. */
    static final String NO_TEXT = "no_text";
    static final long SCAN_INTERVAL_MS = 2_000;
    static final int SCAN_BATCH = 1_000;

    /** Finds documents without a vector (and with text), at most {@code max}. */
    @FunctionalInterface
    interface MissingVectors {
        List<StoredRecord> find(int max) throws IOException;
    }

    private final IndexWriter writer;
    private final Supplier<SearchEmbedder> embedder;
    private final BlockingQueue<StoredRecord> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread worker;
    private final AtomicLong embedded = new AtomicLong();
    private final AtomicLong deferred = new AtomicLong();
    /*
     * The worker writes a whole document (Lucene cannot add a vector to an existing one), so it must
     * never overwrite a newer version of the same record ("one" queued, then "one, corrected" written):
     * writes go under this lock, the worker writes only the version still pending for its id, and a
     * record found by the scan only if its id was not written since shortly before the scan's searcher.
     */
    private final Object lock = new Object();
    private final Map<String, StoredRecord> pending = new ConcurrentHashMap<>();
    private final Cache<String, Long> written = CacheBuilder.newBuilder().maximumSize(200_000).build();
    private final MissingVectors missing;
    private volatile int lastScanFound;
    private volatile boolean running = true;

    /** {@code embedder}: resolved on the worker at the first record, so opening the index does not load the model. */
    RecordVectors(IndexWriter writer, Supplier<SearchEmbedder> embedder, MissingVectors missing) {
        this.writer = writer;
        this.embedder = embedder;
        this.missing = missing;
        this.worker = new Thread(this::run, "vigil-records-embed");
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * Writes {@code record} for the feed: with its vector when the text was embedded before (a cache
     * hit costs nothing), else without, and the record is queued for its vector. Never blocks on the
     * model.
     */
    void upsert(StoredRecord record) throws IOException {
        if (record.text() == null || record.text().isBlank()) {
            Document doc = record.toDocument(); // nothing to mean; words (labels) still find it
            doc.add(new StringField(NO_TEXT, "1", Field.Store.NO));
            write(record, doc);
            return;
        }
        float[] known = embedder.get().cached(record.text());
        if (known != null) {
            write(record, withVector(record, known));
            embedded.incrementAndGet();
            return;
        }
        synchronized (lock) {
            writer.updateDocument(record.idTerm(), record.toDocument());
            written.put(record.id(), System.nanoTime());
            pending.put(record.id(), record);
        }
        submit(record);
    }

    private void write(StoredRecord record, Document doc) throws IOException {
        synchronized (lock) {
            writer.updateDocument(record.idTerm(), doc);
            written.put(record.id(), System.nanoTime());
            pending.remove(record.id());
        }
    }

    private void submit(StoredRecord record) {
        if (!queue.offer(record)) {
            pending.remove(record.id(), record); // the scan will find it
            long n = deferred.incrementAndGet();
            if (n == 1 || n % 100_000 == 0) {
                log.info("Records embedding queue full: {} records get their vector from the missing-vector scan", n);
            }
        }
    }

    /** The document of {@code record} with its vector. */
    Document withVector(StoredRecord record, float[] vector) {
        Document doc = record.toDocument();
        doc.add(new KnnFloatVectorField(FIELD, vector, SIMILARITY));
        return doc;
    }

    private void run() {
        long nextScan = System.nanoTime();
        List<StoredRecord> batch = new ArrayList<>(SearchEmbedder.BATCH);
        while (running) {
            StoredRecord first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (first != null) {
                batch.add(first);
                queue.drainTo(batch, SearchEmbedder.BATCH - 1);
                embed(batch);
                batch.clear();
            } else if (System.nanoTime() - nextScan >= 0) {
                scan();
                nextScan = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SCAN_INTERVAL_MS);
            }
        }
    }

    /** Embeds documents that have no vector yet, until none is left or records arrive on the queue. */
    private void scan() {
        // The searcher the scan reads may be a refresh interval older than now: a margin covers it.
        long snapshot = System.nanoTime() - TimeUnit.SECONDS.toNanos(1);
        try {
            List<StoredRecord> found = missing.find(SCAN_BATCH);
            lastScanFound = found.size();
            for (int from = 0; from < found.size(); from += SearchEmbedder.BATCH) {
                if (!running) {
                    return;
                }
                List<StoredRecord> part = found.subList(from, Math.min(found.size(), from + SearchEmbedder.BATCH));
                List<float[]> vectors = embedder.get().embedAll(part.stream().map(StoredRecord::text).toList());
                synchronized (lock) {
                    for (int i = 0; i < part.size(); i++) {
                        StoredRecord r = part.get(i);
                        Long at = written.getIfPresent(r.id());
                        if ((at == null || at < snapshot) && !pending.containsKey(r.id())) {
                            writer.updateDocument(r.idTerm(), withVector(r, vectors.get(i)));
                            embedded.incrementAndGet();
                        }
                    }
                }
                List<StoredRecord> fresh = new ArrayList<>();
                while (queue.drainTo(fresh, SearchEmbedder.BATCH) > 0) { // fresh records first: they are the ones searched
                    embed(fresh);
                    fresh.clear();
                }
            }
        } catch (IOException | RuntimeException e) {
            if (running && writer.isOpen()) {
                log.warn("Scan for records without a vector failed; retrying in {} ms", SCAN_INTERVAL_MS, e);
            }
        }
    }

    private void embed(List<StoredRecord> records) {
        try {
            List<float[]> vectors = embedder.get().embedAll(records.stream().map(StoredRecord::text).toList());
            synchronized (lock) {
                for (int i = 0; i < records.size(); i++) {
                    StoredRecord record = records.get(i);
                    if (pending.remove(record.id(), record)) { // else a newer version was written since
                        writer.updateDocument(record.idTerm(), withVector(record, vectors.get(i)));
                        written.put(record.id(), System.nanoTime());
                        embedded.incrementAndGet();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            if (running && writer.isOpen()) {
                log.warn("Could not add the vectors of {} records (first {}); they stay searchable by words",
                        records.size(), records.get(0).id(), e);
            }
        }
    }

    /** Records given their vector since start. */
    long embedded() {
        return embedded.get();
    }

    /** Records that found the queue full and wait for the missing-vector scan. */
    long deferred() {
        return deferred.get();
    }

    /**
     * Records waiting for their vector: queued or being embedded (until written), plus those the last
     * scan found without one.
     */
    int backlog() {
        return pending.size() + lastScanFound;
    }

    /** Stops the worker (the current embedding finishes); queued records are left without vectors. */
    @Override
    public void close() {
        running = false;
        try {
            worker.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
