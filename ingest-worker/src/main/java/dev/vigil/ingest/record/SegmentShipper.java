package dev.vigil.ingest.record;

import dev.vigil.common.storage.SegmentStore;
import dev.vigil.ingest.session.Backoff;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.RecordingState;
import dev.vigil.schemas.media.RecordingSegment;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores closed segments and indexes them, in that order, on one thread ({@code vigil-recording-upload}):
 * {@code store.put}, then the {@link RecordingSegment} to {@code recordings.segments} (waiting for Kafka's
 * ack), so an index entry never names an object that is not there. Recorder threads only enqueue
 * ({@link #submit} never blocks), so a slow or unreachable store never slows reading the sources, let
 * alone frames and audio.
 *
 * <p>A failing store call marks the segment's stream DEGRADED, is counted and retried with back-off
 * (1 s → 30 s) while later segments wait in the spool directory; past {@code maxPendingBytes} the oldest
 * waiting segment is dropped (counted). The first success after a failure marks the stream RECORDING
 * again. A failing index write is retried the same way (the object is already stored).
 */
final class SegmentShipper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SegmentShipper.class);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final SegmentStore store;
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final long maxPendingBytes;
    private final RecordingListener listener;
    private final Consumer<RecordingSegment> indexed;
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
    private final Deque<FinishedSegment> pending = new ArrayDeque<>();
    private final Set<String> degraded = new HashSet<>();
    private final Thread thread;
    private RecordingMetrics metrics;
    private long pendingBytes;
    private boolean closing;
    private boolean halted;
    private long drainDeadlineNanos;

    SegmentShipper(SegmentStore store, Producer<byte[], byte[]> producer, String topicPrefix, long maxPendingBytes,
            RecordingListener listener, Consumer<RecordingSegment> indexed) {
        this.store = store;
        this.producer = producer;
        this.topic = Topics.RECORDING_SEGMENTS.name(topicPrefix);
        this.maxPendingBytes = maxPendingBytes;
        this.listener = listener;
        this.indexed = indexed;
        this.thread = new Thread(this::run, "vigil-recording-upload");
        thread.setDaemon(true);
    }

    void start(RecordingMetrics metrics) {
        this.metrics = metrics;
        thread.start();
    }

    /** Queues a closed segment; drops the oldest waiting ones past the bound. Never blocks. */
    synchronized void submit(FinishedSegment segment) {
        if (closing && halted) {
            discard(segment);
            return;
        }
        pending.addLast(segment);
        pendingBytes += segment.bytes();
        while (pendingBytes > maxPendingBytes && pending.size() > 1) {
            FinishedSegment oldest = pending.pollFirst();
            pendingBytes -= oldest.bytes();
            log.warn("Recording of {}: segment {} dropped, {} bytes wait for the store already", oldest.rtstreamId(),
                    oldest.record().getKey(), pendingBytes);
            discard(oldest);
        }
        notifyAll();
    }

    synchronized long pendingBytes() {
        return pendingBytes;
    }

    private void run() {
        int failures = 0;
        while (true) {
            FinishedSegment head;
            synchronized (this) {
                while (pending.isEmpty() && !closing) {
                    waitQuietly(0);
                }
                if (pending.isEmpty() || halted || (closing && System.nanoTime() > drainDeadlineNanos)) {
                    break;
                }
                head = pending.peekFirst();
            }
            try {
                ship(head);
                failures = 0;
                synchronized (this) {
                    if (pending.peekFirst() == head) {
                        pending.pollFirst();
                        pendingBytes -= head.bytes();
                    }
                }
            } catch (IOException | RuntimeException e) {
                failures++;
                metrics.storeFailures.increment();
                String id = head.rtstreamId();
                log.warn("Recording of {}: cannot store {} (attempt {}): {}", id, head.record().getKey(), failures, e.getMessage());
                synchronized (this) {
                    degraded.add(id);
                }
                listener.recording(id, RecordingState.DEGRADED, "segment store unavailable (" + store.describe()
                        + "): " + e.getMessage() + "; segments wait and are retried");
                synchronized (this) {
                    if (!closing) {
                        waitQuietly(backoff.delay(failures).toMillis());
                    } else if (System.nanoTime() < drainDeadlineNanos) {
                        waitQuietly(Math.min(1000, TimeUnit.NANOSECONDS.toMillis(drainDeadlineNanos - System.nanoTime()) + 1));
                    }
                }
            }
        }
        synchronized (this) {
            for (FinishedSegment left : pending) {
                discard(left);
            }
            if (!pending.isEmpty()) {
                log.warn("Recording: {} segments not stored at shutdown", pending.size());
            }
            pending.clear();
            pendingBytes = 0;
        }
    }

    /** Store, then index (the object exists before its index entry). */
    private void ship(FinishedSegment segment) throws IOException {
        RecordingSegment record = segment.record();
        if (!segment.stored()) {
            store.put(record.getKey(), segment.file(), "video/mp2t");
            segment.markStored();
            metrics.stored.increment();
            metrics.bytesStored.increment(record.getBytes());
        }
        try {
            producer.send(new ProducerRecord<>(topic,
                    Topics.RECORDING_SEGMENTS.keySerde().serializer().serialize(topic, record.getKey()),
                    Topics.RECORDING_SEGMENTS.valueSerde().serializer().serialize(topic, record)))
                    .get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the index entry was not written: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while indexing", e);
        }
        indexed.accept(record);
        Files.deleteIfExists(segment.file());
        boolean recovered;
        synchronized (this) {
            recovered = degraded.remove(record.getRtstreamId());
        }
        if (recovered) {
            log.info("Recording of {}: the store works again", record.getRtstreamId());
            listener.recording(record.getRtstreamId(), RecordingState.RECORDING, "recording; the store is reachable again");
        }
    }

    private void discard(FinishedSegment segment) {
        if (metrics != null) {
            metrics.dropped.increment();
        }
        try {
            Files.deleteIfExists(segment.file());
        } catch (IOException e) {
            log.debug("Cannot delete {}: {}", segment.file(), e.toString());
        }
    }

    private void waitQuietly(long millis) {
        try {
            wait(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing = true;
            halted = true;
        }
    }

    /** Stores what waits for up to {@code drain}, then drops the rest and ends the thread. */
    void close(Duration drain) {
        synchronized (this) {
            closing = true;
            drainDeadlineNanos = System.nanoTime() + drain.toNanos();
            notifyAll();
        }
        join(drain.plusSeconds(35));
    }

    /** Drops everything waiting at once (a crash drill). */
    void halt() {
        synchronized (this) {
            closing = true;
            halted = true;
            notifyAll();
        }
        join(Duration.ofSeconds(35));
    }

    private void join(Duration timeout) {
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
