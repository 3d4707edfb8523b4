package dev.vigil.standalone.demo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets the demo up through the public REST API, with the calls VideoDB's SDK makes: a looping file
 * stream, a transcript, a visual index and an audio index, the event "Detect intruder" and an alert
 * on the audio index that goes to the WebSocket and to the built-in webhook receiver.
 *
 * <p>Idempotent across restarts: the ids and the webhook secret (returned only once, at the alert's
 * creation) are kept in {@code demo.json}; a later run reuses them while the stream still exists and
 * builds everything anew otherwise (e.g. after the data directory was wiped).
 */
public final class DemoSetup {

    public static final String STREAM_NAME = "Warehouse camera (demo)";
    public static final String EVENT_LABEL = "intruder";
    /** In the rule vocabulary: compiled to a condition on the words heard, shown by GET /rtstream/event. */
    static final String EVENT_PROMPT = "Detect intruder: someone says 'intruder'";
    private static final Logger log = LoggerFactory.getLogger(DemoSetup.class);

    /** What the demo created; {@code webhookSecret} verifies the built-in receiver's deliveries. */
    public record Demo(String rtstreamId, String transcriptIndexId, String sceneIndexId, String audioIndexId,
            String eventId, String alertId, String webhookSecret) {

        JsonObject toJson() {
            return new JsonObject().put("rtstream_id", rtstreamId).put("transcript_index_id", transcriptIndexId)
                    .put("scene_index_id", sceneIndexId).put("audio_index_id", audioIndexId).put("event_id", eventId)
                    .put("alert_id", alertId).put("webhook_secret", webhookSecret);
        }

        static Demo fromJson(JsonObject json) {
            return new Demo(json.getString("rtstream_id"), json.getString("transcript_index_id"),
                    json.getString("scene_index_id"), json.getString("audio_index_id"), json.getString("event_id"),
                    json.getString("alert_id"), json.getString("webhook_secret"));
        }
    }

    private final RestClient rest;
    private final String collectionId;
    private final Path stateFile;

    /** {@code apiKey}: a key of {@code collectionId}, where the demo stream goes. */
    public DemoSetup(URI base, String apiKey, String collectionId, Path stateFile) {
        this.rest = new RestClient(base, apiKey);
        this.collectionId = collectionId;
        this.stateFile = stateFile;
    }

    /** The demo's stream, indexes, event and alert, created unless the last run's still exist. */
    public Demo ensure(Path clip, String callbackUrl, String wsConnectionId) throws IOException, InterruptedException {
        Demo previous = load();
        if (previous != null && rest.call("GET", "/rtstream/" + previous.rtstreamId(), null).statusCode() == 200) {
            log.info("Reusing the demo stream {} from {}", previous.rtstreamId(), stateFile);
            rest.ok("PATCH", "/rtstream/" + previous.rtstreamId() + "/status", new JsonObject().put("action", "start"));
            return previous;
        }
        Demo demo = create(clip, callbackUrl, wsConnectionId);
        Files.createDirectories(stateFile.getParent());
        Files.writeString(stateFile, demo.toJson().encodePrettily());
        return demo;
    }

    private Demo create(Path clip, String callbackUrl, String ws) throws IOException, InterruptedException {
        // coll.connect_rtstream(url, name, media_types, sample_rate, store=True): one frame a second is plenty
        // for 2 s scene windows and keeps the 2-core demo machine cool; store records it, so alerts have clips.
        String rid = rest.ok("POST", "/rtstream", new JsonObject().put("collection_id", collectionId)
                .put("url", clip.toUri() + "?loop=true").put("name", STREAM_NAME)
                .put("media_types", new JsonArray().add("video").add("audio")).put("sample_rate", 1).put("store", true)).getString("id");
        // rts.start_transcript()
        String transcript = rest.ok("POST", "/rtstream/" + rid + "/transcription", withSocket(new JsonObject().put("action", "start"), ws))
                .getString("rtstream_index_id");
        // rts.index_visuals(prompt, batch_config={"type":"time","value":2,"frame_count":2})
        String scene = rest.ok("POST", "/rtstream/" + rid + "/index/scene", withSocket(new JsonObject().put("extraction_type", "time")
                .put("extraction_config", new JsonObject().put("time", 2).put("frame_count", 2))
                .put("prompt", "Describe the scene").put("name", "Warehouse visuals"), ws)).getString("rtstream_index_id");
        // rts.index_audio(batch_config={"type":"time","value":2})
        String audio = rest.ok("POST", "/rtstream/" + rid + "/index/scene", withSocket(new JsonObject().put("extraction_type", "transcript")
                .put("extraction_config", new JsonObject().put("segmenter", "time").put("segmentation_value", 2))
                .put("prompt", "Describe the sounds").put("name", "Warehouse audio"), ws)).getString("rtstream_index_id");
        // conn.create_event(event_prompt, label)
        String event = rest.ok("POST", "/rtstream/event", new JsonObject().put("event_prompt", EVENT_PROMPT)
                .put("label", EVENT_LABEL)).getString("event_id");
        // aud.create_alert(event_id, callback_url): the cooldown lets it fire once per 20 s loop of the clip.
        JsonObject alert = rest.ok("POST", "/rtstream/" + rid + "/index/" + audio + "/alert", withSocket(new JsonObject()
                .put("event_id", event).put("callback_url", callbackUrl).put("cooldown_s", 10), ws));
        log.info("Demo set up: stream {}, indexes {} {} {}, event {}, alert {}", rid, transcript, scene, audio, event,
                alert.getString("alert_id"));
        return new Demo(rid, transcript, scene, audio, event, alert.getString("alert_id"), alert.getString("webhook_secret"));
    }

    /** The SDK sends ws_connection_id only when it has one. */
    private static JsonObject withSocket(JsonObject body, String wsConnectionId) {
        return wsConnectionId == null ? body : body.put("ws_connection_id", wsConnectionId);
    }

    private Demo load() throws IOException {
        if (!Files.isRegularFile(stateFile)) {
            return null;
        }
        try {
            return Demo.fromJson(new JsonObject(Files.readString(stateFile)));
        } catch (RuntimeException e) {
            log.warn("Ignoring unreadable {}: {}", stateFile, e.getMessage());
            return null;
        }
    }
}
