package dev.vigil.common.kafka.reader;

import dev.vigil.common.lifecycle.Service;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Service} that is an in-memory view of topics kept by one {@link TopicReader}: the shell every
 * such view shares, so that a view is its state and its {@link #apply} (Strimzi's {@code AbstractCache}
 * shape). It starts the reader (waiting for it to catch up when the view must not serve partial state),
 * answers {@code /ready} and {@code /healthy} from it, closes it, and skips records that do not decode:
 * a {@link SerializationException} out of {@link #apply} is counted ({@link #skippedRecords()}), logged
 * by {@link #skipped} and the reader goes on. Anything else {@code apply} throws is a reader failure
 * (restart, see {@code DESIGN.md}).
 *
 * <p>The subclass builds the reader (topics, thread name, start position, poll timeout, consumer
 * settings) and leaves its handler to this class; {@code apply} and {@link #afterPoll} run on the reader's
 * thread only.
 */
public abstract class ReaderService<K, V> implements Service {

    private static final Logger log = LoggerFactory.getLogger(ReaderService.class);
    /** How long {@link #start()} waits for a {@link ReadyWhen#LOADED_AT_START} view to load what its topics hold. */
    public static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);

    /** When the view serves, and whether {@link #start()} waits for it. */
    public enum ReadyWhen {
        /**
         * {@link #start()} returns once the view has applied everything its topics held at start; ready from
         * then on while the reader runs. For views whose partial state would give wrong answers, in a process
         * that must not come up without them.
         */
        LOADED_AT_START,
        /** {@link #start()} returns at once; ready once loaded as above (and while the reader runs). */
        LOADED,
        /** {@link #start()} returns at once; ready while the reader runs. For views of what arrives from now on. */
        RUNNING
    }

    private final TopicReader<K, V> reader;
    private final ReadyWhen readyWhen;
    private final AtomicLong skipped = new AtomicLong();

    /** {@code reader}: everything but the handler, which is this view's {@link #apply}. */
    protected ReaderService(TopicReader.Builder<K, V> reader, ReadyWhen readyWhen) {
        this.reader = reader.handler(new RecordHandler<>() {
            @Override
            public void apply(ConsumerRecord<K, V> record) {
                applyOrSkip(record);
            }

            @Override
            public void afterPoll(Map<TopicPartition, Long> positions) throws Exception {
                ReaderService.this.afterPoll(positions);
            }
        }).build();
        this.readyWhen = readyWhen;
    }

    /** Applies one record to the view; throws {@link SerializationException} for one that does not decode. */
    protected abstract void apply(ConsumerRecord<K, V> record);

    /**
     * After each poll's records are applied, before waiters on these positions are released (see
     * {@link RecordHandler#afterPoll}): where a view publishes a batch. Does nothing unless overridden.
     */
    protected void afterPoll(Map<TopicPartition, Long> positions) throws Exception {
    }

    /** Hears of a record skipped because it did not decode (already counted); logs it at warn. */
    protected void skipped(ConsumerRecord<K, V> record, SerializationException e) {
        log.warn("{}: skipping undecodable record {}-{}@{}: {}", name(), record.topic(), record.partition(),
                record.offset(), e.getMessage());
    }

    private void applyOrSkip(ConsumerRecord<K, V> record) {
        try {
            apply(record);
        } catch (SerializationException e) {
            skipped.incrementAndGet();
            skipped(record, e);
        }
    }

    /** The reader's name (thread {@code vigil-<name>} unless the builder set another). */
    @Override
    public String name() {
        return reader.name();
    }

    /**
     * Starts the reader thread; for a {@link ReadyWhen#LOADED_AT_START} view, returns once it has caught up
     * (on failure or after {@link #CATCH_UP_TIMEOUT} the reader is closed and {@link IllegalStateException} thrown).
     */
    @Override
    public void start() throws Exception {
        if (readyWhen == ReadyWhen.LOADED_AT_START) {
            reader.startCaughtUp(CATCH_UP_TIMEOUT);
        } else {
            reader.start();
        }
    }

    /** The reader, for waits on positions ({@link TopicReader#awaitPositions}, {@link TopicReader#readToEnd}). */
    protected TopicReader<K, V> reader() {
        return reader;
    }

    /** Records skipped because they could not be decoded. */
    public long skippedRecords() {
        return skipped.get();
    }

    @Override
    public boolean isReady() {
        return readyWhen == ReadyWhen.RUNNING ? reader.isRunning() : reader.isReady();
    }

    /** False once the reader spent its restart budget. */
    @Override
    public boolean isAlive() {
        return reader.isAlive();
    }

    @Override
    public void close() {
        reader.close();
    }
}
