package dev.vigil.common.auth;

import dev.vigil.common.auth.WsTickets.Ticket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes {@link WsTickets} tickets single-use within one ws-gateway instance: remembers the nonce
 * of every consumed ticket until the ticket expires, and refuses a nonce it has seen.
 *
 * <p>Memory is bounded. Expired nonces are pruned (a replayed expired ticket fails verification
 * anyway), at most once per {@link #PRUNE_INTERVAL}, and the number of remembered nonces has a hard
 * cap: when it is reached, new tickets are refused — failing closed — rather than the map growing
 * or forgetting nonces that are still valid. Size the cap for the connect rate times the TTL.
 *
 * <p>Across gateway instances a ticket could be used once per instance; the short TTL bounds that.
 * Thread-safe and lock-free.
 */
public final class SingleUseGuard {

    private static final Logger log = LoggerFactory.getLogger(SingleUseGuard.class);

    /** Minimum time between two prune sweeps, so a flood of connects cannot make every call O(n). */
    public static final Duration PRUNE_INTERVAL = Duration.ofSeconds(1);

    private final int maxEntries;
    private final Clock clock;
    private final ConcurrentHashMap<String, Instant> seen = new ConcurrentHashMap<>();
    // Tracked separately from seen.size() so that reserving a slot and checking the cap is one atomic step.
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong nextPruneMillis = new AtomicLong(Long.MIN_VALUE);
    private final AtomicBoolean warnedFull = new AtomicBoolean();

    /**
     * @param maxEntries the most nonces remembered at once (at least 1)
     * @param clock the time source; give it the one the {@link WsTickets} verifier uses
     */
    public SingleUseGuard(int maxEntries, Clock clock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Consumes {@code ticket}: true the first time its nonce is seen; false if it was seen before,
     * if it has already expired, or if the guard is full.
     */
    public boolean tryConsume(Ticket ticket) {
        Objects.requireNonNull(ticket, "ticket");
        Instant now = clock.instant();
        if (!now.isBefore(ticket.expiresAt())) {
            return false; // nothing to remember: verification refuses it from now on
        }
        pruneIfDue(now);
        if (!reserveSlot()) {
            if (warnedFull.compareAndSet(false, true)) {
                log.warn("Single-use ticket guard is full ({} unexpired tickets); refusing new WebSocket tickets until some expire",
                        maxEntries);
            }
            return false;
        }
        if (seen.putIfAbsent(ticket.nonce(), ticket.expiresAt()) != null) {
            size.decrementAndGet();
            log.debug("Refused a reused WebSocket ticket for collection {}", ticket.collectionId());
            return false;
        }
        return true;
    }

    /** How many nonces are remembered now (for metrics and tests). */
    public int size() {
        return size.get();
    }

    private boolean reserveSlot() {
        while (true) {
            int current = size.get();
            if (current >= maxEntries) {
                return false;
            }
            if (size.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    private void pruneIfDue(Instant now) {
        long due = nextPruneMillis.get();
        long nowMillis = now.toEpochMilli();
        // Only the thread that wins the CAS sweeps; the others go on without waiting.
        if (nowMillis < due || !nextPruneMillis.compareAndSet(due, nowMillis + PRUNE_INTERVAL.toMillis())) {
            return;
        }
        int removed = 0;
        for (Map.Entry<String, Instant> entry : seen.entrySet()) {
            if (!now.isBefore(entry.getValue()) && seen.remove(entry.getKey(), entry.getValue())) {
                size.decrementAndGet();
                removed++;
            }
        }
        if (removed > 0) {
            warnedFull.set(false);
            log.debug("Pruned {} expired WebSocket ticket nonces, {} remembered", removed, size.get());
        }
    }
}
