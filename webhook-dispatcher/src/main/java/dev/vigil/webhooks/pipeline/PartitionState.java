package dev.vigil.webhooks.pipeline;

import dev.vigil.schemas.alerts.WebhookDelivery;
import java.util.ArrayDeque;
import org.apache.kafka.common.TopicPartition;

/**
 * The records of one input partition that are fetched but not yet settled, in offset order, and
 * the offset that may be committed: the first unsettled one. A record is settled when its
 * notification reached a terminal outcome or was acknowledged by the topic it moved to, so a commit
 * never skips a notification that could still be lost.
 *
 * <p>For a retry tier partition it also holds the records not yet due; they are released in order,
 * only when the head is due (records in a tier are in due order, up to jitter).
 *
 * <p>Owned by the pipeline thread; not thread-safe.
 */
final class PartitionState {

    /** One fetched record. */
    static final class Entry {
        final PartitionState owner;
        final long offset;
        final WebhookDelivery waiting;
        boolean settled;

        Entry(PartitionState owner, long offset, WebhookDelivery waiting) {
            this.owner = owner;
            this.offset = offset;
            this.waiting = waiting;
        }
    }

    final TopicPartition partition;
    /** Retry tier index, or -1 for {@code alerts.fired}. */
    final int tier;
    private final ArrayDeque<Entry> unsettled = new ArrayDeque<>();
    private final ArrayDeque<Entry> notDue = new ArrayDeque<>();
    private long nextOffset = -1;
    private long committed = -1;
    private long requested = -1;
    private boolean revoked;

    PartitionState(TopicPartition partition, int tier) {
        this.partition = partition;
        this.tier = tier;
    }

    /** Tracks a fetched record; {@code waiting} is the tier record to release when due, or null. */
    Entry add(long offset, WebhookDelivery waiting) {
        Entry entry = new Entry(this, offset, waiting);
        unsettled.addLast(entry);
        if (waiting != null) {
            notDue.addLast(entry);
        }
        nextOffset = offset + 1;
        return entry;
    }

    /** Marks {@code entry} settled; returns whether it was unsettled (counts once). */
    boolean settle(Entry entry) {
        if (entry.settled) {
            return false;
        }
        entry.settled = true;
        while (!unsettled.isEmpty() && unsettled.peekFirst().settled) {
            unsettled.pollFirst();
        }
        return true;
    }

    /** The head of the not-yet-released tier records, or null. */
    Entry headNotDue() {
        return notDue.peekFirst();
    }

    Entry releaseHead() {
        return notDue.pollFirst();
    }

    boolean hasNotDue() {
        return !notDue.isEmpty();
    }

    int unsettledCount() {
        return unsettled.size();
    }

    /** The offset to commit now, or -1 when nothing was fetched yet. */
    long commitOffset() {
        return unsettled.isEmpty() ? nextOffset : unsettled.peekFirst().offset;
    }

    /** The last offset the broker confirmed as committed. */
    long committed() {
        return committed;
    }

    void committed(long offset) {
        committed = Math.max(committed, offset);
        requested = Math.max(requested, committed);
    }

    /** The last offset an asynchronous commit was sent for (confirmed or not). */
    long requested() {
        return requested;
    }

    void requested(long offset) {
        requested = Math.max(requested, offset);
    }

    /** An asynchronous commit failed: send the offset again with the next one. */
    void requestFailed() {
        requested = committed;
    }

    boolean revoked() {
        return revoked;
    }

    /** Forgets everything (partition revoked or lost); returns how many were unsettled. */
    int revoke() {
        revoked = true;
        int n = unsettled.size();
        unsettled.clear();
        notDue.clear();
        return n;
    }
}
