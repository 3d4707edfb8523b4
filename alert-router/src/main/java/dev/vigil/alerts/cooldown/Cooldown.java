package dev.vigil.alerts.cooldown;

import java.time.Duration;

/**
 * The per-alert cooldown rule: after an alert fires, its matches are suppressed until
 * {@code cooldown} of record time has passed, so one intruder walking through the picture is one
 * notification, not one per scene window.
 *
 * <p>Record time (the index record's Kafka timestamp) rather than wall-clock time: a restart that
 * reprocesses the records since the last commit decides exactly as the first run did. A record older
 * than the last firing is suppressed too (it was already covered by that firing's window or came
 * late), unless the cooldown is zero, which means "every match". The record that fired, seen again, is {@link Decision#REPEAT}: its notification is written
 * again with the same id, so a crash between the cooldown update and the notification write cannot
 * lose the notification; receivers deduplicate on the id.
 */
public final class Cooldown {

    /** What to do with a match. */
    public enum Decision {
        /** Notify and remember this firing. */
        FIRE,
        /** The record that fired last: notify again with the same id; the cooldown window does not move. */
        REPEAT,
        /** Inside the cooldown window: do not notify. */
        SUPPRESS
    }

    /**
     * How long an entry is kept at least, whatever its cooldown: control-api accepts cooldowns up to
     * 24 h, so a cooldown raised after the firing is still honoured when the entry is purged.
     */
    public static final Duration RETENTION_FLOOR = Duration.ofHours(24);

    private Cooldown() {
    }

    /**
     * @param last           the alert's last firing, or null
     * @param notificationId the id this match would notify with
     * @param recordTime     the matching record's timestamp, epoch ms
     * @param cooldown       the alert's current cooldown
     */
    public static Decision decide(CooldownEntry last, String notificationId, long recordTime, Duration cooldown) {
        if (last == null) {
            return Decision.FIRE;
        }
        if (last.notificationId().equals(notificationId)) {
            return Decision.REPEAT;
        }
        if (cooldown.isZero()) {
            return Decision.FIRE;
        }
        // Overflow-safe form of recordTime < firedAt + cooldown.
        return recordTime - last.firedAt() < cooldown.toMillis() ? Decision.SUPPRESS : Decision.FIRE;
    }

    /** Whether {@code entry} can be dropped at stream time {@code now}: no cooldown can still need it. */
    public static boolean expired(CooldownEntry entry, long now) {
        return now - entry.firedAt() > Math.max(entry.cooldownMillis(), RETENTION_FLOOR.toMillis());
    }
}
