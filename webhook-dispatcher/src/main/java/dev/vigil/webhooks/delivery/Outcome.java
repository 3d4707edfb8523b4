package dev.vigil.webhooks.delivery;

import dev.vigil.schemas.alerts.WebhookDeliveryAttempt;
import dev.vigil.schemas.control.AlertBinding;
import java.time.Instant;

/**
 * What became of one {@link Job}: the attempt to log and where the notification goes next. The
 * pipeline writes it to Kafka and, once every write is acknowledged, settles the job's input record.
 *
 * @param attempt       the delivery-log record of this attempt; null for a deferral (no attempt was made)
 * @param kind          delivered, retry (in {@code tier} until {@code dueAt}) or dead-lettered
 * @param attempts      attempts made so far, including this one
 * @param firstAttemptAt time of the notification's first attempt
 * @param lastStatus    HTTP status of this attempt, null without answer
 * @param lastError     why this attempt failed, null when delivered
 * @param disabledAlert the alert binding to write back (410 Gone), or null
 */
public record Outcome(Job job, WebhookDeliveryAttempt attempt, Kind kind, int tier, Instant dueAt, int attempts,
        Instant firstAttemptAt, Integer lastStatus, String lastError, Instant decidedAt, AlertBinding disabledAlert) {

    /** Where the notification goes. */
    public enum Kind {
        /** Done: the endpoint answered 2xx. */
        DELIVERED,
        /** Waits in retry tier {@code tier} until {@code dueAt}. */
        RETRY,
        /** Parked in the dead-letter topic with {@code lastError}. */
        DEAD
    }
}
