package dev.vigil.alerts.judge;

import java.util.Map;
import java.util.TreeMap;

/**
 * The offsets of one partition of {@code vigil.alerts.judge} that the {@link JudgeWorker} took but has not
 * committed yet, and which of them are finished — judged and every notification of theirs acknowledged,
 * or needing nothing. Requests finish in any order (a fast verdict overtakes a slow one); only the
 * contiguous finished prefix may be committed, so a restart replays at most the unfinished tail and
 * never skips a request whose notifications were not written. Used by the worker's loop thread only.
 */
final class AckedPrefix {

    /** Taken offsets not yet committable → finished. */
    private final TreeMap<Long, Boolean> open = new TreeMap<>();
    /** The next offset to commit once every offset before it is finished; -1 while nothing finished. */
    private long committable = -1;
    /** What was last handed to a commit; -1 for nothing. */
    private long committed = -1;

    /** The worker took {@code offset} (offsets are taken in increasing order). */
    void taken(long offset) {
        open.put(offset, Boolean.FALSE);
    }

    /** {@code offset} is finished; advances the committable prefix. Unknown offsets are ignored. */
    void finished(long offset) {
        if (open.replace(offset, Boolean.TRUE) == null) {
            return;
        }
        Map.Entry<Long, Boolean> first;
        while ((first = open.firstEntry()) != null && first.getValue()) {
            committable = first.getKey() + 1;
            open.pollFirstEntry();
        }
    }

    /** The offset to commit now (next-offset semantics) when the prefix moved since the last commit, else -1. */
    long toCommit() {
        return committable > committed ? committable : -1;
    }

    /** {@code offset} (from {@link #toCommit}) was handed to a commit. */
    void committing(long offset) {
        committed = Math.max(committed, offset);
    }

    /** Offsets taken and not yet committable (finished or not): what a crash now would make the next owner read again. */
    int uncommitted() {
        return open.size();
    }
}
