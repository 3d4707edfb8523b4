package dev.vigil.common.supervision;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * The failures of one loop within its {@link RestartPolicy#window()}: each failure is recorded with
 * its time; those older than the window are forgotten. The budget is spent when more than
 * {@link RestartPolicy#maxFailures()} remain. Thread-safe.
 */
public final class RestartBudget {

    private final RestartPolicy policy;
    private final LongSupplier nanoTime;
    private final Deque<Long> failures = new ArrayDeque<>();

    public RestartBudget(RestartPolicy policy) {
        this(policy, System::nanoTime);
    }

    /** {@code nanoTime}: a monotonic clock (tests pass their own). */
    public RestartBudget(RestartPolicy policy, LongSupplier nanoTime) {
        this.policy = policy;
        this.nanoTime = nanoTime;
    }

    /** Records a failure now; returns how many failures fall within the window, this one included. */
    public synchronized int recordFailure() {
        long now = nanoTime.getAsLong();
        failures.addLast(now);
        forgetBefore(now - policy.window().toNanos());
        return failures.size();
    }

    /** Failures within the window as of now. */
    public synchronized int recentFailures() {
        forgetBefore(nanoTime.getAsLong() - policy.window().toNanos());
        return failures.size();
    }

    /** Whether more failures than the policy allows fall within the window. */
    public synchronized boolean spent() {
        return recentFailures() > policy.maxFailures();
    }

    /** The wait before restarting after {@code recentFailures} failures within the window. */
    public Duration backoff(int recentFailures) {
        return policy.backoff(recentFailures);
    }

    public RestartPolicy policy() {
        return policy;
    }

    private void forgetBefore(long cutoff) {
        while (!failures.isEmpty() && failures.peekFirst() - cutoff < 0) {
            failures.removeFirst();
        }
    }
}
