package dev.vigil.api.deliveries;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.ids.Ids;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.alerts.Channel;
import dev.vigil.schemas.alerts.DeliveryOutcome;
import dev.vigil.schemas.alerts.WebhookDeliveryAttempt;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryTableTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final String ALERT = "a1b2c3d4e5f60718";

    static AlertNotification notification(String alertId, String recordKey, Instant firedAt, String callbackUrl) {
        return AlertNotification.newBuilder()
                .setId(Ids.notificationId(alertId, recordKey))
                .setCollectionId("alpha")
                .setAlertId(alertId)
                .setEventId("0011223344556677")
                .setLabel("person")
                .setRtstreamId("rts-0190a5b2-7c3e-7def-8a12-3456789abcde")
                .setIndexId("8899aabbccddeeff")
                .setChannel(Channel.SCENE_INDEX)
                .setText("a person at the door")
                .setStart(firedAt.minusSeconds(2))
                .setEnd(firedAt.minusSeconds(1))
                .setTimestamp(firedAt)
                .setRecordEmitTs(firedAt)
                .setCallbackUrl(callbackUrl)
                .build();
    }

    static AlertNotification notification(String recordKey, Instant firedAt) {
        return notification(ALERT, recordKey, firedAt, "https://hooks.example.com/in");
    }

    static WebhookDeliveryAttempt attempt(AlertNotification n, int number, Instant at, Integer status, String error,
            DeliveryOutcome outcome, Instant next) {
        return WebhookDeliveryAttempt.newBuilder()
                .setNotificationId(n.getId())
                .setAlertId(n.getAlertId())
                .setCollectionId(n.getCollectionId())
                .setAttempt(number)
                .setUrl(n.getCallbackUrl())
                .setAttemptedAt(at)
                .setLatencyMs(status == null ? null : 12L)
                .setStatusCode(status)
                .setError(error)
                .setOutcome(outcome)
                .setNextAttemptAt(next)
                .build();
    }

    private static List<Delivery> only(Map<String, List<Delivery>> changes) {
        assertThat(changes).containsOnlyKeys(ALERT);
        return changes.get(ALERT);
    }

    @Test
    void aRetriedThenDeliveredNotificationHasBothAttemptsInOrder() {
        DeliveryTable table = new DeliveryTable(100, 1000);
        AlertNotification n = notification("r1", T0);
        table.notification(n);
        table.attempt(attempt(n, 1, T0.plusMillis(5), 503, "HTTP 503", DeliveryOutcome.RETRY_SCHEDULED, T0.plusSeconds(5)));
        Delivery retrying = only(table.drainChanges()).get(0);
        assertThat(retrying.status()).isEqualTo(DeliveryStatus.RETRYING);
        assertThat(retrying.nextAttemptAt()).isEqualTo(T0.plusSeconds(5));

        table.attempt(attempt(n, 2, T0.plusSeconds(5), 200, null, DeliveryOutcome.DELIVERED, null));
        Delivery delivered = only(table.drainChanges()).get(0);
        assertThat(delivered.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(delivered.nextAttemptAt()).isNull();
        assertThat(delivered.attempts()).extracting(Attempt::attempt).containsExactly(1, 2);
        assertThat(delivered.notification()).isEqualTo(n);
    }

    @Test
    void attemptsReadBeforeTheirNotificationAreKeptAndTheContentAddedLater() {
        DeliveryTable table = new DeliveryTable(100, 1000);
        AlertNotification n = notification("r1", T0);
        table.attempt(attempt(n, 1, T0.plusMillis(5), 404, "HTTP 404", DeliveryOutcome.DEAD_LETTERED, null));
        Delivery withoutContent = only(table.drainChanges()).get(0);
        assertThat(withoutContent.status()).isEqualTo(DeliveryStatus.DEAD);
        assertThat(withoutContent.notification()).isNull();
        assertThat(withoutContent.callbackUrl()).isEqualTo(n.getCallbackUrl());

        table.notification(n);
        assertThat(only(table.drainChanges()).get(0).notification()).isEqualTo(n);
    }

    @Test
    void anAttemptLoggedTwiceCountsOnce() {
        DeliveryTable table = new DeliveryTable(100, 1000);
        AlertNotification n = notification("r1", T0);
        WebhookDeliveryAttempt a = attempt(n, 1, T0, 200, null, DeliveryOutcome.DELIVERED, null);
        table.attempt(a);
        table.attempt(a);
        assertThat(only(table.drainChanges()).get(0).attempts()).hasSize(1);
    }

    @Test
    void notificationsWithoutCallbackUrlAreNotWebhookDeliveries() {
        DeliveryTable table = new DeliveryTable(100, 1000);
        table.notification(notification(ALERT, "ws-only", T0, null));
        assertThat(table.drainChanges()).isEmpty();
        assertThat(table.size()).isZero();
    }

    @Test
    void outcomesMapToStatuses() {
        DeliveryTable table = new DeliveryTable(100, 1000);
        AlertNotification pending = notification("p", T0);
        AlertNotification dead = notification("d", T0.plusSeconds(1));
        AlertNotification gone = notification("g", T0.plusSeconds(2));
        table.notification(pending);
        table.notification(dead);
        table.notification(gone);
        table.attempt(attempt(dead, 1, T0.plusSeconds(1), 400, "HTTP 400", DeliveryOutcome.DEAD_LETTERED, null));
        table.attempt(attempt(gone, 1, T0.plusSeconds(2), 410, "HTTP 410", DeliveryOutcome.ALERT_DISABLED, null));
        assertThat(only(table.drainChanges())).extracting(Delivery::status)
                .containsExactly(DeliveryStatus.DISABLED, DeliveryStatus.DEAD, DeliveryStatus.PENDING);
        assertThat(DeliveryStatus.PENDING.replayable()).isFalse();
        assertThat(DeliveryStatus.RETRYING.replayable()).isFalse();
        assertThat(DeliveryStatus.REPLAY_REQUESTED.replayable()).isFalse();
    }

    @Test
    void aReplayIsRequestedUntilTheDispatcherAttemptsItAgain() {
        DeliveryTable table = new DeliveryTable(100, 1000);
        AlertNotification n = notification("r1", T0);
        table.notification(n);
        table.attempt(attempt(n, 1, T0.plusMillis(5), 400, "HTTP 400", DeliveryOutcome.DEAD_LETTERED, null));
        table.replayRequested(n, T0.plusSeconds(60));
        assertThat(only(table.drainChanges()).get(0).status()).isEqualTo(DeliveryStatus.REPLAY_REQUESTED);

        table.attempt(attempt(n, 1, T0.plusSeconds(60).plusMillis(3), 200, null, DeliveryOutcome.DELIVERED, null));
        Delivery replayed = only(table.drainChanges()).get(0);
        assertThat(replayed.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(replayed.attempts()).extracting(Attempt::attempt).containsExactly(1, 1);
        assertThat(replayed.replayRequestedAt()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void eachAlertKeepsItsNewestNotifications() {
        DeliveryTable table = new DeliveryTable(10, 1000);
        for (int i = 0; i < 15; i++) {
            table.notification(notification("r" + i, T0.plusSeconds(i)));
        }
        // The oldest arriving last must not push out a newer one.
        table.notification(notification("late-but-old", T0.minusSeconds(100)));
        List<Delivery> kept = only(table.drainChanges());
        assertThat(kept).hasSize(10);
        assertThat(kept).extracting(Delivery::notificationId)
                .containsExactlyElementsOf(java.util.stream.IntStream.iterate(14, i -> i >= 5, i -> i - 1)
                        .mapToObj(i -> Ids.notificationId(ALERT, "r" + i)).toList());
        assertThat(table.size()).isEqualTo(10);
    }

    @Test
    void theGlobalCapForgetsTheLeastRecentlyUpdated() {
        DeliveryTable table = new DeliveryTable(100, 100);
        AlertNotification first = notification("0000000000000001", "first", T0, "https://hooks.example.com/1");
        table.notification(first);
        for (int i = 0; i < 99; i++) {
            table.notification(notification("00000000000000" + String.format("%02d", i + 10), "r", T0.plusSeconds(i),
                    "https://hooks.example.com/2"));
        }
        // Updated: now the most recent, so the second-oldest goes when the cap is passed.
        table.attempt(attempt(first, 1, T0.plusSeconds(200), 200, null, DeliveryOutcome.DELIVERED, null));
        table.notification(notification("0000000000000200", "r", T0.plusSeconds(300), "https://hooks.example.com/3"));
        Map<String, List<Delivery>> changes = table.drainChanges();
        assertThat(table.size()).isEqualTo(100);
        assertThat(changes.get("0000000000000001")).hasSize(1);
        assertThat(changes.get("0000000000000010")).isEmpty();
    }

    @Test
    void attemptsPerNotificationAreCapped() {
        DeliveryTable table = new DeliveryTable(100, 1000);
        AlertNotification n = notification("r1", T0);
        for (int i = 1; i <= DeliveryTable.MAX_ATTEMPTS + 5; i++) {
            table.attempt(attempt(n, i, T0.plusSeconds(i), 503, "HTTP 503", DeliveryOutcome.RETRY_SCHEDULED, T0.plusSeconds(i + 1)));
        }
        List<Attempt> attempts = only(table.drainChanges()).get(0).attempts();
        assertThat(attempts).hasSize(DeliveryTable.MAX_ATTEMPTS);
        assertThat(attempts.get(0).attempt()).isEqualTo(6);
    }
}
