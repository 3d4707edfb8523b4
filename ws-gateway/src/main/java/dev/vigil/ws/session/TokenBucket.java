package dev.vigil.ws.session;

/**
 * A token bucket for inbound frames: {@code ratePerSecond} tokens a second, holding at most as many
 * (so bursts up to one second's worth). Not thread-safe: one per connection, used on its event loop.
 */
final class TokenBucket {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int capacity;
    private final long nanosPerToken;
    private double tokens;
    private long lastRefill;

    TokenBucket(int ratePerSecond, long nowNanos) {
        this.capacity = ratePerSecond;
        this.nanosPerToken = NANOS_PER_SECOND / ratePerSecond;
        this.tokens = ratePerSecond;
        this.lastRefill = nowNanos;
    }

    /** Takes one token if there is one. */
    boolean tryTake(long nowNanos) {
        long elapsed = nowNanos - lastRefill;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + (double) elapsed / nanosPerToken);
            lastRefill = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
