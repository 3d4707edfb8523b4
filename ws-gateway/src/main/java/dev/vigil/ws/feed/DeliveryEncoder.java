package dev.vigil.ws.feed;

import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.index.AudioRecord;
import dev.vigil.schemas.index.SceneRecord;
import dev.vigil.schemas.index.TranscriptRecord;
import dev.vigil.ws.control.ControlRoutes;
import dev.vigil.ws.control.IndexRoute;
import dev.vigil.ws.control.StreamRoute;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns index records and alert notifications into {@link Delivery}s: the frame of ws/DESIGN.md
 * ({@code {"channel","rtstream_id","rtstream_name","index_id","data":{…}}}, times in epoch
 * milliseconds) and the connections it is addressed to.
 *
 * <p>Addressing follows the control plane: an index record goes to its index's
 * {@code ws_connection_id}; a transcript record also to its stream's (VideoDB's
 * {@code connect_rtstream(ws_connection_id=…)}); an alert to its own {@code ws_connection_id}. A
 * control entry of another tenant than the record never addresses it (a connection id is not a
 * capability across tenants). Stateless apart from the directory; used on the feed thread.
 */
public final class DeliveryEncoder {

    private final ControlRoutes directory;

    public DeliveryEncoder(ControlRoutes directory) {
        this.directory = directory;
    }

    public Delivery transcript(TranscriptRecord r) {
        JsonObject data = new JsonObject()
                .put("text", r.getText())
                .put("is_final", r.getIsFinal())
                .put("start", r.getStart().toEpochMilli())
                .put("end", r.getEnd().toEpochMilli());
        List<String> targets = new ArrayList<>(2);
        addIndexTarget(targets, r.getIndexId(), r.getCollectionId());
        StreamRoute stream = directory.stream(r.getRtstreamId());
        if (stream != null && stream.wsConnectionId() != null && stream.collectionId().equals(r.getCollectionId())
                && !targets.contains(stream.wsConnectionId())) {
            targets.add(stream.wsConnectionId());
        }
        return delivery(Channel.TRANSCRIPT, r.getCollectionId(), r.getRtstreamId(), null, r.getIndexId(), List.of(),
                targets, data, r.getEmitTs().toEpochMilli());
    }

    public Delivery scene(SceneRecord r) {
        return labelled(Channel.SCENE_INDEX, r.getCollectionId(), r.getRtstreamId(), r.getIndexId(), r.getText(),
                r.getStart(), r.getEnd(), r.getLabels(), r.getEmitTs());
    }

    public Delivery audio(AudioRecord r) {
        return labelled(Channel.AUDIO_INDEX, r.getCollectionId(), r.getRtstreamId(), r.getIndexId(), r.getText(),
                r.getStart(), r.getEnd(), r.getLabels(), r.getEmitTs());
    }

    /** Scene and audio records have the same frame: text, times and labels, to their index's connection. */
    private Delivery labelled(Channel channel, String collectionId, String rtstreamId, String indexId, String text,
            java.time.Instant start, java.time.Instant end, List<String> labels, java.time.Instant emitTs) {
        JsonObject data = new JsonObject()
                .put("text", text)
                .put("start", start.toEpochMilli())
                .put("end", end.toEpochMilli())
                .put("labels", new JsonArray(new ArrayList<>(labels)));
        List<String> targets = new ArrayList<>(1);
        addIndexTarget(targets, indexId, collectionId);
        return delivery(channel, collectionId, rtstreamId, null, indexId, labels, targets, data, emitTs.toEpochMilli());
    }

    /** An alert frame; {@code triggered: true} as VideoDB's documented alert events carry it. */
    public Delivery alert(AlertNotification n) {
        JsonObject data = new JsonObject()
                .put("id", n.getId())
                .put("event_id", n.getEventId())
                .put("alert_id", n.getAlertId())
                .put("label", n.getLabel())
                .put("triggered", true)
                .put("text", n.getText())
                .put("confidence", n.getConfidence())
                .put("explanation", n.getExplanation())
                .put("start", n.getStart().toEpochMilli())
                .put("end", n.getEnd().toEpochMilli())
                .put("timestamp", n.getTimestamp().toEpochMilli());
        // Recorded streams: the clip around the alert, its player and the snapshot (signed links; absent otherwise).
        putIfPresent(data, "stream_url", n.getStreamUrl());
        putIfPresent(data, "player_url", n.getPlayerUrl());
        putIfPresent(data, "snapshot_url", n.getSnapshotUrl());
        List<String> targets = n.getWsConnectionId() == null ? List.of() : List.of(n.getWsConnectionId());
        String name = n.getRtstreamName().isEmpty() ? null : n.getRtstreamName();
        return delivery(Channel.ALERT, n.getCollectionId(), n.getRtstreamId(), name, n.getIndexId(),
                List.of(n.getLabel()), targets, data, n.getTimestamp().toEpochMilli());
    }

    private static void putIfPresent(JsonObject data, String name, String value) {
        if (value != null) {
            data.put(name, value);
        }
    }

    private void addIndexTarget(List<String> targets, String indexId, String collectionId) {
        IndexRoute index = directory.index(indexId);
        if (index != null && index.wsConnectionId() != null && index.collectionId().equals(collectionId)) {
            targets.add(index.wsConnectionId());
        }
    }

    private Delivery delivery(Channel channel, String collectionId, String rtstreamId, String knownName, String indexId,
            List<String> labels, List<String> targets, JsonObject data, long sourceEpochMillis) {
        String name = knownName;
        if (name == null) {
            StreamRoute stream = directory.stream(rtstreamId);
            // Names are shown to people; a stream of another tenant never lends its name.
            name = stream != null && stream.collectionId().equals(collectionId) ? stream.name() : "";
        }
        String json = new JsonObject()
                .put("channel", channel.wireName())
                .put("rtstream_id", rtstreamId)
                .put("rtstream_name", name)
                .put("index_id", indexId)
                .put("data", data)
                .encode();
        List<String> lowered = labels.isEmpty() ? List.of()
                : labels.stream().map(l -> l.toLowerCase(Locale.ROOT)).toList();
        return new Delivery(channel, collectionId, rtstreamId, indexId, lowered, targets, json, sourceEpochMillis);
    }
}
