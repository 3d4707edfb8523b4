package dev.vigil.ws;

import dev.vigil.common.ids.Ids;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.alerts.Channel;
import dev.vigil.schemas.control.IndexSpec;
import dev.vigil.schemas.control.IndexType;
import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.schemas.index.AudioRecord;
import dev.vigil.schemas.index.SceneRecord;
import dev.vigil.schemas.index.TranscriptRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Builders for the Avro records the gateway reads, with only what a test cares about as parameters. */
public final class Records {

    /** Media times of every record: fixed, so frames can be compared exactly. */
    public static final Instant START = Instant.parse("2025-01-01T10:00:00.000Z");
    public static final Instant END = Instant.parse("2025-01-01T10:00:02.500Z");

    static {
        // Avro trusts the generated classes (enums, nested records such as SceneRecord's detections) once the
        // catalogue's serdes exist; builders that copy or default them need that first.
        java.util.Objects.requireNonNull(dev.vigil.schemas.Topics.ALERTS_FIRED.valueSerde());
    }

    private Records() {
    }

    public static RtStreamSpec stream(String id, String collectionId, String name, String wsConnectionId) {
        Instant now = Instant.now();
        return RtStreamSpec.newBuilder()
                .setId(id)
                .setCollectionId(collectionId)
                .setName(name)
                .setUrl("rtsp://camera.example/" + name)
                .setWsConnectionId(wsConnectionId)
                .setCreatedAt(now)
                .setUpdatedAt(now)
                .build();
    }

    public static IndexSpec index(String id, String rtstreamId, String collectionId, IndexType type, String wsConnectionId) {
        Instant now = Instant.now();
        return IndexSpec.newBuilder()
                .setId(id)
                .setRtstreamId(rtstreamId)
                .setCollectionId(collectionId)
                .setIndexType(type)
                .setWsConnectionId(wsConnectionId)
                .setExtractionConfig(Map.of())
                .setCreatedAt(now)
                .setUpdatedAt(now)
                .build();
    }

    public static TranscriptRecord transcript(String rtstreamId, String collectionId, String indexId, String text) {
        Instant now = Instant.now();
        return TranscriptRecord.newBuilder()
                .setRtstreamId(rtstreamId)
                .setCollectionId(collectionId)
                .setIndexId(indexId)
                .setStart(START)
                .setEnd(END)
                .setText(text)
                .setIsFinal(true)
                .setEngine("test")
                .setCaptureTs(now)
                .setEmitTs(now)
                .build();
    }

    public static SceneRecord scene(String rtstreamId, String collectionId, String indexId, String text, List<String> labels) {
        Instant now = Instant.now();
        return SceneRecord.newBuilder()
                .setRtstreamId(rtstreamId)
                .setCollectionId(collectionId)
                .setIndexId(indexId)
                .setStart(START)
                .setEnd(END)
                .setText(text)
                .setLabels(labels)
                .setEngine("test")
                .setCaptureTs(now)
                .setEmitTs(now)
                .build();
    }

    public static AudioRecord audio(String rtstreamId, String collectionId, String indexId, String text, List<String> labels) {
        Instant now = Instant.now();
        return AudioRecord.newBuilder()
                .setRtstreamId(rtstreamId)
                .setCollectionId(collectionId)
                .setIndexId(indexId)
                .setStart(START)
                .setEnd(END)
                .setText(text)
                .setLabels(labels)
                .setEngine("test")
                .setCaptureTs(now)
                .setEmitTs(now)
                .build();
    }

    public static AlertNotification alert(String rtstreamId, String collectionId, String indexId, String label,
            String wsConnectionId) {
        return alert(rtstreamId, "Gate camera", collectionId, indexId, label, wsConnectionId);
    }

    public static AlertNotification alert(String rtstreamId, String rtstreamName, String collectionId, String indexId,
            String label, String wsConnectionId) {
        Instant now = Instant.now();
        String alertId = Ids.shortId();
        return AlertNotification.newBuilder()
                .setId(Ids.notificationId(alertId, rtstreamId + "@" + now.toEpochMilli()))
                .setCollectionId(collectionId)
                .setAlertId(alertId)
                .setEventId(Ids.shortId())
                .setLabel(label)
                .setRtstreamId(rtstreamId)
                .setRtstreamName(rtstreamName)
                .setIndexId(indexId)
                .setChannel(Channel.SCENE_INDEX)
                .setText("a person at the gate")
                .setConfidence(0.9)
                .setExplanation("people >= 1")
                .setStart(START)
                .setEnd(END)
                .setTimestamp(now)
                .setRecordEmitTs(now)
                .setWsConnectionId(wsConnectionId)
                .build();
    }
}
