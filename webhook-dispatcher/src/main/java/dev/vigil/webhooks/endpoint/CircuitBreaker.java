package dev.vigil.webhooks.endpoint;

import java.time.Duration;

/**
 * A per-endpoint circuit breaker. {@code CLOSED}: requests flow; {@code threshold} consecutive
 * failures open it. {@code OPEN}: no requests for {@code openDuration}, then {@code HALF_OPEN}: one
 * probe request; its success closes the circuit, its failure opens it again for another period.
 * A success in any state closes it: the endpoint answered.
 *
 * <p>Not thread-safe: owned by the dispatcher's event loop. Time is passed in (nanoTime) so tests
 * need no clock.
 */
public final class CircuitBreaker {

    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int threshold;
    private final long openNanos;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private long openedAt;

    public CircuitBreaker(int threshold, Duration openDuration) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1");
        }
        this.threshold = threshold;
        this.openNanos = openDuration.toNanos();
    }

    /** The state at {@code now}: an open circuit whose period has passed is half-open. */
    public State state(long now) {
        if (state == State.OPEN && now - openedAt >= openNanos) {
            state = State.HALF_OPEN;
        }
        return state;
    }

    /** An attempt got an answer that shows the endpoint works. */
    public void onSuccess() {
        state = State.CLOSED;
        consecutiveFailures = 0;
    }

    /**
     * An attempt failed (no answer, 429 or 5xx).
     *
     * @return whether this failure opened the circuit
     */
    public boolean onFailure(long now) {
        consecutiveFailures++;
        State current = state(now);
        if (current == State.HALF_OPEN || (current == State.CLOSED && consecutiveFailures >= threshold)) {
            state = State.OPEN;
            openedAt = now;
            return true;
        }
        return false;
    }

    public int consecutiveFailures() {
        return consecutiveFailures;
    }
}
