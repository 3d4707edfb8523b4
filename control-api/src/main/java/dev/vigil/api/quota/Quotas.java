package dev.vigil.api.quota;

import dev.vigil.api.http.ApiError;
import dev.vigil.api.state.ControlView;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Enforces the per-collection limits of {@link QuotaConfig}: object counts from the control view
 * (call after the read barrier, so writes answered by other instances count) and the WebSocket ticket
 * rate. Over a limit, a 429 whose message names the quota and the setting that raises it.
 *
 * <p>Counting then writing is not atomic across instances: N instances creating concurrently for one
 * collection can each see room for one more and overshoot by up to N-1 (documented in
 * docs/security.md). Within one instance, concurrent creates of a collection may likewise overshoot by
 * the number in flight; the limit is a guard against runaway use, not an exact count.
 */
public final class Quotas {

    /** Retry-After of an object-count 429: the count drops only when the client deletes something. */
    static final long COUNT_RETRY_AFTER_SECONDS = 60;

    private final QuotaConfig config;
    private final ControlView view;
    private final LongSupplier nanoTime;
    private final Map<String, TokenBucket> ticketBuckets = new ConcurrentHashMap<>();

    public Quotas(QuotaConfig config, ControlView view, LongSupplier nanoTime) {
        this.config = config;
        this.view = view;
        this.nanoTime = nanoTime;
    }

    /** Throws a 429 if {@code collectionId} already holds its limit of {@code quota}'s objects. */
    public void checkRoomFor(Quota quota, String collectionId) {
        int limit = config.limit(quota);
        long held = count(quota, collectionId);
        if (held >= limit) {
            throw ApiError.tooManyRequests("quota_exceeded", "quota exceeded: collection '" + collectionId + "' holds "
                    + held + " " + quota.noun() + ", the limit is " + limit + " (" + quota.setting()
                    + "); delete some or ask the operator to raise " + quota.setting(), COUNT_RETRY_AFTER_SECONDS);
        }
    }

    long count(Quota quota, String collectionId) {
        return switch (quota) {
            case STREAMS -> view.streams().stream().filter(s -> collectionId.equals(s.getCollectionId())).count();
            case INDEXES -> view.indexes().stream().filter(i -> collectionId.equals(i.getCollectionId())).count();
            case EVENTS -> view.events().stream().filter(e -> collectionId.equals(e.getCollectionId())).count();
            case ALERTS -> view.alerts().stream().filter(a -> collectionId.equals(a.getCollectionId())).count();
        };
    }

    /** Takes one WebSocket ticket from {@code collectionId}'s per-minute allowance, or throws a 429. */
    public void takeTicket(String collectionId) {
        TokenBucket bucket = ticketBuckets.computeIfAbsent(collectionId,
                c -> new TokenBucket(config.ticketsPerMinute(), TimeUnit.MINUTES.toNanos(1), nanoTime));
        long waitNanos = bucket.tryTake();
        if (waitNanos > 0) {
            throw ApiError.tooManyRequests("quota_exceeded", "quota exceeded: collection '" + collectionId
                    + "' may request " + config.ticketsPerMinute() + " WebSocket URLs per minute (VIGIL_QUOTA_TICKETS_PER_MINUTE)",
                    secondsRoundedUp(waitNanos));
        }
    }

    static long secondsRoundedUp(long nanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanos + TimeUnit.SECONDS.toNanos(1) - 1));
    }

    public QuotaConfig config() {
        return config;
    }
}
