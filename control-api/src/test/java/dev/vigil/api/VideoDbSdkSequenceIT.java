package dev.vigil.api;

import static dev.vigil.api.SdkClients.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.SdkClients.Wire;

import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.TestKafka;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Replays, byte for byte, what VideoDB's SDKs put on the wire for the live calls
 * (docs/videodb-wire.md §12 and §10), and checks every answer carries what the SDK reads.
 *
 * <p>The Python SDK 0.4.x sends through {@code requests}: {@code json.dumps} bodies (", " and ": "
 * separators, {@code None} as {@code null}), {@code Content-Type: application/json} on every request
 * including GETs, {@code base_url + "/" + path}. The Node SDK (npm 0.2.0) sends compact
 * {@code JSON.stringify} bodies without {@code undefined} keys and {@code Content-Type} only on bodied
 * methods; older Node builds add a trailing {@code /} to POST/PATCH/DELETE, camelCase→snake_case their
 * bodies (so {@code socketId} arrives as {@code socket_id}) and switch transcription with
 * {@code PATCH /rtstream/{id}/transcription/status}.
 *
 * <p>No WebSocket server runs here: the connection id is a syntactically valid {@code wsc-…} id, which
 * is all the control API checks.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VideoDbSdkSequenceIT {

    private static final String WS = "wsc-0123456789abcdef";
    private static final String CALLBACK = "https://hooks.example.com/alerts";

    private ControlApiHarness api;
    private SdkClients sdk;

    @BeforeAll
    void start(TestKafka kafka) throws Exception {
        api = ControlApiHarness.start(kafka, Map.of());
        sdk = new SdkClients(api.port());
    }

    @AfterAll
    void stop() throws Exception {
        api.close();
    }

    /** The keys RTStream(...) reads (Python splats data into the constructor: id is mandatory). */
    private static void assertRtstream(JsonObject data, String name, String status) {
        assertThat(data.getString("id")).matches("rts-[0-9a-f-]{36}");
        assertThat(data.getString("name")).isEqualTo(name);
        assertThat(data.getString("collection_id")).isEqualTo("alpha");
        assertThat(data.getString("status")).isEqualTo(status);
        assertThat(data.getValue("sample_rate")).isInstanceOf(Integer.class);
        assertThat(Instant.parse(data.getString("created_at"))).isBefore(Instant.now().plusSeconds(5));
        assertThat(data.getJsonArray("media_types")).isNotEmpty();
    }

    /** The keys RTStreamSceneIndex(...) reads; rtstream_index_id is mandatory. */
    private static String assertIndex(JsonObject data, String extractionType, JsonObject extractionConfig, String prompt,
            String name) {
        assertThat(data.getString("rtstream_index_id")).matches("[0-9a-f]{16}");
        assertThat(data.getString("extraction_type")).isEqualTo(extractionType);
        assertThat(data.getJsonObject("extraction_config")).isEqualTo(extractionConfig);
        assertThat(data.getString("prompt")).isEqualTo(prompt);
        assertThat(data.getString("name")).isEqualTo(name);
        assertThat(data.getString("status")).isEqualTo("connected");
        return data.getString("rtstream_index_id");
    }

    private static JsonObject onlyAlert(JsonObject listData, String alertId) {
        assertThat(listData.getValue("alerts")).isInstanceOf(JsonArray.class);
        List<JsonObject> matching = listData.getJsonArray("alerts").stream().map(JsonObject.class::cast)
                .filter(a -> alertId.equals(a.getString("alert_id"))).toList();
        assertThat(matching).as("alert %s in %s", alertId, listData).hasSize(1);
        return matching.get(0);
    }

    private static List<String> ids(JsonArray results) {
        return results.stream().map(JsonObject.class::cast).map(r -> r.getString("id")).toList();
    }

    // ---------------------------------------------------------------- Python 0.4.x

    @Test
    void pythonSdk04SequenceGetsEveryKeyItReads() throws Exception {
        // conn.get_collection()
        JsonObject collection = ok(sdk.python("GET", "collection/default", null));
        assertThat(collection.getString("id")).isEqualTo("alpha");
        assertThat(collection.getString("name")).isNotBlank();
        assertThat(collection.getValue("description")).isInstanceOf(String.class);
        assertThat(collection.getValue("is_public")).isEqualTo(false);
        String cid = collection.getString("id");

        // ws = conn.connect_websocket(collection_id="default"): only the REST half here.
        JsonObject socket = ok(sdk.python("GET", "collection/default/websocket", null));
        URI wsUrl = URI.create(socket.getString("websocket_url"));
        assertThat(wsUrl.isAbsolute()).isTrue();
        assertThat(wsUrl.getScheme()).isEqualTo("ws");
        assertThat(wsUrl.getHost()).isEqualTo("127.0.0.1");
        assertThat(wsUrl.getPort()).isEqualTo(api.port());
        assertThat(wsUrl.getPath()).isEqualTo("/ws");
        assertThat(wsUrl.getRawQuery()).as("the URL itself authorises the socket").matches("ticket=[A-Za-z0-9._~%-]+");

        // coll.connect_rtstream(url=..., name="gate", media_types=["video","audio"], ws_connection_id=WS)
        JsonObject rts = ok(sdk.python("POST", "rtstream", "{\"collection_id\": \"" + cid + "\", \"url\": \"rtsp://cam/1\", "
                + "\"name\": \"gate\", \"media_types\": [\"video\", \"audio\"], \"ws_connection_id\": \"" + WS + "\"}"));
        assertRtstream(rts, "gate", "connected");
        assertThat(rts.getJsonArray("media_types")).containsExactly("video", "audio");
        String rid = rts.getString("id");

        // rts.start_transcript(ws_connection_id=WS)
        JsonObject transcript = ok(sdk.python("POST", "rtstream/" + rid + "/transcription",
                "{\"action\": \"start\", \"engine\": \"assemblyai\", \"ws_connection_id\": \"" + WS + "\"}"));
        assertThat(transcript.getString("status")).isEqualTo("running");
        assertThat(transcript.getString("engine")).isNotBlank();

        // vis = rts.index_visuals(prompt=..., batch_config={"type":"time","value":5,"frame_count":2}, name="visual", ws_connection_id=WS)
        JsonObject visual = ok(sdk.python("POST", "rtstream/" + rid + "/index/scene",
                "{\"extraction_type\": \"time\", \"extraction_config\": {\"time\": 5, \"frame_count\": 2}, "
                        + "\"prompt\": \"Describe activity\", \"model_name\": null, \"model_config\": {}, \"name\": \"visual\", "
                        + "\"ws_connection_id\": \"" + WS + "\"}"));
        String vis = assertIndex(visual, "time", new JsonObject().put("frame_count", 2).put("time", 5), "Describe activity", "visual");

        // aud = rts.index_audio(prompt=..., batch_config={"type":"word","value":50}, ws_connection_id=WS)
        JsonObject audio = ok(sdk.python("POST", "rtstream/" + rid + "/index/scene",
                "{\"extraction_type\": \"transcript\", \"extraction_config\": {\"segmenter\": \"word\", \"segmentation_value\": 50}, "
                        + "\"prompt\": \"Summarise speech\", \"model_name\": null, \"model_config\": {}, \"name\": null, "
                        + "\"ws_connection_id\": \"" + WS + "\"}"));
        String aud = assertIndex(audio, "transcript", new JsonObject().put("segmentation_value", 50).put("segmenter", "word"),
                "Summarise speech", null);
        assertThat(aud).isNotEqualTo(vis);

        // rts.get_scene_index(vis) and rts.list_scene_indexes()
        assertIndex(ok(sdk.python("GET", "rtstream/" + rid + "/index/" + vis, null)), "time",
                new JsonObject().put("frame_count", 2).put("time", 5), "Describe activity", "visual");
        JsonArray sceneIndexes = ok(sdk.python("GET", "rtstream/" + rid + "/index/scene", null)).getJsonArray("scene_indexes");
        assertThat(sceneIndexes.stream().map(i -> ((JsonObject) i).getString("rtstream_index_id"))).contains(vis, aud);

        // event_id = conn.create_event(event_prompt=..., label="intrusion"). The doc's "Person climbs the fence"
        // is outside the rule vocabulary (422, see pythonSdkErrorsCarryAMessageItCanShow), so an understood prompt.
        JsonObject event = ok(sdk.python("POST", "rtstream/event",
                "{\"event_prompt\": \"An intruder on camera\", \"label\": \"intrusion\"}"));
        String eventId = event.getString("event_id");
        assertThat(eventId).matches("[0-9a-f]{16}");

        // alert_id = vis.create_alert(event_id, callback_url=..., ws_connection_id=WS)
        JsonObject alert = ok(sdk.python("POST", "rtstream/" + rid + "/index/" + vis + "/alert",
                "{\"event_id\": \"" + eventId + "\", \"callback_url\": \"" + CALLBACK + "\", \"ws_connection_id\": \"" + WS + "\"}"));
        String alertId = alert.getString("alert_id");
        assertThat(alertId).matches("[0-9a-f]{16}");

        // vis.list_alerts()
        JsonObject listed = onlyAlert(ok(sdk.python("GET", "rtstream/" + rid + "/index/" + vis + "/alert", null)), alertId);
        assertThat(listed.getString("event_id")).isEqualTo(eventId);
        assertThat(listed.getString("label")).isEqualTo("intrusion");
        assertThat(listed.getString("prompt")).isEqualTo("An intruder on camera");
        assertThat(listed.getString("callback_url")).isEqualTo(CALLBACK);
        assertThat(listed.getString("status")).isEqualTo("enabled");

        // vis.disable_alert(alert_id), then vis.enable_alert(alert_id)
        String alertStatus = "rtstream/" + rid + "/index/" + vis + "/alert/" + alertId + "/status";
        ok(sdk.python("PATCH", alertStatus, "{\"action\": \"disable\"}"));
        assertThat(onlyAlert(ok(sdk.python("GET", "rtstream/" + rid + "/index/" + vis + "/alert", null)), alertId)
                .getString("status")).isEqualTo("disabled");
        ok(sdk.python("PATCH", alertStatus, "{\"action\": \"enable\"}"));
        assertThat(onlyAlert(ok(sdk.python("GET", "rtstream/" + rid + "/index/" + vis + "/alert", null)), alertId)
                .getString("status")).isEqualTo("enabled");

        // coll.list_rtstreams() (no query: requests drops None params) and coll.get_rtstream(rid)
        JsonObject list = ok(sdk.python("GET", "rtstream", null));
        assertThat(list.getValue("results")).isInstanceOf(JsonArray.class);
        assertThat(ids(list.getJsonArray("results"))).contains(rid).doesNotContainNull();
        assertRtstream(ok(sdk.python("GET", "rtstream/" + rid, null)), "gate", "connected");

        // rts.stop() / rts.start()
        ok(sdk.python("PATCH", "rtstream/" + rid + "/status", "{\"action\": \"stop\"}"));
        assertRtstream(ok(sdk.python("GET", "rtstream/" + rid, null)), "gate", "stopped");
        ok(sdk.python("PATCH", "rtstream/" + rid + "/status", "{\"action\": \"start\"}"));
        assertRtstream(ok(sdk.python("GET", "rtstream/" + rid, null)), "gate", "connected");

        // rts.stop_transcript()
        assertThat(ok(sdk.python("POST", "rtstream/" + rid + "/transcription", "{\"action\": \"stop\", \"engine\": \"assemblyai\"}"))
                .getString("status")).isEqualTo("stopped");
    }

    @Test
    void pythonSdkNullsGetServerDefaults() throws Exception {
        // coll.connect_rtstream(url, name) with every optional left None: only the four always-sent keys.
        String rid = ok(sdk.python("POST", "rtstream",
                "{\"collection_id\": \"alpha\", \"url\": \"rtmp://live.example.com/app/key\", \"name\": \"bare\", "
                        + "\"media_types\": [\"video\"]}")).getString("id");

        // rts.index_visuals() without batch_config: extraction_config, prompt, model_name, name are null.
        JsonObject visual = ok(sdk.python("POST", "rtstream/" + rid + "/index/scene",
                "{\"extraction_type\": \"time\", \"extraction_config\": null, \"prompt\": null, \"model_name\": null, "
                        + "\"model_config\": {}, \"name\": null}"));
        String vis = assertIndex(visual, "time", new JsonObject().put("frame_count", 5).put("time", 2), "Describe the scene", null);

        // rts.index_visuals(batch_config={"type":"time","value":10}): frame_count arrives as null.
        assertIndex(ok(sdk.python("POST", "rtstream/" + rid + "/index/scene",
                "{\"extraction_type\": \"time\", \"extraction_config\": {\"time\": 10, \"frame_count\": null}, \"prompt\": null, "
                        + "\"model_name\": null, \"model_config\": {}, \"name\": null}")),
                "time", new JsonObject().put("frame_count", 5).put("time", 10), "Describe the scene", null);

        // rts.index_audio() without batch_config.
        JsonObject audio = ok(sdk.python("POST", "rtstream/" + rid + "/index/scene",
                "{\"extraction_type\": \"transcript\", \"extraction_config\": null, \"prompt\": null, \"model_name\": null, "
                        + "\"model_config\": {}, \"name\": null}"));
        assertThat(audio.getString("extraction_type")).isEqualTo("transcript");
        assertThat(audio.getJsonObject("extraction_config"))
                .isEqualTo(new JsonObject().put("segmentation_value", 10).put("segmenter", "word"));

        // rts.start_transcript() without a socket.
        assertThat(ok(sdk.python("POST", "rtstream/" + rid + "/transcription", "{\"action\": \"start\", \"engine\": \"assemblyai\"}"))
                .getString("status")).isEqualTo("running");

        // vis.create_alert(event_id, callback_url=None): a WebSocket-only alert (docs), callback_url is null.
        String eventId = ok(sdk.python("POST", "rtstream/event", "{\"event_prompt\": \"a person\", \"label\": \"person\"}"))
                .getString("event_id");
        String alertId = ok(sdk.python("POST", "rtstream/" + rid + "/index/" + vis + "/alert",
                "{\"event_id\": \"" + eventId + "\", \"callback_url\": null}")).getString("alert_id");
        JsonObject listed = onlyAlert(ok(sdk.python("GET", "rtstream/" + rid + "/index/" + vis + "/alert", null)), alertId);
        assertThat(listed.getString("callback_url")).isNull();
        assertThat(listed.getString("status")).isEqualTo("enabled");

        // conn.list_events() and coll.list_rtstreams(limit=1, ordering="-created_at")
        assertThat(ok(sdk.python("GET", "rtstream/event", null)).getJsonArray("events").stream()
                .map(e -> ((JsonObject) e).getString("event_id"))).contains(eventId);
        JsonArray page = ok(sdk.python("GET", "rtstream?limit=1&ordering=-created_at", null)).getJsonArray("results");
        assertThat(ids(page)).containsExactly(rid);
    }

    @Test
    void pythonBaseUrlWithATrailingSlashDoublesEverySlash() throws Exception {
        // connect(base_url="http://host:port/") → base_url + "/" + path = "//rtstream/…", on every method.
        assertThat(ok(sdk.python("GET", "/collection/default/websocket", null)).getString("websocket_url")).startsWith("ws://");
        String rid = ok(sdk.python("POST", "/rtstream", "{\"collection_id\": \"alpha\", \"url\": \"rtsp://cam/9\", "
                + "\"name\": \"slashes\", \"media_types\": [\"video\"]}")).getString("id");
        String vis = ok(sdk.python("POST", "/rtstream/" + rid + "/index/scene", "{\"extraction_type\": \"time\", "
                + "\"extraction_config\": null, \"prompt\": null, \"model_name\": null, \"model_config\": {}, \"name\": null}"))
                .getString("rtstream_index_id");
        ok(sdk.python("PATCH", "/rtstream/" + rid + "/index/scene/" + vis + "/status", "{\"action\": \"stop\"}"));
        ok(sdk.python("PATCH", "/rtstream/" + rid + "/status", "{\"action\": \"stop\"}"));
        assertRtstream(ok(sdk.python("GET", "/rtstream/" + rid, null)), "slashes", "stopped");
    }

    @Test
    void pythonSdkErrorsCarryAMessageItCanShow() throws Exception {
        // raise_for_status: 401 → AuthenticationError("Error: <message>"), else InvalidRequestError(<message>).
        Wire missing = sdk.python("GET", "rtstream/rts-00000000-0000-7000-8000-000000000000", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().getBoolean("success")).isFalse();
        assertThat(missing.json().getString("message")).isNotBlank();

        // Vigil compiles prompts with a fixed vocabulary: the doc's example prompt is refused with a 422 whose
        // message the SDK shows as InvalidRequestError("Invalid request: <message>").
        Wire refused = sdk.python("POST", "rtstream/event", "{\"event_prompt\": \"Person climbs the fence\", \"label\": \"intrusion\"}");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().getBoolean("success")).isFalse();
        assertThat(refused.json().getString("error_code")).isEqualTo("prompt_not_understood");
        assertThat(refused.json().getString("message")).contains("\"climbs\"", "\"fence\"");

        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-access-token", "wrong-key-0123456789");
        headers.put("x-videodb-client", "videodb-python/0.4.2");
        headers.put("Content-Type", "application/json");
        Wire unauthorised = sdk.send("GET", "/collection/default", headers, null);
        assertThat(unauthorised.status()).isEqualTo(401);
        assertThat(unauthorised.json().getString("message")).isNotBlank();
    }

    // ---------------------------------------------------------------- Node (npm 0.2.0 and older builds)

    @Test
    void nodeSdkSequenceWithTimeBasedExtractionAndOmittedKeys() throws Exception {
        String v = "0.2.0";
        // conn.getCollection(); conn.connectWebsocket()
        String cid = ok(sdk.node(v, "GET", "/collection/default", null)).getString("id");
        assertThat(cid).isEqualTo("alpha");
        assertThat(ok(sdk.node(v, "GET", "/collection/" + cid + "/websocket", null)).getString("websocket_url")).startsWith("ws://");

        // coll.connectRTStream(url, name, ['video','audio'], undefined, undefined, true, WS)
        JsonObject rts = ok(sdk.node(v, "POST", "/rtstream", "{\"collection_id\":\"" + cid + "\",\"url\":\"rtsp://cam/2\","
                + "\"name\":\"yard\",\"media_types\":[\"video\",\"audio\"],\"enable_transcript\":true,\"ws_connection_id\":\"" + WS + "\"}"));
        assertRtstream(rts, "yard", "connected");
        String rid = rts.getString("id");

        // rts.startTranscript(WS) → engine defaults to 'assemblyai'
        assertThat(ok(sdk.node(v, "POST", "/rtstream/" + rid + "/transcription",
                "{\"action\":\"start\",\"engine\":\"assemblyai\",\"ws_connection_id\":\"" + WS + "\"}")).getString("status"))
                .isEqualTo("running");

        // rts.indexVisuals({batchConfig:{type:'time',value:5,frameCount:2}, prompt, socketId}): type 'time' → 'time_based',
        // modelName and name undefined (omitted).
        JsonObject visual = ok(sdk.node(v, "POST", "/rtstream/" + rid + "/index/scene",
                "{\"extraction_type\":\"time_based\",\"extraction_config\":{\"time\":5,\"frame_count\":2},"
                        + "\"prompt\":\"Describe activity\",\"model_config\":{},\"ws_connection_id\":\"" + WS + "\"}"));
        String vis = assertIndex(visual, "time", new JsonObject().put("frame_count", 2).put("time", 5), "Describe activity", null);

        // rts.indexAudio({batchConfig:{type:'sentence',value:2}, prompt, socketId}) adds auto_start_transcript (default true).
        JsonObject audio = ok(sdk.node(v, "POST", "/rtstream/" + rid + "/index/scene",
                "{\"extraction_type\":\"transcript\",\"extraction_config\":{\"segmenter\":\"sentence\",\"segmentation_value\":2},"
                        + "\"prompt\":\"Summarise speech\",\"model_config\":{},\"auto_start_transcript\":true,"
                        + "\"ws_connection_id\":\"" + WS + "\"}"));
        assertIndex(audio, "transcript", new JsonObject().put("segmentation_value", 2).put("segmenter", "sentence"),
                "Summarise speech", null);

        // conn.createEvent(prompt, label) → data.eventId
        String eventId = ok(sdk.node(v, "POST", "/rtstream/event",
                "{\"event_prompt\":\"An intruder on camera\",\"label\":\"intrusion\"}")).getString("event_id");
        assertThat(eventId).matches("[0-9a-f]{16}");

        // vis.createAlert(eventId, null, WS): the Node docs pass callbackUrl null for WebSocket-only alerts.
        String alertId = ok(sdk.node(v, "POST", "/rtstream/" + rid + "/index/" + vis + "/alert",
                "{\"event_id\":\"" + eventId + "\",\"callback_url\":null,\"ws_connection_id\":\"" + WS + "\"}")).getString("alert_id");
        assertThat(alertId).matches("[0-9a-f]{16}");

        String alerts = "/rtstream/" + rid + "/index/" + vis + "/alert";
        JsonObject listed = onlyAlert(ok(sdk.node(v, "GET", alerts, null)), alertId);
        assertThat(listed.getString("label")).isEqualTo("intrusion");
        assertThat(listed.getString("event_id")).isEqualTo(eventId);
        assertThat(listed.getString("status")).isEqualTo("enabled");

        ok(sdk.node(v, "PATCH", alerts + "/" + alertId + "/status", "{\"action\":\"disable\"}"));
        assertThat(onlyAlert(ok(sdk.node(v, "GET", alerts, null)), alertId).getString("status")).isEqualTo("disabled");
        ok(sdk.node(v, "PATCH", alerts + "/" + alertId + "/status", "{\"action\":\"enable\"}"));
        assertThat(onlyAlert(ok(sdk.node(v, "GET", alerts, null)), alertId).getString("status")).isEqualTo("enabled");

        // coll.listRTStreams({limit: 10}); coll.getRTStream(rid); rts.stop(); rts.start()
        assertThat(ids(ok(sdk.node(v, "GET", "/rtstream?limit=10", null)).getJsonArray("results"))).contains(rid);
        assertRtstream(ok(sdk.node(v, "GET", "/rtstream/" + rid, null)), "yard", "connected");
        ok(sdk.node(v, "PATCH", "/rtstream/" + rid + "/status", "{\"action\":\"stop\"}"));
        assertRtstream(ok(sdk.node(v, "GET", "/rtstream/" + rid, null)), "yard", "stopped");
        ok(sdk.node(v, "PATCH", "/rtstream/" + rid + "/status", "{\"action\":\"start\"}"));
        assertRtstream(ok(sdk.node(v, "GET", "/rtstream/" + rid, null)), "yard", "connected");

        // rts.stopTranscript('graceful', 'assemblyai')
        assertThat(ok(sdk.node(v, "POST", "/rtstream/" + rid + "/transcription",
                "{\"action\":\"stop\",\"engine\":\"assemblyai\",\"mode\":\"graceful\"}")).getString("status")).isEqualTo("stopped");
    }

    @Test
    void olderNodeBuildsWithTrailingSlashesSocketIdAndTranscriptionStatus() throws Exception {
        String v = "0.1.3";
        String cid = ok(sdk.node(v, "GET", "/collection/default", null)).getString("id");

        // POST rtstream/ with a trailing slash on every non-GET.
        String rid = ok(sdk.node(v, "POST", "/rtstream/", "{\"collection_id\":\"" + cid + "\",\"url\":\"rtsp://cam/3\","
                + "\"name\":\"dock\",\"media_types\":[\"video\",\"audio\"]}")).getString("id");

        // rts.startTranscript(socketId): PATCH …/transcription/status/ with {action, socket_id}.
        JsonObject transcript = ok(sdk.node(v, "PATCH", "/rtstream/" + rid + "/transcription/status/",
                "{\"action\":\"start\",\"socket_id\":\"" + WS + "\"}"));
        assertThat(transcript.getString("status")).isEqualTo("running");
        String transcriptIndex = transcript.getString("rtstream_index_id");
        assertThat(ok(sdk.node(v, "GET", "/rtstream/" + rid + "/index/" + transcriptIndex, null)).getString("ws_connection_id"))
                .as("socket_id routes transcript events to the socket").isEqualTo(WS);

        // rts.indexScenes({socketId}): defaults time_based {time:2, frameCount:5} "Describe the scene"; socketId → socket_id.
        JsonObject visual = ok(sdk.node(v, "POST", "/rtstream/" + rid + "/index/scene/",
                "{\"extraction_type\":\"time_based\",\"extraction_config\":{\"time\":2,\"frame_count\":5},"
                        + "\"prompt\":\"Describe the scene\",\"model_config\":{},\"socket_id\":\"" + WS + "\"}"));
        String vis = assertIndex(visual, "time", new JsonObject().put("frame_count", 5).put("time", 2), "Describe the scene", null);
        assertThat(visual.getString("ws_connection_id")).as("socket_id routes scene events to the socket").isEqualTo(WS);

        // rts.indexSpokenWords({socketId}): defaults word/10, prompt undefined.
        JsonObject spoken = ok(sdk.node(v, "POST", "/rtstream/" + rid + "/index/scene/",
                "{\"extraction_type\":\"transcript\",\"extraction_config\":{\"segmenter\":\"word\",\"segmentation_value\":10},"
                        + "\"model_config\":{},\"socket_id\":\"" + WS + "\"}"));
        assertThat(spoken.getString("extraction_type")).isEqualTo("transcript");
        assertThat(spoken.getString("ws_connection_id")).as("socket_id routes audio events to the socket").isEqualTo(WS);

        // index.stop()/start() with trailing slashes.
        String sceneStatus = "/rtstream/" + rid + "/index/scene/" + vis + "/status/";
        assertThat(ok(sdk.node(v, "PATCH", sceneStatus, "{\"action\":\"stop\"}")).getString("status")).isEqualTo("stopped");
        assertThat(ok(sdk.node(v, "PATCH", sceneStatus, "{\"action\":\"start\"}")).getString("status")).isEqualTo("connected");

        // conn.createEvent → POST rtstream/event/; vis.createAlert(eventId, callbackUrl) → {event_id, callback_url}.
        String eventId = ok(sdk.node(v, "POST", "/rtstream/event/", "{\"event_prompt\":\"a person\",\"label\":\"person\"}"))
                .getString("event_id");
        String alerts = "/rtstream/" + rid + "/index/" + vis + "/alert";
        String alertId = ok(sdk.node(v, "POST", alerts + "/",
                "{\"event_id\":\"" + eventId + "\",\"callback_url\":\"" + CALLBACK + "\"}")).getString("alert_id");
        ok(sdk.node(v, "PATCH", alerts + "/" + alertId + "/status/", "{\"action\":\"disable\"}"));
        assertThat(onlyAlert(ok(sdk.node(v, "GET", alerts, null)), alertId).getString("status")).isEqualTo("disabled");
        ok(sdk.node(v, "PATCH", alerts + "/" + alertId + "/status/", "{\"action\":\"enable\"}"));
        assertThat(onlyAlert(ok(sdk.node(v, "GET", alerts, null)), alertId).getString("status")).isEqualTo("enabled");

        // rts.stop()/start(); rts.stopTranscript('graceful') → PATCH …/transcription/status/ {action:'stop', mode}.
        ok(sdk.node(v, "PATCH", "/rtstream/" + rid + "/status/", "{\"action\":\"stop\"}"));
        assertRtstream(ok(sdk.node(v, "GET", "/rtstream/" + rid, null)), "dock", "stopped");
        ok(sdk.node(v, "PATCH", "/rtstream/" + rid + "/status/", "{\"action\":\"start\"}"));
        assertThat(ok(sdk.node(v, "PATCH", "/rtstream/" + rid + "/transcription/status/",
                "{\"action\":\"stop\",\"mode\":\"graceful\"}")).getString("status")).isEqualTo("stopped");

        // Deletes also carry the trailing slash.
        ok(sdk.node(v, "DELETE", alerts + "/" + alertId + "/", null));
        ok(sdk.node(v, "DELETE", "/rtstream/" + rid + "/", null));
    }
}
