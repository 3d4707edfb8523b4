package dev.vigil.api.records;

import dev.vigil.testkit.TestSecrets;
import dev.vigil.api.ControlApiConfig;
import dev.vigil.api.ControlApiService;
import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.kafka.TopicBootstrap;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.index.AudioRecord;
import dev.vigil.schemas.index.SceneRecord;
import dev.vigil.schemas.index.TranscriptRecord;
import dev.vigil.schemas.index.TranscriptWord;
import dev.vigil.testkit.TestKafka;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real control API with its records store for the records tests: its own topics (unique prefix)
 * on the shared embedded broker, a Vert.x server on port 0, a Vert.x {@link WebClient}, and helpers
 * that produce index records the way the indexers do.
 */
final class RecordsApiHarness implements AutoCloseable {

    static final String ALPHA_KEY = "alpha-key-0123456789abcdef";
    static final String BETA_KEY = "beta-key-0123456789abcdef0";

    final TestKafka kafka;
    final String prefix;
    final Vertx vertx;
    final ControlApiService service;
    final HttpServer server;
    final WebClient client;

    private RecordsApiHarness(TestKafka kafka, String prefix, Vertx vertx, ControlApiService service, HttpServer server) {
        this.kafka = kafka;
        this.prefix = prefix;
        this.vertx = vertx;
        this.service = service;
        this.server = server;
        this.client = WebClient.create(vertx);
    }

    static RecordsApiHarness start(TestKafka kafka) throws Exception {
        String prefix = kafka.uniquePrefix();
        Map<String, String> env = new HashMap<>();
        env.put("VIGIL_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("VIGIL_TOPIC_PREFIX", prefix);
        env.put("VIGIL_TOPIC_PARTITIONS", "3");
        env.put("VIGIL_API_KEYS", ALPHA_KEY + "=alpha," + BETA_KEY + "=beta");
        env.put("VIGIL_WS_TICKET_SECRET", "test-ticket-secret-0123456789-abcdefghij");
        env.put("VIGIL_SECRETS_KEYS", TestSecrets.KEYS);
        CommonConfig common = CommonConfig.fromEnv(env);
        new TopicBootstrap(kafka.admin(), common).ensure(Topics.ALL);
        ControlApiConfig config = ControlApiConfig.from(ConfigValues.read(env, ControlApiConfig.SETTINGS));
        Vertx vertx = Vertx.vertx();
        ControlApiService service = new ControlApiService(vertx, common, config,
                "test-ticket-secret-0123456789-abcdefghij".getBytes(StandardCharsets.UTF_8));
        service.start();
        Router router = Router.router(vertx);
        service.mount(router);
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .await(10, TimeUnit.SECONDS);
        return new RecordsApiHarness(kafka, prefix, vertx, service, server);
    }

    /** A response: status and JSON body. */
    record Reply(int status, JsonObject json, String raw) {
        JsonObject data() {
            return json.getJsonObject("data");
        }
    }

    Reply call(String key, HttpMethod method, String pathAndQuery, JsonObject body) {
        HttpRequest<Buffer> request = client.request(method, server.actualPort(), "127.0.0.1", pathAndQuery)
                .putHeader("x-access-token", key);
        HttpResponse<Buffer> response;
        try {
            response = (body == null ? request.send() : request.sendJsonObject(body)).await(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(method + " " + pathAndQuery + " got no answer within 20 s", e);
        }
        String raw = response.bodyAsString();
        JsonObject json;
        try {
            json = new JsonObject(raw);
        } catch (RuntimeException e) {
            json = null;
        }
        return new Reply(response.statusCode(), json, raw);
    }

    Reply alphaGet(String path) {
        return call(ALPHA_KEY, HttpMethod.GET, path, null);
    }

    Reply alphaPost(String path, JsonObject body) {
        return call(ALPHA_KEY, HttpMethod.POST, path, body);
    }

    /** Creates a stream through the API; returns its id. */
    String createStream(String key, String name) {
        Reply reply = call(key, HttpMethod.POST, "/rtstream", new JsonObject().put("url", "rtsp://camera.example.com/" + name.replace(' ', '-'))
                .put("name", name));
        if (reply.status() != 201) {
            throw new AssertionError("create stream: " + reply.raw());
        }
        return reply.data().getString("id");
    }

    /** Creates a visual ({@code time}) or audio ({@code transcript}) index through the API; returns its id. */
    String createIndex(String key, String rid, String extractionType, String name) {
        Reply reply = call(key, HttpMethod.POST, "/rtstream/" + rid + "/index/scene",
                new JsonObject().put("extraction_type", extractionType).put("name", name));
        if (reply.status() != 201) {
            throw new AssertionError("create index: " + reply.raw());
        }
        return reply.data().getString("rtstream_index_id");
    }

    void transcript(String collection, String rid, String iid, long startMs, long endMs, String text) {
        transcript(collection, rid, iid, startMs, endMs, text, null);
    }

    /** A transcript record as a transcription model writes it: with word timestamps ({@code null}: none). */
    void transcript(String collection, String rid, String iid, long startMs, long endMs, String text,
            List<TranscriptWord> words) {
        Instant now = Instant.now();
        kafka.send(prefix, Topics.INDEX_TRANSCRIPT, rid, TranscriptRecord.newBuilder()
                .setRtstreamId(rid).setCollectionId(collection).setIndexId(iid)
                .setStart(Instant.ofEpochMilli(startMs)).setEnd(Instant.ofEpochMilli(endMs))
                .setText(text).setIsFinal(true).setConfidence(0.9).setEngine("test")
                .setCaptureTs(now).setEmitTs(now).setWords(words).build());
    }

    void scene(String collection, String rid, String iid, long startMs, long endMs, String text, List<String> labels) {
        Instant now = Instant.now();
        kafka.send(prefix, Topics.INDEX_SCENE, rid, SceneRecord.newBuilder()
                .setRtstreamId(rid).setCollectionId(collection).setIndexId(iid)
                .setStart(Instant.ofEpochMilli(startMs)).setEnd(Instant.ofEpochMilli(endMs))
                .setText(text).setLabels(labels).setEngine("test").setFrameCount(2)
                .setCaptureTs(now).setEmitTs(now).build());
    }

    void audio(String collection, String rid, String iid, long startMs, long endMs, String text, List<String> labels) {
        Instant now = Instant.now();
        kafka.send(prefix, Topics.INDEX_AUDIO, rid, AudioRecord.newBuilder()
                .setRtstreamId(rid).setCollectionId(collection).setIndexId(iid)
                .setStart(Instant.ofEpochMilli(startMs)).setEnd(Instant.ofEpochMilli(endMs))
                .setText(text).setLabels(labels).setEngine("test")
                .setCaptureTs(now).setEmitTs(now).build());
    }

    @Override
    public void close() throws Exception {
        client.close();
        server.close().await(10, TimeUnit.SECONDS);
        service.close();
        vertx.close().await(10, TimeUnit.SECONDS);
    }
}
