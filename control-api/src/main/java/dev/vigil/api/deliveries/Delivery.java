package dev.vigil.api.deliveries;

import dev.vigil.schemas.alerts.AlertNotification;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * One notification on its way to (or at) an alert's webhook: what the delivery log knows of it.
 * Immutable; the log replaces it on every update.
 *
 * @param notificationId     the notification id, sent as the {@code webhook-id} header on every attempt
 * @param notification       the notification itself (from {@code alerts.fired}, the dead-letter topic or a
 *                           replay request); null when only its attempts are still retained
 * @param attempts           in the order they were made (by {@code at}), at most {@link DeliveryTable#MAX_ATTEMPTS}
 * @param replayRequestedAt  when the latest replay was requested, or null
 */
public record Delivery(String notificationId, String alertId, String collectionId, AlertNotification notification,
        List<Attempt> attempts, Instant replayRequestedAt) {

    /** Newest first: by firing time, then id (a stable order for paging). */
    static final Comparator<Delivery> NEWEST_FIRST = Comparator.comparing(Delivery::firedAt, Comparator.nullsLast(
            Comparator.reverseOrder())).thenComparing(Delivery::notificationId);

    public Delivery {
        attempts = List.copyOf(attempts);
    }

    /** When the alert fired; without the notification, the first known attempt or replay. */
    public Instant firedAt() {
        if (notification != null) {
            return notification.getTimestamp();
        }
        if (!attempts.isEmpty()) {
            return attempts.get(0).at();
        }
        return replayRequestedAt;
    }

    public Attempt lastAttempt() {
        return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
    }

    /**
     * Derived from the last attempt's outcome. A replay counts as requested while no attempt was made
     * after it; this compares the control-api's clock (request time) with the dispatcher's (attempt
     * time), so it assumes clocks in step (NTP) — a dispatcher clock behind by more than the replay's
     * queueing time would show {@code replay_requested} until the next attempt.
     */
    public DeliveryStatus status() {
        Attempt last = lastAttempt();
        if (replayRequestedAt != null && (last == null || replayRequestedAt.isAfter(last.at()))) {
            return DeliveryStatus.REPLAY_REQUESTED;
        }
        if (last == null) {
            return DeliveryStatus.PENDING;
        }
        return switch (last.outcome()) {
            case DELIVERED -> DeliveryStatus.DELIVERED;
            case RETRY_SCHEDULED -> DeliveryStatus.RETRYING;
            case DEAD_LETTERED -> DeliveryStatus.DEAD;
            case ALERT_DISABLED -> DeliveryStatus.DISABLED;
        };
    }

    /** When the next attempt is due, while retrying. */
    public Instant nextAttemptAt() {
        return status() == DeliveryStatus.RETRYING ? lastAttempt().nextAttemptAt() : null;
    }

    /** The webhook URL: the notification's, or the last attempt's. */
    public String callbackUrl() {
        if (notification != null && notification.getCallbackUrl() != null) {
            return notification.getCallbackUrl();
        }
        Attempt last = lastAttempt();
        return last == null ? null : last.url();
    }

    Delivery withNotification(AlertNotification n) {
        return new Delivery(notificationId, alertId, collectionId == null ? n.getCollectionId() : collectionId, n,
                attempts, replayRequestedAt);
    }

    Delivery withAttempts(List<Attempt> updated, String collection) {
        return new Delivery(notificationId, alertId, collectionId == null ? collection : collectionId, notification,
                updated, replayRequestedAt);
    }

    Delivery withReplayRequestedAt(Instant at) {
        return new Delivery(notificationId, alertId, collectionId, notification, attempts, at);
    }
}
