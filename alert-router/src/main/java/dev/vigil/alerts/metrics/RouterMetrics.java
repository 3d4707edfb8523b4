package dev.vigil.alerts.metrics;

import dev.vigil.rules.record.NormalisedRecord;
import dev.vigil.schemas.alerts.Channel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The alert-router's meters, all named {@code vigil.alert.router.*} (Prometheus:
 * {@code vigil_alert_router_*}). Meters on the per-record path are registered once up front, so
 * counting costs an atomic add, not a registry lookup; the rare ones (poison, errors) are looked up
 * when they happen.
 *
 * <p>Thread-safe: shared by every stream thread, the global thread and the deserialization handler.
 */
public final class RouterMetrics {

    static final String PREFIX = "vigil.alert.router.";

    /** Why an alert of the record's index was not evaluated. */
    public enum SkipReason {
        /** The alert is disabled (by the user, or by the dispatcher after a 410). */
        DISABLED,
        /** The alert's, the record's or the event's collection differ: never cross tenants. */
        TENANT_MISMATCH,
        /** The alert names an event the router does not know (deleted, or not yet replicated). */
        EVENT_MISSING,
        /** The event needs the LLM judge and no text model is configured ({@code VIGIL_MODEL_TEXT}). */
        LLM_JUDGE
    }

    private final MeterRegistry registry;
    private final Map<Channel, Counter> records = new EnumMap<>(Channel.class);
    private final Map<Channel, Counter> evaluations = new EnumMap<>(Channel.class);
    private final Map<SkipReason, Counter> skipped = new EnumMap<>(SkipReason.class);
    private final Counter fired;
    private final Counter repeated;
    private final Counter suppressed;
    private final Timer latency;
    private final Counter judgeRequests;
    private final Counter judgedMatch;
    private final Counter judgedNoMatch;

    public RouterMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        for (Channel channel : Channel.values()) {
            String name = NormalisedRecord.wireName(channel);
            records.put(channel, Counter.builder(PREFIX + "records")
                    .description("Index records read (after the poison checks), by channel")
                    .tag("channel", name).register(registry));
            evaluations.put(channel, Counter.builder(PREFIX + "evaluations")
                    .description("Alert conditions evaluated against index records, by channel")
                    .tag("channel", name).register(registry));
        }
        for (SkipReason reason : SkipReason.values()) {
            skipped.put(reason, Counter.builder(PREFIX + "alerts.skipped")
                    .description("Alerts of a record's index that were not evaluated, by reason")
                    .tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT)).register(registry));
        }
        fired = Counter.builder(PREFIX + "notifications")
                .description("Notifications written to alerts.fired (repeats included)")
                .register(registry);
        repeated = Counter.builder(PREFIX + "notifications.repeated")
                .description("Of the notifications, those written again with the same id for a record seen again (reprocessing)")
                .register(registry);
        suppressed = Counter.builder(PREFIX + "suppressed")
                .description("Matches not notified because the alert is in its cooldown")
                .tag("reason", "cooldown")
                .register(registry);
        latency = Timer.builder(PREFIX + "latency")
                .description("Index record emit time (emit_ts) to notification, as seen by the router's clock")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        judgeRequests = Counter.builder(PREFIX + "judge.requests")
                .description("Judge requests read by the judge worker (one per record of an index with judged alerts)")
                .register(registry);
        judgedMatch = Counter.builder(PREFIX + "judge.verdicts")
                .description("Verdicts of the LLM judge, by outcome").tag("verdict", "match").register(registry);
        judgedNoMatch = Counter.builder(PREFIX + "judge.verdicts")
                .description("Verdicts of the LLM judge, by outcome").tag("verdict", "no_match").register(registry);
    }

    /** Meters kept in a private registry: for tools and tests that do not read them. */
    public static RouterMetrics unregistered() {
        return new RouterMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** An index record of {@code channel} passed the poison checks. */
    public void recordRead(Channel channel) {
        records.get(channel).increment();
    }

    /** One condition was evaluated against a record of {@code channel}. */
    public void evaluated(Channel channel) {
        evaluations.get(channel).increment();
    }

    /** One alert of the record's index was not evaluated. */
    public void skipped(SkipReason reason) {
        skipped.get(reason).increment();
    }

    /** A notification was written; {@code latency} is from the record's emit time to now. */
    public void fired(Duration latency) {
        fired.increment();
        this.latency.record(latency.isNegative() ? Duration.ZERO : latency);
    }

    /** The notification about to be written repeats one of a record seen before (same id); {@link #fired} follows. */
    public void repeated() {
        repeated.increment();
    }

    /** A match fell inside the alert's cooldown. */
    public void suppressedByCooldown() {
        suppressed.increment();
    }

    /** The judge worker read a request. */
    public void judgeRequest() {
        judgeRequests.increment();
    }

    /** The judge gave a verdict for one judged alert. */
    public void judgeVerdict(boolean matches) {
        (matches ? judgedMatch : judgedNoMatch).increment();
    }

    /**
     * The judge gave no verdict for a request, so nothing fired for it: {@code reason} is the model
     * failure ({@code timeout}, {@code server_error}, {@code budget_exhausted}, {@code rate_limited},
     * {@code rejected}, {@code unreachable}, {@code malformed}, {@code incomplete}) or {@code internal}.
     */
    public void judgeFailure(String reason) {
        registry.counter(PREFIX + "judge.failures", "reason", reason).increment();
    }

    /** A record was skipped as poison: undecodable or semantically broken. */
    public void poison(String topic, String reason) {
        registry.counter(PREFIX + "poison.records", "topic", String.valueOf(topic), "reason", reason).increment();
    }

    /**
     * A condition could not be used: {@code kind} is {@code evaluation} (CEL error at run time, counted
     * as no match), {@code invalid_condition} (the stored condition does not compile) or
     * {@code internal} (an unexpected failure while handling one alert).
     */
    public void evaluationError(String kind) {
        registry.counter(PREFIX + "evaluation.errors", "kind", kind).increment();
    }
}
