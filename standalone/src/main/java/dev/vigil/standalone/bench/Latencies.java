package dev.vigil.standalone.bench;

import java.util.Arrays;
import java.util.Locale;

/** Latency samples of one path, in milliseconds; thread-safe adds, percentiles by sorting (bench sizes only). */
public final class Latencies {

    private final String name;
    private long[] samples = new long[1024];
    private int size;

    public Latencies(String name) {
        this.name = name;
    }

    public synchronized void add(long millis) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = millis;
    }

    public synchronized int count() {
        return size;
    }

    /** The p-th percentile (nearest rank), or {@link Long#MIN_VALUE} without samples. */
    public synchronized long percentile(double p) {
        if (size == 0) {
            return Long.MIN_VALUE;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))];
    }

    /** One row of the report table. */
    public String row() {
        return String.format(Locale.ROOT, "| %-52s | %7d | %7s | %7s | %7s | %7s |", name, count(), ms(percentile(50)),
                ms(percentile(95)), ms(percentile(99)), ms(percentile(100)));
    }

    public static String header() {
        return String.format(Locale.ROOT, "| %-52s | %7s | %7s | %7s | %7s | %7s |%n|%s|%s|%s|%s|%s|%s|", "path", "n",
                "p50 ms", "p95 ms", "p99 ms", "max ms", "-".repeat(54), "-".repeat(9), "-".repeat(9), "-".repeat(9),
                "-".repeat(9), "-".repeat(9));
    }

    private static String ms(long value) {
        // Negative values are real: a record can describe media up to a time a little after it was sent.
        return value == Long.MIN_VALUE ? "–" : Long.toString(value);
    }
}
