package dev.vigil.api.deliveries;

import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.alerts.WebhookDeliveryAttempt;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The delivery log's mutable state, owned by one thread (the log's consumer thread): deliveries by
 * alert and notification id, built from whatever arrives first — a fired notification, an attempt, a
 * dead letter or a replay request — since the topics are read in no particular order relative to
 * each other.
 *
 * <p>Bounded three ways: per alert the {@code perAlert} most recently fired notifications; in all
 * {@code maxDeliveries}, evicting the least recently updated; per notification the last
 * {@value #MAX_ATTEMPTS} attempts (7 per round of the default schedule, so several replays).
 * A record for an evicted notification brings it back with what that record carries.
 *
 * <p>{@link #drainChanges()} hands the changed alerts' deliveries, as immutable lists sorted newest
 * first, to be published to readers on other threads.
 */
final class DeliveryTable {

    static final int MAX_ATTEMPTS = 50;

    private final int perAlert;
    private final int maxDeliveries;
    private final Map<String, Map<String, Delivery>> byAlert = new HashMap<>();
    /** Every delivery as "alertId notificationId", least recently updated first. */
    private final LinkedHashMap<String, String> recency = new LinkedHashMap<>(1024, 0.75f, true);
    private final Set<String> changed = new HashSet<>();

    DeliveryTable(int perAlert, int maxDeliveries) {
        this.perAlert = perAlert;
        this.maxDeliveries = maxDeliveries;
    }

    /** A notification fired (or dead-lettered): its content, kept for replays. Without a callback URL: no webhook, ignored. */
    void notification(AlertNotification n) {
        if (n.getCallbackUrl() == null || n.getCallbackUrl().isBlank()) {
            return;
        }
        Delivery d = getOrCreate(n.getAlertId(), n.getId(), n.getCollectionId());
        if (d.notification() == null) {
            put(d.withNotification(n));
        } else {
            touch(d);
        }
    }

    /** An attempt was logged; duplicates (the log is written at least once) are ignored. */
    void attempt(WebhookDeliveryAttempt a) {
        Delivery d = getOrCreate(a.getAlertId(), a.getNotificationId(), a.getCollectionId());
        Attempt attempt = Attempt.of(a);
        if (d.attempts().stream().anyMatch(attempt::sameAs)) {
            return;
        }
        List<Attempt> attempts = new ArrayList<>(d.attempts());
        attempts.add(attempt);
        // Stable: attempts logged at the same millisecond keep the order they were read in.
        attempts.sort(Comparator.comparing(Attempt::at));
        if (attempts.size() > MAX_ATTEMPTS) {
            attempts = attempts.subList(attempts.size() - MAX_ATTEMPTS, attempts.size());
        }
        put(d.withAttempts(attempts, a.getCollectionId()));
    }

    /** A replay of {@code n} was requested at {@code at} (a fresh delivery on the first retry tier). */
    void replayRequested(AlertNotification n, Instant at) {
        Delivery d = getOrCreate(n.getAlertId(), n.getId(), n.getCollectionId());
        if (d.notification() == null) {
            d = d.withNotification(n);
        }
        if (d.replayRequestedAt() == null || at.isAfter(d.replayRequestedAt())) {
            d = d.withReplayRequestedAt(at);
        }
        put(d);
    }

    private Delivery getOrCreate(String alertId, String notificationId, String collectionId) {
        Map<String, Delivery> deliveries = byAlert.get(alertId);
        Delivery d = deliveries == null ? null : deliveries.get(notificationId);
        return d != null ? d : new Delivery(notificationId, alertId, collectionId, null, List.of(), null);
    }

    private void touch(Delivery d) {
        recency.get(key(d.alertId(), d.notificationId()));
    }

    private void put(Delivery d) {
        Map<String, Delivery> deliveries = byAlert.computeIfAbsent(d.alertId(), a -> new HashMap<>());
        boolean added = deliveries.put(d.notificationId(), d) == null;
        recency.put(key(d.alertId(), d.notificationId()), d.alertId());
        changed.add(d.alertId());
        if (added) {
            if (deliveries.size() > perAlert) {
                evictOldestOf(d.alertId(), deliveries);
            }
            Iterator<Map.Entry<String, String>> eldest = recency.entrySet().iterator();
            while (recency.size() > maxDeliveries) {
                Map.Entry<String, String> e = eldest.next();
                String alertId = e.getValue();
                eldest.remove();
                remove(alertId, e.getKey().substring(alertId.length() + 1));
            }
        }
    }

    /** Drops the alert's least recently fired notification (a scan: only on overflow, at most perAlert + 1 entries). */
    private void evictOldestOf(String alertId, Map<String, Delivery> deliveries) {
        Delivery oldest = null;
        for (Delivery d : deliveries.values()) {
            if (oldest == null || Delivery.NEWEST_FIRST.compare(d, oldest) > 0) {
                oldest = d;
            }
        }
        recency.remove(key(alertId, oldest.notificationId()));
        remove(alertId, oldest.notificationId());
    }

    private void remove(String alertId, String notificationId) {
        Map<String, Delivery> deliveries = byAlert.get(alertId);
        if (deliveries != null) {
            deliveries.remove(notificationId);
            if (deliveries.isEmpty()) {
                byAlert.remove(alertId);
            }
        }
        changed.add(alertId);
    }

    private static String key(String alertId, String notificationId) {
        return alertId + " " + notificationId;
    }

    /** The deliveries of every alert changed since the last call, newest first; an empty list for an alert with none left. */
    Map<String, List<Delivery>> drainChanges() {
        Map<String, List<Delivery>> snapshots = new HashMap<>();
        for (String alertId : changed) {
            Map<String, Delivery> deliveries = byAlert.get(alertId);
            snapshots.put(alertId, deliveries == null ? List.of()
                    : deliveries.values().stream().sorted(Delivery.NEWEST_FIRST).toList());
        }
        changed.clear();
        return snapshots;
    }

    /** Deliveries held. */
    int size() {
        return recency.size();
    }
}
