package dev.vigil.webhooks.retry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * When a failed webhook attempt is tried again, and through which retry tier topic.
 *
 * <p>Tier {@code i} holds deliveries waiting {@code delays[i]}. After attempt {@code n} (from 1) the
 * delivery goes to tier {@code n - 1}, so the schedule itself is the exponential back-off (5 s, 30 s,
 * 2 min, 10 min, 1 h, 6 h by default). A {@code Retry-After} from the endpoint moves it to the first
 * tier whose delay is at least the requested one; a request beyond the longest tier is capped at it,
 * because a record due later than its tier's delay would hold up every record behind it. After the
 * last tier's attempt there is no retry: the delivery is dead-lettered.
 *
 * <p>Jitter: the due time is {@code now + delay × (1 + jitter × r)} with {@code r} uniform in [0, 1),
 * so retries of one outage spread out instead of arriving together. Records in a tier are therefore
 * in due order up to the jitter; the tier consumer waits for its head record, so a record can be
 * late by at most {@code jitter × delay}. Immutable and thread-safe.
 */
public final class RetrySchedule {

    private final List<Duration> delays;
    private final double jitter;
    private final DoubleSupplier random;

    /** A retry after which the delivery waits in tier {@code tier} until {@code dueAt}. */
    public record Retry(int tier, Instant dueAt) {
    }

    public RetrySchedule(List<Duration> delays, int jitterPercent) {
        this(delays, jitterPercent, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** {@code random}: values in [0, 1) (tests pin it). */
    public RetrySchedule(List<Duration> delays, int jitterPercent, DoubleSupplier random) {
        if (delays.isEmpty()) {
            throw new IllegalArgumentException("a retry schedule needs at least one delay");
        }
        if (jitterPercent < 0 || jitterPercent > 100) {
            throw new IllegalArgumentException("jitter must be 0-100 %");
        }
        this.delays = List.copyOf(delays);
        this.jitter = jitterPercent / 100.0;
        this.random = Objects.requireNonNull(random);
    }

    /** Number of retry tiers in use. */
    public int tiers() {
        return delays.size();
    }

    /** The delay of tier {@code tier}. */
    public Duration delay(int tier) {
        return delays.get(tier);
    }

    /** Attempts a notification gets at most: the first plus one per tier. */
    public int maxAttempts() {
        return delays.size() + 1;
    }

    /**
     * The retry after attempt number {@code attempt} (from 1) failed, or empty when that was the last.
     *
     * @param retryAfter the delay the endpoint asked for, if any
     */
    public Optional<Retry> after(int attempt, Optional<Duration> retryAfter, Instant now) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1");
        }
        int tier = attempt - 1;
        if (tier >= delays.size()) {
            return Optional.empty();
        }
        if (retryAfter.isPresent()) {
            tier = Math.max(tier, tierAtLeast(retryAfter.get()));
        }
        Duration delay = delays.get(tier);
        long jitterMillis = (long) (delay.toMillis() * jitter * random.getAsDouble());
        return Optional.of(new Retry(tier, now.plus(delay).plusMillis(jitterMillis)));
    }

    /**
     * A deferral: the notification was not attempted (its endpoint is backed up) and waits in the
     * first tier, with jitter, without using up an attempt.
     */
    public Retry deferral(Instant now) {
        Duration delay = delays.get(0);
        long jitterMillis = (long) (delay.toMillis() * jitter * random.getAsDouble());
        return new Retry(0, now.plus(delay).plusMillis(jitterMillis));
    }

    /** The first tier whose delay is at least {@code wanted}; the last tier if none is. */
    int tierAtLeast(Duration wanted) {
        for (int i = 0; i < delays.size(); i++) {
            if (delays.get(i).compareTo(wanted) >= 0) {
                return i;
            }
        }
        return delays.size() - 1;
    }
}
