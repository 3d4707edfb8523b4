package dev.vigil.common.supervision;

import java.time.Duration;

/**
 * How a supervised loop restarts after a failure: back off exponentially from {@code initialBackoff}
 * up to {@code maxBackoff}, and give up ("dead") once more than {@code maxFailures} failures fall
 * within {@code window}. See {@code DESIGN.md} in {@code dev.vigil.common.kafka.reader}.
 */
public record RestartPolicy(Duration initialBackoff, Duration maxBackoff, int maxFailures, Duration window) {

    /**
     * Back-offs 0.5, 1, 2, 4, 8, 16, 30, 30... s: a broker restart or a leader election is ridden out,
     * while a loop that fails for good is declared dead about two minutes later (the eleventh failure
     * within ten minutes), so liveness fails and the orchestrator restarts the process.
     */
    public static final RestartPolicy DEFAULT = new RestartPolicy(Duration.ofMillis(500), Duration.ofSeconds(30), 10,
            Duration.ofMinutes(10));

    public RestartPolicy {
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff, got " + initialBackoff + ", " + maxBackoff);
        }
        if (maxFailures < 0) {
            throw new IllegalArgumentException("maxFailures must be >= 0, got " + maxFailures);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, got " + window);
        }
    }

    /** The wait before the restart that follows the {@code failures}-th recent failure (1-based). */
    public Duration backoff(int failures) {
        int doublings = Math.max(0, Math.min(failures - 1, 30));
        long millis = initialBackoff.toMillis() << doublings;
        if (millis < 0 || millis > maxBackoff.toMillis()) {
            return maxBackoff;
        }
        return Duration.ofMillis(millis);
    }
}
