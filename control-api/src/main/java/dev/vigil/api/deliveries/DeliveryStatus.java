package dev.vigil.api.deliveries;

import java.util.Locale;

/** Where a notification's webhook delivery stands, as the API reports it ({@code status} field). */
public enum DeliveryStatus {
    /** Fired, not attempted yet (or deferred behind a backed-up endpoint without using an attempt). */
    PENDING,
    /** The last attempt failed; another is scheduled ({@code next_attempt_at}). */
    RETRYING,
    /** The endpoint answered 2xx. */
    DELIVERED,
    /** Parked in the dead-letter topic: retries exhausted, refused by the endpoint, or not sendable. */
    DEAD,
    /** The endpoint answered 410 Gone: the alert was disabled and the notification parked. */
    DISABLED,
    /** A replay was requested after the last attempt; the dispatcher has not attempted it yet. */
    REPLAY_REQUESTED;

    /** The API spelling: lower case. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a replay may be requested: the delivery is over, one way or the other. */
    public boolean replayable() {
        return this == DELIVERED || this == DEAD || this == DISABLED;
    }
}
