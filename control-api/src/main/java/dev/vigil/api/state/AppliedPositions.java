package dev.vigil.api.state;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a reader thread has applied its topics, and the callers waiting for it to get somewhere:
 * the read-your-writes half of a topic-backed view. After applying each poll the reader calls
 * {@link #advanced}, makes what it applied visible to readers, then calls {@link #release} (or
 * {@link #failed} when it stops); any thread may {@link #await} offsets. Thread-safe.
 */
public final class AppliedPositions {

    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private volatile Throwable failure;

    private record Waiter(Map<TopicPartition, Long> offsets, CompletableFuture<Void> done) {
    }

    /** Reader thread: the records before {@code consumer}'s positions in {@code partitions} are applied. */
    public void advanced(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            positions.put(tp, consumer.position(tp));
        }
    }

    /** Reader thread: completes the waiters whose offsets are applied and visible. */
    public void release() {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter waiter = it.next();
            if (reached(waiter.offsets())) {
                it.remove();
                waiter.done().complete(null);
            }
        }
    }

    /** Reader thread: it stopped on {@code e}; every waiter, present and future, fails with it. */
    public void failed(Throwable e) {
        failure = e;
        waiters.forEach(w -> w.done().completeExceptionally(e));
    }

    /** The reader's failure, or null while it reads. */
    public Throwable failure() {
        return failure;
    }

    /** Whether every record before {@code offsets} (next-offset semantics, as end offsets) is applied. */
    public boolean reached(Map<TopicPartition, Long> offsets) {
        for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
            Long position = positions.get(e.getKey());
            if (position == null || position < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Completes once every record before {@code offsets} is applied; fails if the reader stopped. */
    public CompletableFuture<Void> await(Map<TopicPartition, Long> offsets) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (failure != null) {
            done.completeExceptionally(failure);
        } else if (reached(offsets)) {
            done.complete(null);
        } else {
            // If the reader moved on between the check and the add, its next poll (at most one poll
            // interval later) releases the waiter.
            waiters.add(new Waiter(Map.copyOf(offsets), done));
        }
        return done;
    }
}
