package dev.vigil.api.quota;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code capacity} tokens, refilled continuously at {@code capacity} per
 * {@code periodNanos}. Thread-safe (requests of one key or collection arrive on several event loops).
 */
public final class TokenBucket {

    private final double capacity;
    private final double tokensPerNano;
    private final LongSupplier nanoTime;
    private double tokens;
    private long refilledAt;

    /** {@code nanoTime}: the clock ({@code System::nanoTime}; tests pass their own). */
    public TokenBucket(int capacity, long periodNanos, LongSupplier nanoTime) {
        if (capacity < 1 || periodNanos < 1) {
            throw new IllegalArgumentException("capacity and period must be positive");
        }
        this.capacity = capacity;
        this.tokensPerNano = capacity / (double) periodNanos;
        this.nanoTime = nanoTime;
        this.tokens = capacity;
        this.refilledAt = nanoTime.getAsLong();
    }

    /** Takes a token: 0 when one was available, else how many nanoseconds until one will be. */
    public synchronized long tryTake() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(capacity, tokens + (now - refilledAt) * tokensPerNano);
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / tokensPerNano);
    }
}
