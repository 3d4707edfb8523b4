package dev.vigil.webhooks.delivery;

import dev.vigil.common.net.CallbackUrlException;
import dev.vigil.common.net.CallbackUrlPolicy;
import dev.vigil.common.secrets.WebhookSecrets;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.alerts.DeliveryOutcome;
import dev.vigil.schemas.alerts.WebhookDeliveryAttempt;
import dev.vigil.schemas.control.AlertBinding;
import dev.vigil.schemas.control.AlertStatus;
import dev.vigil.webhooks.alerts.AlertTable;
import dev.vigil.webhooks.endpoint.CircuitBreaker;
import dev.vigil.webhooks.endpoint.Endpoint;
import dev.vigil.webhooks.http.Destinations;
import dev.vigil.webhooks.http.WebhookClient;
import dev.vigil.webhooks.metrics.DispatcherMetrics;
import dev.vigil.webhooks.payload.WebhookPayload;
import dev.vigil.webhooks.retry.RetryAfter;
import dev.vigil.webhooks.retry.RetrySchedule;
import dev.vigil.webhooks.signing.WebhookSigner;
import dev.vigil.webhooks.signing.WebhookSigner.SignedHeaders;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attempts deliveries, on one Vert.x event loop: for each {@link Job} it looks up the alert's
 * secret, queues the job at its endpoint, sends the signed POST when the endpoint has a free slot,
 * classifies the answer and hands an {@link Outcome} to the pipeline.
 *
 * <p>Isolation: every endpoint (scheme://host:port) has its own queue, concurrency limit and
 * circuit breaker. A job for an endpoint whose circuit is open is not queued: it goes straight to
 * its next retry tier, recorded as an attempt "not sent" (an open circuit stands for failed
 * attempts, so a dead endpoint's notifications still run through the schedule and end as dead
 * letters). A job for an endpoint whose queue has not moved for the configured wait is deferred to
 * the first tier without using up an attempt. So a dead or slow endpoint holds neither memory nor
 * other endpoints' slots.
 *
 * <p>Classification: 2xx delivered; 410 disables the alert (written back to {@code vigil.alerts})
 * and parks the notification; 408, 425, 429, 5xx, timeouts, connection and DNS errors are retried
 * (honouring {@code Retry-After}) and count as breaker failures; any other status (3xx — redirects
 * are not followed —, 400, 401, 403, 404, 413, 422 …) is the receiver refusing this request, which
 * an identical retry would not change: it is dead-lettered at once, where it can be replayed once
 * the receiver is fixed. Deleted or disabled alerts, alerts without secret and callback URLs refused
 * by the SSRF guard are dead-lettered too, so every notification ends delivered or in the
 * dead-letter topic.
 *
 * <p>All methods run on the dispatcher's context except {@link #submitAll}, which hops onto it.
 */
public final class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final long IDLE_ENDPOINT_NANOS = TimeUnit.MINUTES.toNanos(10);
    private static final int SLICE = 32;
    private static final int MAX_CHECKED_URLS = 10_000;

    /** Everything the dispatcher needs; built by the service. */
    public record Deps(AlertTable alerts, Destinations destinations, WebhookClient client, WebhookSigner signer,
            RetrySchedule schedule, int endpointConcurrency, int endpointMaxQueued, int tenantMaxInFlight,
            int breakerFailures, Duration breakerOpen, Duration maxQueueWait, DispatcherMetrics metrics, Clock clock) {
    }

    private record Pending(Job job, AlertBinding alert, URI uri) {
    }

    private final Context context;
    private final Deps deps;
    private final Consumer<Outcome> sink;
    private final CallbackUrlPolicy syntax = new CallbackUrlPolicy(true);
    private final Map<String, Endpoint<Pending>> endpoints = new HashMap<>();
    private final Map<String, URI> checkedUrls = new HashMap<>();
    private final TenantLoad tenants;
    private final long maxQueueWaitNanos;
    private final List<String> tierNames;

    /**
     * @param context the event-loop context all work runs on
     * @param sink    receives every outcome (on this context); must not block
     */
    public Dispatcher(Context context, Deps deps, Consumer<Outcome> sink) {
        this.context = context;
        this.deps = deps;
        this.sink = sink;
        this.maxQueueWaitNanos = deps.maxQueueWait().toNanos();
        this.tenants = new TenantLoad(deps.tenantMaxInFlight());
        this.tierNames = Topics.WEBHOOK_RETRY_TIERS.stream()
                .map(t -> t.suffix().substring(t.suffix().lastIndexOf('.') + 1))
                .toList();
    }

    /**
     * Submits {@code jobs} from any thread, in slices of {@value #SLICE} per event-loop task so a
     * large poll never holds the loop long and responses interleave with new work.
     */
    public void submitAll(List<Job> jobs) {
        for (int from = 0; from < jobs.size(); from += SLICE) {
            List<Job> slice = jobs.subList(from, Math.min(jobs.size(), from + SLICE));
            context.runOnContext(v -> slice.forEach(this::submit));
        }
    }

    /** Starts a job; on the dispatcher's context. */
    public void submit(Job job) {
        String alertId = job.notification().getAlertId();
        AlertBinding alert = deps.alerts().get(alertId);
        if (alert != null) {
            proceed(job, alert);
        } else {
            // Not read yet, or deleted: wait until the table has caught up, then decide.
            deps.alerts().refresh(alertId).whenComplete((b, e) -> context.runOnContext(v -> proceed(job, b)));
        }
    }

    /**
     * Every job must end in exactly one outcome, or its input partition could never commit past it:
     * a bug in the steps below becomes a retry with the error, not a lost job.
     */
    private void proceed(Job job, AlertBinding alert) {
        try {
            route(job, alert);
        } catch (RuntimeException e) {
            log.error("Unexpected error routing notification {}", job.notification().getId(), e);
            retryOrDead(job, deps.clock().instant(), null, null, "internal error: " + e, Optional.empty());
        }
    }

    private void route(Job job, AlertBinding alert) {
        AlertNotification n = job.notification();
        if (alert == null) {
            dead(job, deps.clock().instant(), null, null, "alert " + n.getAlertId() + " does not exist (deleted?)", "alert");
            return;
        }
        if (alert.getStatus() == AlertStatus.DISABLED) {
            String reason = alert.getDisabledReason() == null ? "" : ": " + alert.getDisabledReason();
            dead(job, deps.clock().instant(), null, null, "alert " + n.getAlertId() + " is disabled" + reason, "alert");
            return;
        }
        if (!WebhookSecrets.hasSecret(alert)) {
            dead(job, deps.clock().instant(), null, null, "alert " + n.getAlertId() + " has no webhook secret", "alert");
            return;
        }
        URI uri;
        try {
            uri = checkedUrl(n.getCallbackUrl());
        } catch (CallbackUrlException e) {
            dead(job, deps.clock().instant(), null, null, "refused: " + e.getMessage(), "refused");
            return;
        }
        Endpoint<Pending> endpoint = endpoints.computeIfAbsent(Endpoint.keyOf(uri), key -> new Endpoint<>(key,
                deps.endpointConcurrency(), new CircuitBreaker(deps.breakerFailures(), deps.breakerOpen())));
        long now = System.nanoTime();
        if (endpoint.capacity(now) == 0) {
            notSent(job, "circuit open for " + endpoint.key(), "circuit_open");
        } else if (endpoint.oldestWait(now) > maxQueueWaitNanos) {
            defer(job, "backlog at " + endpoint.key() + " (oldest queued notification waited "
                    + TimeUnit.NANOSECONDS.toMillis(endpoint.oldestWait(now)) + " ms)", "backlog");
        } else if (endpoint.queued() >= deps.endpointMaxQueued()) {
            defer(job, endpoint.queued() + " notifications queued for " + endpoint.key(), "endpoint_full");
        } else if (!tenants.tryAcquire(n.getCollectionId())) {
            defer(job, "collection " + n.getCollectionId() + " has " + tenants.held(n.getCollectionId())
                    + " notifications queued or in flight", "tenant_full");
        } else {
            endpoint.enqueue(new Pending(job, alert, uri), now);
            pump(endpoint);
        }
        syncCircuitGauge(endpoint, now);
    }

    /**
     * The callback URL parsed and its shape checked, remembered: an alert's notifications all carry the
     * same URL, and parsing it (regular expressions, {@code URI}) took 9 % of the event loop's profile
     * samples in {@code WebhookBench}. Only accepted URLs are kept (a refused one is dead-lettered each time with its reason);
     * the address is still resolved and checked before every attempt ({@link Destinations}).
     */
    private URI checkedUrl(String url) throws CallbackUrlException {
        URI uri = checkedUrls.get(url);
        if (uri == null) {
            uri = syntax.checkSyntax(url);
            if (checkedUrls.size() >= MAX_CHECKED_URLS) {
                checkedUrls.clear(); // one entry per callback URL; a reset keeps the bound without LRU bookkeeping
            }
            checkedUrls.put(url, uri);
        }
        return uri;
    }

    private void pump(Endpoint<Pending> endpoint) {
        long now = System.nanoTime();
        if (endpoint.capacity(now) == 0) {
            // The circuit opened: nothing queued here will be sent soon; move it on now.
            Pending p;
            while ((p = endpoint.poll()) != null) {
                tenants.release(p.job().notification().getCollectionId());
                notSent(p.job(), "circuit open for " + endpoint.key(), "circuit_open");
            }
            return;
        }
        while (endpoint.queued() > 0 && endpoint.canStart(now)) {
            start(endpoint, endpoint.poll(), now);
        }
    }

    private void start(Endpoint<Pending> endpoint, Pending p, long now) {
        endpoint.started(now);
        Instant attemptedAt = deps.clock().instant();
        AlertNotification n = p.job().notification();
        Future<WebhookClient.Result> result;
        try {
            result = deps.destinations().resolve(p.uri()).compose(destination -> {
                // Built now, not when queued: a deferred or diverted job never needs it.
                String body = WebhookPayload.json(n);
                SignedHeaders signed;
                try {
                    signed = deps.signer().sign(p.alert(), n.getId(), attemptedAt, body);
                } catch (WebhookSigner.InvalidSecretException e) {
                    return Future.failedFuture(e);
                }
                MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                        .add("Content-Type", "application/json")
                        .add(WebhookSigner.ID, signed.id())
                        .add(WebhookSigner.TIMESTAMP, signed.timestamp())
                        .add(WebhookSigner.SIGNATURE, signed.signature());
                return deps.client().post(destination, headers, Buffer.buffer(body));
            });
        } catch (RuntimeException e) {
            // Settled below like any failed attempt, so the in-flight slot is given back.
            result = Future.failedFuture(e);
        }
        result.onComplete(ar -> {
            long end = System.nanoTime();
            endpoint.finished(end);
            tenants.release(n.getCollectionId());
            try {
                if (ar.succeeded()) {
                    answered(endpoint, p, attemptedAt, ar.result(), end);
                } else {
                    notAnswered(endpoint, p, attemptedAt, ar.cause(), end);
                }
            } catch (RuntimeException e) {
                log.error("Unexpected error settling notification {}", n.getId(), e);
                retryOrDead(p.job(), attemptedAt, null, null, "internal error: " + e, Optional.empty());
            }
            syncCircuitGauge(endpoint, end);
            pump(endpoint);
        });
    }

    private void answered(Endpoint<Pending> endpoint, Pending p, Instant attemptedAt, WebhookClient.Result r, long now) {
        Job job = p.job();
        deps.metrics().attempt(r.status(), r.latencyNanos());
        Long latencyMs = TimeUnit.NANOSECONDS.toMillis(r.latencyNanos());
        if (!r.answered()) {
            breakerFailure(endpoint, now);
            retryOrDead(job, attemptedAt, null, latencyMs, r.error(), Optional.empty());
            return;
        }
        int status = r.status();
        String statusText = "HTTP " + status + (r.statusMessage() == null || r.statusMessage().isEmpty() ? "" : " " + r.statusMessage());
        if (r.bodyCut()) {
            log.debug("Response of {} to notification {} cut after the body cap", endpoint.key(), job.notification().getId());
        }
        if (status >= 200 && status < 300) {
            breakerSuccess(endpoint);
            settle(job, attemptedAt, status, latencyMs, null, DeliveryOutcome.DELIVERED, Outcome.Kind.DELIVERED, 0, null, null);
            deps.metrics().outcome("delivered");
        } else if (status == 410) {
            breakerSuccess(endpoint);
            disable(p, attemptedAt, latencyMs, statusText);
        } else if (isRetryable(status)) {
            breakerFailure(endpoint, now);
            retryOrDead(job, attemptedAt, status, latencyMs, statusText,
                    RetryAfter.parse(r.retryAfter(), deps.clock().instant()));
        } else {
            breakerSuccess(endpoint);
            String why = status >= 300 && status < 400
                    ? statusText + ": redirects are not followed; point callback_url at the final URL"
                    : statusText + ": the endpoint refused the request; only 408, 425, 429 and 5xx are retried";
            dead(job, attemptedAt, status, latencyMs, why, "rejected");
        }
    }

    private void notAnswered(Endpoint<Pending> endpoint, Pending p, Instant attemptedAt, Throwable cause, long now) {
        Job job = p.job();
        if (cause instanceof Destinations.RefusedException) {
            dead(job, attemptedAt, null, null, cause.getMessage(), "refused");
        } else if (cause instanceof WebhookSigner.InvalidSecretException) {
            dead(job, attemptedAt, null, null, cause.getMessage(), "alert");
        } else if (cause instanceof Destinations.UnresolvableException) {
            breakerFailure(endpoint, now);
            retryOrDead(job, attemptedAt, null, null, cause.getMessage(), Optional.empty());
        } else {
            log.warn("Unexpected failure delivering {} to {}", job.notification().getId(), endpoint.key(), cause);
            breakerFailure(endpoint, now);
            retryOrDead(job, attemptedAt, null, null, String.valueOf(cause), Optional.empty());
        }
    }

    /** Whether an identical request may succeed later. */
    static boolean isRetryable(int status) {
        return status == 408 || status == 425 || status == 429 || status >= 500;
    }

    /**
     * The notification cannot wait in line here — its endpoint's queue has not moved for the
     * configured wait or is full, or its collection holds its share of the dispatcher — so rather than
     * hold it in memory, park it in the first retry tier. It was not attempted, so no attempt is used
     * up or logged: a backed-up endpoint or a busy tenant delays its notifications but never
     * dead-letters them, and never holds the slots other tenants need.
     */
    private void defer(Job job, String cause, String reason) {
        deps.metrics().notSent(reason);
        deps.metrics().outcome("deferred");
        RetrySchedule.Retry r = deps.schedule().deferral(deps.clock().instant());
        String why = "not sent: " + cause;
        Instant first = job.firstAttemptAt() != null ? job.firstAttemptAt() : deps.clock().instant();
        sink.accept(new Outcome(job, null, Outcome.Kind.RETRY, r.tier(), r.dueAt(), job.previousAttempts(), first,
                null, why, deps.clock().instant(), null));
        log.debug("Notification {} deferred: {}", job.notification().getId(), why);
    }

    private void notSent(Job job, String why, String reason) {
        deps.metrics().notSent(reason);
        retryOrDead(job, deps.clock().instant(), null, null, "not sent: " + why, Optional.empty());
    }

    private void retryOrDead(Job job, Instant attemptedAt, Integer status, Long latencyMs, String error,
            Optional<Duration> retryAfter) {
        Optional<RetrySchedule.Retry> retry = deps.schedule().after(job.attempt(), retryAfter, deps.clock().instant());
        if (retry.isEmpty()) {
            dead(job, attemptedAt, status, latencyMs, "gave up after " + job.attempt() + " attempts; last: " + error,
                    "exhausted");
            return;
        }
        RetrySchedule.Retry r = retry.get();
        settle(job, attemptedAt, status, latencyMs, error, DeliveryOutcome.RETRY_SCHEDULED, Outcome.Kind.RETRY, r.tier(),
                r.dueAt(), null);
        deps.metrics().outcome("retry_scheduled");
        deps.metrics().retry(tierNames.get(r.tier()));
        log.debug("Notification {} attempt {} failed ({}); retry in tier {} at {}", job.notification().getId(),
                job.attempt(), error, tierNames.get(r.tier()), r.dueAt());
    }

    private void dead(Job job, Instant attemptedAt, Integer status, Long latencyMs, String error, String reason) {
        settle(job, attemptedAt, status, latencyMs, error, DeliveryOutcome.DEAD_LETTERED, Outcome.Kind.DEAD, 0, null, null);
        deps.metrics().outcome("dead_lettered");
        deps.metrics().deadLetter(reason);
        log.info("Notification {} of alert {} dead-lettered after attempt {}: {}", job.notification().getId(),
                job.notification().getAlertId(), job.attempt(), error);
    }

    /**
     * The endpoint answered 410 Gone for the alert it was called for: disable that alert — but only
     * if it is still the alert the attempt was made for. The table is first read up to the end of
     * {@code vigil.alerts} ({@link AlertTable#refresh}), then the disabled binding is written only when
     * the alert still exists, is enabled, and has the same version (created and updated times) and
     * callback URL as the binding the attempt used. So a 410 never resurrects an alert deleted
     * meanwhile (the old behaviour rewrote the whole binding from a possibly stale table), nor undoes
     * an update the user made meanwhile. A delete or update written in the milliseconds between the
     * refresh and the write landing is not seen: Kafka has no conditional write; the window is
     * documented in the package DESIGN.md.
     */
    private void disable(Pending p, Instant attemptedAt, Long latencyMs, String statusText) {
        Job job = p.job();
        String alertId = job.notification().getAlertId();
        deps.alerts().refresh(alertId).whenComplete((current, e) -> context.runOnContext(v -> {
            try {
                disableIfUnchanged(p, current, e, attemptedAt, latencyMs, statusText);
            } catch (RuntimeException failure) {
                log.error("Unexpected error disabling alert {}", alertId, failure);
                dead(job, attemptedAt, 410, latencyMs, statusText + ": the alert could not be disabled: " + failure,
                        "gone");
            }
        }));
    }

    private void disableIfUnchanged(Pending p, AlertBinding current, Throwable refreshFailure, Instant attemptedAt,
            Long latencyMs, String statusText) {
        Job job = p.job();
        AlertNotification n = job.notification();
        String unchanged = refreshFailure != null ? "the alert table could not be read: " + refreshFailure
                : current == null ? "the alert was deleted meanwhile"
                : current.getStatus() == AlertStatus.DISABLED ? "the alert is already disabled"
                : !sameVersion(current, p.alert()) ? "the alert was changed meanwhile"
                : null;
        if (unchanged != null) {
            log.info("Alert {}: endpoint {} answered 410 Gone; not disabling it: {}", n.getAlertId(),
                    n.getCallbackUrl(), unchanged);
            dead(job, attemptedAt, 410, latencyMs, statusText + ": " + unchanged + ", not disabled", "gone");
            return;
        }
        Instant now = deps.clock().instant();
        AlertBinding disabled = AlertBinding.newBuilder(current)
                .setStatus(AlertStatus.DISABLED)
                .setDisabledReason("webhook endpoint " + n.getCallbackUrl() + " answered 410 Gone at " + now)
                .setUpdatedAt(now)
                .build();
        // Seen at once by this instance's next jobs; written to vigil.alerts by the pipeline.
        deps.alerts().update(disabled);
        log.warn("Alert {} disabled: its webhook endpoint {} answered 410 Gone", n.getAlertId(), n.getCallbackUrl());
        settle(job, attemptedAt, 410, latencyMs, statusText + ": the alert was disabled", DeliveryOutcome.ALERT_DISABLED,
                Outcome.Kind.DEAD, 0, null, disabled);
        deps.metrics().outcome("alert_disabled");
        deps.metrics().deadLetter("gone");
    }

    /** Same alert version: neither recreated nor updated since {@code seen}, and the same callback. */
    private static boolean sameVersion(AlertBinding current, AlertBinding seen) {
        return current.getCreatedAt().equals(seen.getCreatedAt())
                && current.getUpdatedAt().equals(seen.getUpdatedAt())
                && Objects.equals(current.getCallbackUrl(), seen.getCallbackUrl());
    }

    private void settle(Job job, Instant attemptedAt, Integer status, Long latencyMs, String error, DeliveryOutcome logged,
            Outcome.Kind kind, int tier, Instant dueAt, AlertBinding disabled) {
        AlertNotification n = job.notification();
        WebhookDeliveryAttempt attempt = WebhookDeliveryAttempt.newBuilder()
                .setNotificationId(n.getId())
                .setAlertId(n.getAlertId())
                .setCollectionId(n.getCollectionId())
                .setAttempt(job.attempt())
                .setUrl(n.getCallbackUrl())
                .setAttemptedAt(attemptedAt)
                .setLatencyMs(latencyMs)
                .setStatusCode(status)
                .setError(error)
                .setOutcome(logged)
                .setNextAttemptAt(dueAt)
                .build();
        Instant first = job.firstAttemptAt() != null ? job.firstAttemptAt() : attemptedAt;
        sink.accept(new Outcome(job, attempt, kind, tier, dueAt, job.attempt(), first, status, error,
                deps.clock().instant(), disabled));
    }

    private void breakerSuccess(Endpoint<Pending> endpoint) {
        endpoint.breaker().onSuccess();
    }

    private void breakerFailure(Endpoint<Pending> endpoint, long now) {
        if (endpoint.breaker().onFailure(now)) {
            log.warn("Circuit for {} opened after {} consecutive failures; its notifications go to the retry topics for {}",
                    endpoint.key(), endpoint.breaker().consecutiveFailures(), deps.breakerOpen());
        }
    }

    private void syncCircuitGauge(Endpoint<Pending> endpoint, long now) {
        boolean open = endpoint.breaker().state(now) != CircuitBreaker.State.CLOSED;
        if (open != endpoint.countedOpen()) {
            endpoint.countedOpen(open);
            if (open) {
                deps.metrics().circuitOpened();
            } else {
                deps.metrics().circuitClosed();
                log.info("Circuit for {} closed: the endpoint answers again", endpoint.key());
            }
        }
    }

    /** Forgets endpoints idle for a while and expired addresses; call periodically on the context. */
    public void sweep() {
        long now = System.nanoTime();
        for (Iterator<Endpoint<Pending>> it = endpoints.values().iterator(); it.hasNext(); ) {
            Endpoint<Pending> e = it.next();
            if (e.idleSince(now - IDLE_ENDPOINT_NANOS, now)) {
                if (e.countedOpen()) {
                    deps.metrics().circuitClosed();
                }
                it.remove();
            }
        }
        deps.destinations().evictExpired();
    }

    /** Endpoints currently known (for tests and diagnostics). */
    public int endpointCount() {
        return endpoints.size();
    }
}
