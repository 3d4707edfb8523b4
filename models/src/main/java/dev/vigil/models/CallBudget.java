package dev.vigil.models;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Model calls per collection and minute ({@code VIGIL_MODEL_CALLS_PER_MINUTE}), as a token bucket per
 * collection: full at start (a burst of a minute's calls is allowed), refilled continuously at the
 * per-minute rate. A bucket rather than fixed minute windows, so a collection cannot spend two minutes'
 * budget across a minute boundary. Per service instance: instances do not share budgets.
 */
public final class CallBudget {

    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final int perMinute;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public CallBudget(int perMinute, LongSupplier nanoTime) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be positive: " + perMinute);
        }
        this.perMinute = perMinute;
        this.nanoTime = nanoTime;
    }

    /** Takes one call from the collection's budget; false when it is spent. */
    public boolean tryTake(String collection) {
        return buckets.computeIfAbsent(collection, c -> new Bucket(perMinute, nanoTime.getAsLong())).take(nanoTime.getAsLong());
    }

    private final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        synchronized boolean take(long now) {
            tokens = Math.min(perMinute, tokens + (double) (now - refilledAt) * perMinute / MINUTE_NANOS);
            refilledAt = now;
            if (tokens < 1.0) {
                return false;
            }
            tokens -= 1.0;
            return true;
        }
    }
}
