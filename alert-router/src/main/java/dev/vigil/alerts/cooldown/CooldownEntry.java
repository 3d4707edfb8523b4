package dev.vigil.alerts.cooldown;

import java.util.Objects;

/**
 * The last firing of one alert, as kept in the {@code alert-cooldown} store (key = alert id).
 *
 * @param firedAt        timestamp of the record that fired, epoch milliseconds (record time, not
 *                       wall-clock time, so reprocessing decides as the first run did)
 * @param cooldownMillis the alert's cooldown when it fired; bounds how long the entry is kept
 * @param notificationId the id of the notification written then
 */
public record CooldownEntry(long firedAt, long cooldownMillis, String notificationId) {

    public CooldownEntry {
        Objects.requireNonNull(notificationId, "notificationId");
    }
}
