package dev.vigil.common.kafka.reader;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a reader has applied its partitions, and the callers waiting for it to get somewhere: the
 * read-your-writes half of a topic-backed view. After applying a poll (and making what it applied
 * visible) the reader thread calls {@link #advanced} then {@link #release}; on giving up it calls
 * {@link #failed}. Any thread may {@link #await} offsets. Thread-safe.
 */
public final class AppliedPositions {

    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private volatile Throwable failure;

    private record Waiter(Map<TopicPartition, Long> offsets, CompletableFuture<Void> done) {
    }

    /** Reader thread: every record before {@code applied} (next-offset semantics) is applied and visible. */
    public void advanced(Map<TopicPartition, Long> applied) {
        positions.putAll(applied);
    }

    /** Reader thread: completes the waiters whose offsets are applied. */
    public void release() {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter waiter = it.next();
            if (reached(waiter.offsets())) {
                it.remove();
                waiter.done().complete(null);
            }
        }
    }

    /** The reader stopped for good on {@code e}: every waiter, present and future, fails with it. */
    public void failed(Throwable e) {
        failure = e;
        Waiter waiter;
        while ((waiter = waiters.poll()) != null) {
            waiter.done().completeExceptionally(e);
        }
    }

    /** Why the reader stopped for good, or null while it reads. */
    public Throwable failure() {
        return failure;
    }

    /** The applied position of {@code partition}, or null before the reader knows it. */
    public Long position(TopicPartition partition) {
        return positions.get(partition);
    }

    /** Whether every record before {@code offsets} (next-offset semantics, as end offsets) is applied. */
    public boolean reached(Map<TopicPartition, Long> offsets) {
        return covers(positions, offsets);
    }

    /** Whether {@code positions} are at or past {@code offsets} in every partition of {@code offsets}. */
    public static boolean covers(Map<TopicPartition, Long> positions, Map<TopicPartition, Long> offsets) {
        for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
            Long position = positions.get(e.getKey());
            if (position == null || position < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Completes once every record before {@code offsets} is applied; fails if the reader stopped for good. */
    public CompletableFuture<Void> await(Map<TopicPartition, Long> offsets) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (failure != null) {
            done.completeExceptionally(failure);
        } else if (reached(offsets)) {
            done.complete(null);
        } else {
            waiters.add(new Waiter(Map.copyOf(offsets), done));
            // The reader may have moved on, or failed, between the check and the add.
            if (failure != null) {
                failed(failure);
            } else if (reached(offsets)) {
                release();
            }
        }
        return done;
    }
}
