package dev.vigil.testkit;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * Awaitility presets for tests that wait on Kafka: poll every 20 ms from the start, so a condition that
 * already holds passes at once and one that holds soon passes within a Kafka round trip or two.
 */
public final class Eventually {

    /** How long {@link #await()} waits: generous, since a busy 2-core CI machine is slow to start things. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** Below a produce-to-consume round trip at p99 (a few ms) times a handful. */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(20);

    private Eventually() {
    }

    /** Waits at most {@link #DEFAULT_TIMEOUT}. */
    public static ConditionFactory await() {
        return within(DEFAULT_TIMEOUT);
    }

    /** Waits at most {@code timeout}, polling every {@link #POLL_INTERVAL}. */
    public static ConditionFactory within(Duration timeout) {
        return Awaitility.await()
                .atMost(timeout)
                .pollDelay(Duration.ZERO)
                .pollInterval(POLL_INTERVAL);
    }
}
