package dev.vigil.webhooks.testing;

import dev.vigil.common.ids.Ids;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.alerts.Channel;
import dev.vigil.schemas.control.AlertBinding;
import dev.vigil.schemas.control.AlertStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Alert bindings and notifications as the control-api and alert-router write them. */
public final class Fixtures {

    private Fixtures() {
    }

    public static AlertBinding alert(String alertId, String callbackUrl, String secret) {
        Instant now = Instant.now();
        return AlertBinding.newBuilder()
                .setId(alertId)
                .setCollectionId("default")
                .setRtstreamId(Ids.rtstreamId())
                .setIndexId(Ids.shortId())
                .setEventId(Ids.shortId())
                .setCallbackUrl(callbackUrl)
                .setWsConnectionId(null)
                .setStatus(AlertStatus.ENABLED)
                .setDisabledReason(null)
                .setCooldownS(0)
                .setWebhookSecret(secret)
                .setCreatedAt(now)
                .setUpdatedAt(now)
                .build();
    }

    public static AlertNotification notification(String alertId, String callbackUrl, String recordKey) {
        Instant now = Instant.now();
        return AlertNotification.newBuilder()
                .setId(Ids.notificationId(alertId, recordKey))
                .setCollectionId("default")
                .setAlertId(alertId)
                .setEventId("event-3fd4174feceb6162")
                .setLabel("person_detected")
                .setRtstreamId("rts-0190a5b2-7c3e-7def-8a12-3456789abcde")
                .setRtstreamName("Front door")
                .setIndexId("a1b2c3d4e5f60718")
                .setChannel(Channel.SCENE_INDEX)
                .setText("A person walks up to the \"front\" door")
                .setConfidence(0.87)
                .setExplanation("labels.person >= 1")
                .setStart(Instant.ofEpochMilli(1_700_000_000_500L))
                .setEnd(Instant.ofEpochMilli(1_700_000_002_000L))
                .setTimestamp(now)
                .setRecordEmitTs(now)
                .setCallbackUrl(callbackUrl)
                .setWsConnectionId(null)
                .build();
    }

    /** Headers as the Standard Webhooks verifier takes them. */
    public static Map<String, List<String>> verifierHeaders(Map<String, List<String>> received) {
        return new TreeMap<>(received);
    }
}
