package dev.vigil.webhooks.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The dispatcher's meters (Prometheus names):
 * <ul>
 *   <li>{@code vigil_webhook_dispatcher_deliveries_total{outcome}} — attempts by what they led to:
 *       {@code delivered}, {@code retry_scheduled}, {@code dead_lettered}, {@code alert_disabled}; and
 *       {@code deferred} (not attempted: the endpoint's queue is backed up);</li>
 *   <li>{@code vigil_webhook_dispatcher_attempt_latency_seconds{result}} — HTTP attempts, from send to
 *       response, by {@code 2xx}, {@code 4xx}, {@code 5xx}, {@code error} (timeouts, connection errors);</li>
 *   <li>{@code vigil_webhook_dispatcher_retries_total{tier}} — deliveries sent to a retry tier;</li>
 *   <li>{@code vigil_webhook_dispatcher_dead_letters_total{reason}} — {@code exhausted}, {@code rejected}
 *       (non-retryable status), {@code refused} (SSRF guard, bad URL), {@code alert} (deleted, disabled,
 *       no secret), {@code gone} (410);</li>
 *   <li>{@code vigil_webhook_dispatcher_not_sent_total{reason}} — notifications sent straight to a retry
 *       tier for {@code circuit_open} (counts as an attempt) or {@code backlog} (a deferral, does not);</li>
 *   <li>{@code vigil_webhook_dispatcher_circuits_open} — endpoints whose circuit is not closed;</li>
 *   <li>{@code vigil_webhook_dispatcher_pending} — notifications held in memory;</li>
 *   <li>{@code vigil_webhook_dispatcher_skipped_records_total{reason}} — input records that carry no
 *       deliverable notification ({@code undecodable}, {@code tombstone}, {@code no_callback}).</li>
 * </ul>
 * Thread-safe.
 */
public final class DispatcherMetrics {

    private static final String PREFIX = "vigil.webhook.dispatcher.";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final AtomicInteger openCircuits = new AtomicInteger();

    public DispatcherMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(PREFIX + "circuits.open", openCircuits, AtomicInteger::get)
                .description("Endpoints whose circuit breaker is open or half-open")
                .register(registry);
    }

    /** Registers the gauge of notifications held in memory. */
    public void pendingGauge(Supplier<Number> pending) {
        Gauge.builder(PREFIX + "pending", pending).description("Notifications fetched and not yet settled").register(registry);
    }

    public void outcome(String outcome) {
        counter("deliveries", "outcome", outcome, "Delivery attempts by what they led to").increment();
    }

    public void retry(String tier) {
        counter("retries", "tier", tier, "Deliveries sent to a retry tier topic").increment();
    }

    public void deadLetter(String reason) {
        counter("dead.letters", "reason", reason, "Notifications parked in the dead-letter topic").increment();
    }

    public void notSent(String reason) {
        counter("not.sent", "reason", reason, "Notifications sent straight to a retry tier without a request").increment();
    }

    public void skippedRecord(String reason) {
        counter("skipped.records", "reason", reason, "Input records without a deliverable notification").increment();
    }

    /** One HTTP attempt of {@code nanos}; {@code status} null for no answer. */
    public void attempt(Integer status, long nanos) {
        String result = status == null ? "error" : (status / 100) + "xx";
        timers.computeIfAbsent(result, r -> Timer.builder(PREFIX + "attempt.latency")
                        .description("HTTP webhook attempts, from send to response")
                        .tag("result", r)
                        .publishPercentileHistogram()
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    public void circuitOpened() {
        openCircuits.incrementAndGet();
    }

    public void circuitClosed() {
        openCircuits.decrementAndGet();
    }

    public int openCircuits() {
        return openCircuits.get();
    }

    private Counter counter(String name, String tag, String value, String description) {
        return counters.computeIfAbsent(name + "|" + value, k -> Counter.builder(PREFIX + name)
                .description(description)
                .tag(tag, value)
                .register(registry));
    }
}
