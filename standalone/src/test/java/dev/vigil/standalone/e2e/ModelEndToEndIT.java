package dev.vigil.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.standalone.Standalone;
import dev.vigil.standalone.StandaloneConfig;
import dev.vigil.standalone.demo.DemoClip;
import dev.vigil.standalone.demo.DemoRun;
import dev.vigil.standalone.demo.DemoWebhookReceiver;
import dev.vigil.testkit.models.FakeModelServer;
import dev.vigil.testkit.models.RecordedRequest;
import dev.vigil.testkit.models.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline with models configured: standalone Vigil (embedded broker, every service, real
 * FFmpeg decoding of the demo clip) whose {@code VIGIL_MODEL_BASE_URL} is the testkit's fake
 * OpenAI-compatible server, with a vision, a text and a transcription model set. The fake vision model
 * describes every window as a worker without a helmet, the fake judge says the event matches, and the
 * fake transcription model hears a free-form sentence with word times.
 *
 * <p>Driven through VideoDB's SDKs, unchanged: the Node SDK (npm {@code videodb}, real) runs
 * {@code src/test/node/videodb-sdk-models.mjs}; the Python SDK cannot be installed here (no PyPI), so
 * its side is a byte-for-byte replay of what it sends (as control-api's {@code VideoDbSdkSequenceIT}),
 * with a WebSocket client in its place. Each creates a stream, a transcript, a visual index, the event
 * "Detect person without helmet" and an alert to its WebSocket and to a webhook receiver, and must see
 * the alert on the socket and as a verified Standard Webhooks delivery carrying the judge's explanation,
 * the sentence on the transcript channel, and {@code get_transcript} with its word timestamps.
 *
 * <p>Neither SDK returns an alert's webhook secret (VideoDB has none): the test fetches one through
 * Vigil's rotation extension while the stream is stopped, then starts it, so every delivery is signed
 * with a secret the receiver knows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelEndToEndIT {

    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final String VISION = "fake-vision";
    private static final String TEXT = "fake-judge";
    private static final String TRANSCRIBE = "fake-whisper";
    private static final String DESCRIPTION = "A worker without a helmet stands next to the forklift.";
    private static final String EXPLANATION = "The worker next to the forklift wears no helmet.";
    private static final String SENTENCE = "the delivery truck is parked next to the loading dock";
    private static final String EVENT_PROMPT = "Detect person without helmet";

    @TempDir
    static Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();
    private FakeModelServer models;
    private Standalone vigil;
    private String apiKey;
    private String clipUrl;
    private Vertx receivers;
    private final Map<String, DemoWebhookReceiver> receiverBySdk = new HashMap<>();
    private final Map<String, String> callbackBySdk = new HashMap<>();

    @BeforeAll
    void startVigilWithAFakeModelServer() throws Exception {
        models = FakeModelServer.start();
        models.always(VISION, Reply.content(DESCRIPTION))
                .always(TEXT, Reply.content("{\"verdicts\": [{\"event\": 1, \"match\": true, \"confidence\": 0.92, "
                        + "\"explanation\": \"" + EXPLANATION + "\"}]}"))
                .always(TRANSCRIBE, Reply.transcript(SENTENCE));
        Map<String, String> env = new HashMap<>(DemoRun.DEMO_DEFAULTS);
        env.putAll(Map.of("VIGIL_DATA_DIR", dataDir.toString(),
                "VIGIL_KAFKA_EMBEDDED_PORT", Integer.toString(freePort()),
                "VIGIL_KAFKA_EMBEDDED_CONTROLLER_PORT", Integer.toString(freePort()),
                "VIGIL_HTTP_HOST", "127.0.0.1", "VIGIL_HTTP_PORT", "0", "VIGIL_TOPIC_PARTITIONS", "2",
                "VIGIL_MODEL_BASE_URL", models.baseUrl(),
                "VIGIL_MODEL_VISION", VISION, "VIGIL_MODEL_TEXT", TEXT, "VIGIL_MODEL_TRANSCRIBE", TRANSCRIBE));
        vigil = Standalone.start(StandaloneConfig.from(env));
        apiKey = vigil.apiKeys().entrySet().stream().filter(e -> e.getValue().equals("default")).findFirst()
                .orElseThrow().getKey();
        clipUrl = DemoClip.extractTo(dataDir.resolve("clip")).toUri() + "?loop=true";

        // One webhook receiver per SDK (each alert has its own secret), verifying as a user's would.
        receivers = Vertx.vertx();
        for (String sdk : List.of("node", "python")) {
            DemoWebhookReceiver receiver = new DemoWebhookReceiver();
            Router router = Router.router(receivers);
            receiver.mount(router);
            HttpServer server = receivers.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            receiverBySdk.put(sdk, receiver);
            callbackBySdk.put(sdk, "http://127.0.0.1:" + server.actualPort() + DemoWebhookReceiver.PATH);
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (vigil != null) {
            vigil.close();
        }
        if (receivers != null) {
            receivers.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (models != null) {
            models.close();
        }
    }

    @Test
    void nodeSdkGetsTheJudgedAlertOnItsSocketAndSignedWebhookAndTheSentenceWithWordTimes() throws Exception {
        Path sdk = Path.of("..", ".tools", "node-sdk").toAbsolutePath().normalize();
        assertThat(sdk.resolve("node_modules/videodb")).as("VideoDB's Node SDK (scripts/install-node-sdk.sh installs it)")
                .isDirectory();
        // ES modules resolve 'videodb' from the script's own folder upwards: run a copy next to node_modules.
        Path script = sdk.resolve("videodb-sdk-models.mjs");
        Files.copy(Path.of("src/test/node/videodb-sdk-models.mjs"), script, StandardCopyOption.REPLACE_EXISTING);
        Process node = new ProcessBuilder("node", script.toString(), apiKey, vigil.httpUrl(), clipUrl,
                callbackBySdk.get("node")).redirectErrorStream(true).start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                in.lines().forEach(output::add);
            } catch (IOException e) {
                output.add("{\"readError\": \"" + e.getMessage() + "\"}");
            }
        }, "node-sdk-output");
        reader.start();
        try {
            JsonObject created = stage(output, "created");
            String secret = rotateSecret(created.getString("rtstreamId"), created.getString("sceneIndexId"),
                    created.getString("alertId"));
            receiverBySdk.get("node").secret(secret);
            try (OutputStream in = node.getOutputStream()) {
                in.write("start\n".getBytes(StandardCharsets.UTF_8));
            }
            JsonObject done = stage(output, "done");

            JsonObject alert = done.getJsonObject("alert");
            assertThat(alert).as("alert frame; node output:\n%s", String.join("\n", output)).isNotNull();
            assertThat(alert.getString("rtstream_id")).isEqualTo(created.getString("rtstreamId"));
            assertThat(alert.getString("index_id")).isEqualTo(created.getString("sceneIndexId"));
            assertJudgedAlert(alert.getJsonObject("data"), created.getString("alertId"), created.getString("eventId"));
            JsonObject transcript = done.getJsonObject("transcript");
            assertThat(transcript).as("transcript frame; node output:\n%s", String.join("\n", output)).isNotNull();
            assertThat(transcript.getJsonObject("data").getString("text")).isEqualTo(SENTENCE);
            // The Node SDK camel-cases keys: word_timestamps arrives as wordTimestamps.
            assertTranscriptWithWordTimes(done.getJsonArray("transcriptRecords"), "wordTimestamps");
            assertSignedWebhook("node", created.getString("alertId"), created.getString("rtstreamId"));
            assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("node finished").isTrue();
            assertThat(node.exitValue()).as("node exit code; output:\n%s", String.join("\n", output)).isZero();
        } finally {
            node.destroyForcibly();
        }
        assertModelsWereAskedAsOpenAiServersAre();
    }

    @Test
    void pythonSdkWireReplayGetsTheSameAlertTranscriptAndWordTimes() throws Exception {
        // coll = conn.get_collection()
        assertThat(python("GET", "collection/default", null).getString("id")).isEqualTo("default");
        // ws = conn.connect_websocket(); ws.connect(): the first frame names the connection.
        List<JsonObject> frames = new CopyOnWriteArrayList<>();
        String wsUrl = python("GET", "collection/default/websocket", null).getString("websocket_url");
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(wsUrl), new Collector(frames))
                .get(30, TimeUnit.SECONDS);
        try {
            String ws = Awaitility.await("the connected frame").atMost(Duration.ofSeconds(30))
                    .until(() -> frames.stream().map(f -> f.getString("connection_id")).filter(id -> id != null)
                            .findFirst().orElse(null), id -> id != null);

            // coll.connect_rtstream(url, name, media_types=["video","audio"], sample_rate=1, ws_connection_id=ws)
            String rid = python("POST", "rtstream", "{\"collection_id\": \"default\", \"url\": \"" + clipUrl
                    + "\", \"name\": \"Loading dock (python)\", \"media_types\": [\"video\", \"audio\"], \"sample_rate\": 1, "
                    + "\"ws_connection_id\": \"" + ws + "\"}").getString("id");
            // rts.stop(), rts.start_transcript(ws_connection_id=ws)
            python("PATCH", "rtstream/" + rid + "/status", "{\"action\": \"stop\"}");
            python("POST", "rtstream/" + rid + "/transcription",
                    "{\"action\": \"start\", \"engine\": \"assemblyai\", \"ws_connection_id\": \"" + ws + "\"}");
            // vis = rts.index_visuals(prompt=..., batch_config={"type":"time","value":2,"frame_count":1}, name=..., ws_connection_id=ws)
            String vis = python("POST", "rtstream/" + rid + "/index/scene",
                    "{\"extraction_type\": \"time\", \"extraction_config\": {\"time\": 2, \"frame_count\": 1}, "
                            + "\"prompt\": \"Describe the people and their safety equipment\", \"model_name\": null, "
                            + "\"model_config\": {}, \"name\": \"Dock visuals\", \"ws_connection_id\": \"" + ws + "\"}")
                    .getString("rtstream_index_id");
            // event_id = conn.create_event(event_prompt="Detect person without helmet", label="no-helmet")
            JsonObject event = python("POST", "rtstream/event",
                    "{\"event_prompt\": \"" + EVENT_PROMPT + "\", \"label\": \"no-helmet\"}");
            assertThat(event.getString("condition_origin")).isEqualTo("llm_judge");
            String eventId = event.getString("event_id");
            // alert_id = vis.create_alert(event_id, callback_url=..., ws_connection_id=ws); the SDK drops the
            // secret Vigil answers, a replay can keep it.
            JsonObject alert = python("POST", "rtstream/" + rid + "/index/" + vis + "/alert", "{\"event_id\": \"" + eventId
                    + "\", \"callback_url\": \"" + callbackBySdk.get("python") + "\", \"ws_connection_id\": \"" + ws + "\"}");
            String alertId = alert.getString("alert_id");
            receiverBySdk.get("python").secret(alert.getString("webhook_secret"));
            // rts.start()
            python("PATCH", "rtstream/" + rid + "/status", "{\"action\": \"start\"}");

            Awaitility.await("alert and transcript frames").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(frames).extracting(f -> f.getString("channel"))
                            .contains("alert", "transcript"));
            JsonObject alertFrame = first(frames, "alert");
            assertThat(alertFrame.getString("rtstream_id")).isEqualTo(rid);
            assertJudgedAlert(alertFrame.getJsonObject("data"), alertId, eventId);
            assertThat(first(frames, "transcript").getJsonObject("data").getString("text")).isEqualTo(SENTENCE);

            // rts.get_transcript(page=1, page_size=100)
            JsonArray records = Awaitility.await("get_transcript with word timestamps").atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> python("GET", "rtstream/" + rid + "/transcription?page=1&page_size=100", null)
                            .getJsonArray("transcription_records"), r -> r.stream().map(JsonObject.class::cast)
                            .anyMatch(t -> !t.getJsonArray("word_timestamps").isEmpty()));
            assertTranscriptWithWordTimes(records, "word_timestamps");
            assertSignedWebhook("python", alertId, rid);
        } finally {
            socket.abort();
        }
        assertModelsWereAskedAsOpenAiServersAre();
    }

    private static void assertJudgedAlert(JsonObject data, String alertId, String eventId) {
        assertThat(data.getString("alert_id")).isEqualTo(alertId);
        assertThat(data.getString("event_id")).isEqualTo(eventId);
        assertThat(data.getString("label")).isEqualTo("no-helmet");
        assertThat(data.getString("text")).isEqualTo(DESCRIPTION);
        // The judge's one-line explanation, then what was judged against which prompt.
        assertThat(data.getString("explanation")).startsWith(EXPLANATION + " (Event \"no-helmet\" judged by the text model")
                .contains(EVENT_PROMPT);
    }

    /** A record with the sentence and one time per word, in Unix seconds, in order, within the record. */
    private static void assertTranscriptWithWordTimes(JsonArray records, String wordsKey) {
        JsonObject record = records.stream().map(JsonObject.class::cast).filter(r -> SENTENCE.equals(r.getString("text")))
                .filter(r -> !r.getJsonArray(wordsKey).isEmpty()).findFirst()
                .orElseThrow(() -> new AssertionError("no transcript record with word timestamps in " + records));
        JsonArray words = record.getJsonArray(wordsKey);
        List<String> said = new ArrayList<>();
        double previous = record.getDouble("start") - 0.001;
        for (Object o : words) {
            JsonObject w = (JsonObject) o;
            said.add(w.getString("word"));
            assertThat(w.getDouble("start")).isGreaterThan(previous).isLessThan(w.getDouble("end"));
            previous = w.getDouble("start");
        }
        assertThat(String.join(" ", said)).isEqualTo(SENTENCE);
        double now = System.currentTimeMillis() / 1000.0;
        assertThat(words.getJsonObject(0).getDouble("start")).isBetween(now - 300, now);
    }

    private void assertSignedWebhook(String sdk, String alertId, String rtstreamId) throws Exception {
        DemoWebhookReceiver receiver = receiverBySdk.get(sdk);
        Awaitility.await("a verified webhook (" + sdk + ")").atMost(PATIENCE).until(() -> receiver.verifiedCount() >= 1);
        String list = callbackBySdk.get(sdk).replace(DemoWebhookReceiver.PATH, DemoWebhookReceiver.LIST_PATH);
        JsonObject received = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(list)).build(),
                HttpResponse.BodyHandlers.ofString()).body()).getJsonObject("data");
        assertThat(received.getLong("rejected")).as("deliveries whose signature did not verify").isZero();
        JsonObject delivery = received.getJsonArray("webhooks").getJsonObject(0);
        assertThat(delivery.getBoolean("verified")).isTrue();
        JsonObject payload = delivery.getJsonObject("payload");
        assertThat(delivery.getString("webhook_id")).isEqualTo(payload.getString("id")).startsWith("ntf-");
        assertThat(payload.getString("alert_id")).isEqualTo(alertId);
        assertThat(payload.getString("rtstream_id")).isEqualTo(rtstreamId);
        assertThat(payload.getString("label")).isEqualTo("no-helmet");
        assertThat(payload.getString("explanation")).startsWith(EXPLANATION).contains(EVENT_PROMPT);
        assertThat(payload.getJsonObject("data").getString("text")).isEqualTo(DESCRIPTION);
    }

    /** What reached the fake: frames with the index prompt, the event judged against the description, audio for words. */
    private void assertModelsWereAskedAsOpenAiServersAre() {
        List<RecordedRequest> chats = models.requests("/v1/chat/completions");
        assertThat(chats).anySatisfy(r -> {
            assertThat(r.model()).isEqualTo(VISION);
            assertThat(r.texts()).anySatisfy(t -> assertThat(t).contains("Describe the people and their safety equipment"));
            assertThat(r.imageUrls()).allSatisfy(u -> assertThat(u).startsWith("data:image/jpeg;base64,")).isNotEmpty();
        });
        assertThat(chats).anySatisfy(r -> {
            assertThat(r.model()).isEqualTo(TEXT);
            assertThat(String.join("\n", r.texts())).contains(EVENT_PROMPT, DESCRIPTION);
        });
        assertThat(models.requests("/v1/audio/transcriptions")).anySatisfy(r -> {
            assertThat(r.model()).isEqualTo(TRANSCRIBE);
            assertThat(r.formValue("response_format")).isEqualTo("verbose_json");
            assertThat(r.form().get("timestamp_granularities[]")).contains("word");
            assertThat(r.file()).isNotEmpty();
        });
    }

    /** The node script's JSON line of {@code stage}, once printed. */
    private static JsonObject stage(List<String> output, String stage) {
        try {
            return Awaitility.await("node SDK stage " + stage).atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                    .until(() -> output.stream().filter(l -> l.startsWith("{\"stage\":\"" + stage + "\""))
                            .map(JsonObject::new).findFirst().orElse(null), o -> o != null);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("node output:\n" + String.join("\n", output), e);
        }
    }

    /** {@code POST .../alert/{aid}/secret} (Vigil's extension): the alert's new signing secret. */
    private String rotateSecret(String rid, String iid, String aid) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(vigil.httpUrl() + "/rtstream/" + rid
                        + "/index/" + iid + "/alert/" + aid + "/secret"))
                .header("x-access-token", apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body()).getJsonObject("data").getString("webhook_secret");
    }

    /**
     * {@code requests.Session} of videodb-python 0.4.x (docs/videodb-wire.md): {@code json.dumps} bodies,
     * session headers on every request, GET included; {@code base_url + "/" + path}. Answers {@code data}.
     */
    private JsonObject python(String method, String path, String jsonDumps) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("User-Agent", "python-requests/2.32.3");
        headers.put("Accept-Encoding", "gzip, deflate");
        headers.put("Accept", "*/*");
        headers.put("x-access-token", apiKey);
        headers.put("x-videodb-client", "videodb-python/0.4.2");
        headers.put("Content-Type", "application/json");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(vigil.httpUrl() + "/" + path))
                .timeout(Duration.ofSeconds(20)).method(method, jsonDumps == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonDumps, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isBetween(200, 201);
        JsonObject json = new JsonObject(response.body());
        assertThat(json.getBoolean("success")).as(response.body()).isTrue();
        return json.getJsonObject("data");
    }

    private static JsonObject first(List<JsonObject> frames, String channel) {
        return frames.stream().filter(f -> channel.equals(f.getString("channel"))).findFirst().orElseThrow();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Collects every text frame as JSON. */
    private static final class Collector implements WebSocket.Listener {
        private final List<JsonObject> frames;
        private final StringBuilder text = new StringBuilder();

        Collector(List<JsonObject> frames) {
            this.frames = frames;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                frames.add(new JsonObject(text.toString()));
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
