package dev.vigil.alerts.poison;

import dev.vigil.alerts.metrics.RouterMetrics;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every skipped poison record is reported: counted in
 * {@code vigil_alert_router_poison_records_total{topic, reason}} and logged — at WARN at most once
 * every 10 seconds (with how many were skipped meanwhile), at DEBUG otherwise — so a producer that
 * writes garbage at thousands of records per second cannot flood the log or slow the stream thread.
 *
 * <p>Thread-safe.
 */
public final class PoisonRecords {

    private static final Logger log = LoggerFactory.getLogger(PoisonRecords.class);
    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final RouterMetrics metrics;
    private final AtomicLong nextWarnAt = new AtomicLong(System.nanoTime());
    private final AtomicLong sinceLastWarn = new AtomicLong();

    public PoisonRecords(RouterMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /**
     * Reports one skipped record.
     *
     * @param topic    where it came from
     * @param where    partition and offset, or the record key, for the log line
     * @param reason   a short tag for the metric, e.g. {@code undecodable}, {@code missing_field}
     * @param detail   what is wrong, for the log line
     */
    public void skip(String topic, String where, String reason, String detail) {
        metrics.poison(topic, reason);
        long skippedMeanwhile = sinceLastWarn.incrementAndGet();
        long now = System.nanoTime();
        long due = nextWarnAt.get();
        if (now - due >= 0 && nextWarnAt.compareAndSet(due, now + WARN_INTERVAL_NANOS)) {
            sinceLastWarn.set(0);
            log.warn("Skipped poison record from {} ({}): {}: {} [{} poison record(s) skipped since the last warning]",
                    topic, where, reason, detail, skippedMeanwhile);
        } else {
            log.debug("Skipped poison record from {} ({}): {}: {}", topic, where, reason, detail);
        }
    }
}
