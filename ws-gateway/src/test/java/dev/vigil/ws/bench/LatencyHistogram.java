package dev.vigil.ws.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A thread-safe latency histogram with 10 µs buckets up to 5 s (beyond: counted in the last bucket,
 * the true maximum kept separately). Good enough for p50/p99/p99.9 of a benchmark.
 */
final class LatencyHistogram {

    private static final long BUCKET_NANOS = 10_000;
    private static final int BUCKETS = 500_000;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong max = new AtomicLong();

    void record(long nanos) {
        long value = Math.max(0, nanos);
        counts.incrementAndGet((int) Math.min(BUCKETS - 1, value / BUCKET_NANOS));
        total.incrementAndGet();
        max.accumulateAndGet(value, Math::max);
    }

    long count() {
        return total.get();
    }

    /** The latency (ms) below which {@code quantile} of the samples fall (bucket upper bound). */
    double percentileMillis(double quantile) {
        long n = total.get();
        if (n == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(quantile * n);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return (i + 1) * BUCKET_NANOS / 1e6;
            }
        }
        return maxMillis();
    }

    double maxMillis() {
        return max.get() / 1e6;
    }

    String summary() {
        return String.format("n=%d p50=%.2f ms p99=%.2f ms p99.9=%.2f ms max=%.2f ms", count(), percentileMillis(0.50),
                percentileMillis(0.99), percentileMillis(0.999), maxMillis());
    }
}
