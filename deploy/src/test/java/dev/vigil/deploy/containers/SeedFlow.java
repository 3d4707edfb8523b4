package dev.vigil.deploy.containers;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The seed's flow, set up with the calls VideoDB's SDK makes (as the demo does): a stream, its
 * transcript, a visual index (OpenCV's detectors on the sampled frames), an audio index over the
 * transcript, the event "intruder" (someone says it) and an alert on the audio index that posts to a
 * webhook. The demo clip says "intruder" once in each 20 s.
 */
public final class SeedFlow {

    public static final String LABEL = "intruder";

    /** What was created; {@code webhookSecret} verifies the deliveries. */
    public record Created(String rtstreamId, String sceneIndexId, String audioIndexId, String eventId, String alertId,
            String webhookSecret) {
    }

    private SeedFlow() {
    }

    public static Created setUp(VigilApi api, String name, String sourceUrl, String callbackUrl) {
        // coll.connect_rtstream(url, name, media_types, sample_rate)
        String rid = api.post("/rtstream", new JsonObject().put("collection_id", "default").put("url", sourceUrl)
                .put("name", name).put("media_types", new JsonArray().add("video").add("audio"))
                .put("sample_rate", 1)).getString("id");
        // rts.start_transcript(); rts.index_audio(batch_config={"type": "time", "value": 2})
        api.post("/rtstream/" + rid + "/transcription", new JsonObject().put("action", "start"));
        // rts.index_visuals(prompt, batch_config={"type": "time", "value": 2, "frame_count": 2})
        String scene = api.post("/rtstream/" + rid + "/index/scene", new JsonObject().put("extraction_type", "time")
                .put("extraction_config", new JsonObject().put("time", 2).put("frame_count", 2))
                .put("prompt", "Describe the scene").put("name", "Warehouse visuals")).getString("rtstream_index_id");
        String audio = api.post("/rtstream/" + rid + "/index/scene", new JsonObject().put("extraction_type", "transcript")
                .put("extraction_config", new JsonObject().put("segmenter", "time").put("segmentation_value", 2))
                .put("prompt", "Describe the sounds").put("name", "Warehouse audio")).getString("rtstream_index_id");
        // conn.create_event(event_prompt, label); aud.create_alert(event_id, callback_url)
        String event = api.post("/rtstream/event", new JsonObject().put("event_prompt", "Detect intruder: someone says 'intruder'")
                .put("label", LABEL)).getString("event_id");
        JsonObject alert = api.post("/rtstream/" + rid + "/index/" + audio + "/alert", new JsonObject()
                .put("event_id", event).put("callback_url", callbackUrl).put("cooldown_s", 5));
        return new Created(rid, scene, audio, event, alert.getString("alert_id"), alert.getString("webhook_secret"));
    }
}
