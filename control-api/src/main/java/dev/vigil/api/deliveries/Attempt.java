package dev.vigil.api.deliveries;

import dev.vigil.schemas.alerts.DeliveryOutcome;
import dev.vigil.schemas.alerts.WebhookDeliveryAttempt;
import java.time.Instant;

/**
 * One attempt to deliver a notification, as logged by the dispatcher on {@code vigil.webhooks.attempts}.
 * Attempt numbers start again at 1 after a replay.
 */
public record Attempt(int attempt, Instant at, String url, Integer statusCode, Long latencyMs, String error,
        DeliveryOutcome outcome, Instant nextAttemptAt) {

    static Attempt of(WebhookDeliveryAttempt a) {
        return new Attempt(a.getAttempt(), a.getAttemptedAt(), a.getUrl(), a.getStatusCode(), a.getLatencyMs(),
                a.getError(), a.getOutcome(), a.getNextAttemptAt());
    }

    /** The same attempt logged twice (the dispatcher's log is at least once). */
    boolean sameAs(Attempt other) {
        return attempt == other.attempt && at.equals(other.at) && outcome == other.outcome;
    }
}
