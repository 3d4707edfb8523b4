package dev.vigil.webhooks.delivery;

import dev.vigil.schemas.alerts.AlertNotification;
import java.time.Instant;

/**
 * One notification to attempt now.
 *
 * @param token identifies the input record; handed back in the {@link Outcome} so the pipeline can
 *              settle that record's offset
 * @param previousAttempts attempts already made (0 for a fresh notification or a replay)
 * @param firstAttemptAt time of the first attempt; null when this is the first
 */
public record Job(Object token, AlertNotification notification, int previousAttempts, Instant firstAttemptAt) {

    /** The number of the attempt this job makes, from 1. */
    public int attempt() {
        return previousAttempts + 1;
    }
}
