package dev.vigil.api.records;

import dev.vigil.rules.meaning.SentenceEmbedder;
import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds the sentence embedding of each record's text to its document, on its own thread
 * ({@code vigil-records-embed}), so that the feed keeps its pace: a record is searchable by words
 * as soon as the feed indexes it, and by meaning once its vector is in (milliseconds later; an
 * embedding costs 3-10 ms on one core, a cache hit nothing — scene descriptions repeat).
 *
 * <p>The worker re-writes the record's document with the vector ({@code updateDocument} by id, the
 * same document plus {@link #FIELD}). Queue full (a rebuild or a burst faster than one core embeds):
 * the record stays searchable by words only, counted in {@link #dropped()}. A record indexed but not
 * yet embedded at a crash stays without a vector until the index is rebuilt (a format change or a
 * wiped directory); words still find it.
 */
final class RecordVectors implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(RecordVectors.class);

    /** The vector field: unit vectors, HNSW graph, cosine similarity. */
    static final String FIELD = "vector";
    static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.COSINE;
    static final int QUEUE = 100_000;

    private final IndexWriter writer;
    private final Supplier<SentenceEmbedder> embedder;
    private final BlockingQueue<StoredRecord> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread worker;
    private final AtomicLong embedded = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean running = true;

    /** {@code embedder}: resolved on the worker at the first record, so opening the index does not load the model. */
    RecordVectors(IndexWriter writer, Supplier<SentenceEmbedder> embedder) {
        this.writer = writer;
        this.embedder = embedder;
        this.worker = new Thread(this::run, "vigil-records-embed");
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * The document to write for {@code record} now: with its vector when the text was embedded before
     * (a cache hit costs nothing), else without, and the record is queued for its vector. Never blocks.
     */
    Document document(StoredRecord record) {
        if (record.text() == null || record.text().isBlank()) {
            return record.toDocument(); // nothing to mean; words (labels) still find it
        }
        float[] known = embedder.get().cached(record.text());
        if (known != null) {
            embedded.incrementAndGet();
            return withVector(record, known);
        }
        submit(record);
        return record.toDocument();
    }

    private void submit(StoredRecord record) {
        if (!queue.offer(record)) {
            long n = dropped.incrementAndGet();
            if (n == 1 || n % 10_000 == 0) {
                log.warn("Records embedding queue full: {} records searchable by words only so far", n);
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
        while (running) {
            StoredRecord record;
            try {
                record = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (record == null) {
                continue;
            }
            try {
                writer.updateDocument(record.idTerm(), withVector(record, embedder.get().embed(record.text())));
                embedded.incrementAndGet();
            } catch (IOException | RuntimeException e) {
                if (!running || writer.isOpen() == false) {
                    return;
                }
                log.warn("Could not add the vector of record {}; it stays searchable by words", record.id(), e);
            }
        }
    }

    /** Records given their vector since start. */
    long embedded() {
        return embedded.get();
    }

    /** Records left without a vector because the queue was full. */
    long dropped() {
        return dropped.get();
    }

    /** Records waiting for their vector. */
    int backlog() {
        return queue.size();
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
