package dev.vigil.ingest.session;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: {@code min}, doubling per consecutive failure up to {@code max}, each spread by
 * ±20 % so streams that failed together (a camera switch rebooting, a worker taking over fifty
 * streams) do not reconnect in lockstep.
 */
public final class Backoff {

    private static final double JITTER = 0.2;

    private final Duration min;
    private final Duration max;
    private final DoubleSupplier random;

    public Backoff(Duration min, Duration max) {
        this(min, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** {@code random}: uniform in [0, 1), injectable for tests. */
    public Backoff(Duration min, Duration max, DoubleSupplier random) {
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("max back-off " + max + " is shorter than min " + min);
        }
        this.min = min;
        this.max = max;
        this.random = random;
    }

    /** The delay before the next attempt after {@code failures} (1, 2, ...) consecutive failures. */
    public Duration delay(int failures) {
        int doublings = Math.min(Math.max(failures, 1) - 1, 30);
        double base = Math.min(max.toMillis(), min.toMillis() * Math.pow(2, doublings));
        double jittered = base * (1 + JITTER * (2 * random.getAsDouble() - 1));
        return Duration.ofMillis(Math.round(Math.min(max.toMillis(), jittered)));
    }
}
