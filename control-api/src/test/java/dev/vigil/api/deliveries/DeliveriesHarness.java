package dev.vigil.api.deliveries;

import dev.vigil.testkit.TestSecrets;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.ControlApiConfig;
import dev.vigil.api.ControlApiService;
import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.kafka.TopicBootstrap;
import dev.vigil.common.net.HostResolver;
import dev.vigil.schemas.Topics;
import dev.vigil.testkit.Eventually;
import dev.vigil.testkit.TestKafka;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real control API on its own topics (unique prefix) of the shared broker, served by Vert.x on a free
 * port and called over HTTP with the Vert.x WebClient; the shape of {@code ControlApiHarness}, which is
 * package-private to {@code dev.vigil.api}. Callback host {@code hooks.example.com} resolves to a public
 * address without the network.
 */
final class DeliveriesHarness implements AutoCloseable {

    static final String ALPHA_KEY = "alpha-key-0123456789abcdef";
    static final String BETA_KEY = "beta-key-0123456789abcdef0";
    private static final String TICKET_SECRET = "test-ticket-secret-0123456789-abcdefghij";
    private static final HostResolver RESOLVER = host -> switch (host) {
        case "hooks.example.com" -> List.of(InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 216, 34}));
        case "127.0.0.1" -> List.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
        default -> throw new UnknownHostException(host);
    };

    final String prefix;
    final CommonConfig common;
    final Vertx vertx;
    final ControlApiService service;
    private final HttpServer server;
    private final WebClient client;

    private DeliveriesHarness(String prefix, CommonConfig common, Vertx vertx, ControlApiService service, HttpServer server) {
        this.prefix = prefix;
        this.common = common;
        this.vertx = vertx;
        this.service = service;
        this.server = server;
        this.client = WebClient.create(vertx);
    }

    /** Creates the topics under a new prefix and starts an instance on them. */
    static DeliveriesHarness start(TestKafka kafka, Map<String, String> extraEnv) throws Exception {
        String prefix = kafka.uniquePrefix();
        new TopicBootstrap(kafka.admin(), CommonConfig.fromEnv(env(kafka, prefix, extraEnv))).ensure(Topics.ALL);
        return startOn(kafka, prefix, extraEnv);
    }

    /** Starts another instance on the topics of {@code prefix}. */
    static DeliveriesHarness startOn(TestKafka kafka, String prefix, Map<String, String> extraEnv) throws Exception {
        Map<String, String> env = env(kafka, prefix, extraEnv);
        CommonConfig common = CommonConfig.fromEnv(env);
        ControlApiConfig config = ControlApiConfig.from(ConfigValues.read(env, ControlApiConfig.SETTINGS));
        Vertx vertx = Vertx.vertx();
        ControlApiService service = new ControlApiService(vertx, common, config,
                TICKET_SECRET.getBytes(StandardCharsets.UTF_8), RESOLVER);
        service.start();
        // The delivery endpoints answer 503 until the log has read the topics' history.
        Eventually.await().until(() -> service.deliveries().loaded());
        Router router = Router.router(vertx);
        service.mount(router);
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .await(10, TimeUnit.SECONDS);
        return new DeliveriesHarness(prefix, common, vertx, service, server);
    }

    static Map<String, String> env(TestKafka kafka, String prefix, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("VIGIL_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("VIGIL_TOPIC_PREFIX", prefix);
        env.put("VIGIL_TOPIC_PARTITIONS", "3");
        env.put("VIGIL_API_KEYS", ALPHA_KEY + "=alpha," + BETA_KEY + "=beta");
        env.put("VIGIL_WS_TICKET_SECRET", TICKET_SECRET);
        env.put("VIGIL_SECRETS_KEYS", TestSecrets.KEYS);
        env.putAll(extra);
        return env;
    }

    /** A response: status and JSON body (null when not JSON). */
    record Reply(int status, JsonObject json, String raw) {
        JsonObject data() {
            return json.getJsonObject("data");
        }

        JsonArray deliveries() {
            return data().getJsonArray("deliveries");
        }
    }

    Reply call(HttpMethod method, String path, String key, JsonObject body) {
        HttpRequest<Buffer> request = client.request(method, server.actualPort(), "127.0.0.1", path);
        if (key != null) {
            request.putHeader("x-access-token", key);
        }
        HttpResponse<Buffer> response;
        try {
            response = (body == null ? request.send() : request.sendJsonObject(body)).await(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(method + " " + path + " got no answer within 20 s", e);
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

    Reply alpha(HttpMethod method, String path, JsonObject body) {
        return call(method, path, ALPHA_KEY, body);
    }

    Reply beta(HttpMethod method, String path, JsonObject body) {
        return call(method, path, BETA_KEY, body);
    }

    /** An alert of tenant alpha, created through the API, with its stream, index and event. */
    record CreatedAlert(String rid, String iid, String aid, String secret) {
        String path() {
            return "/rtstream/" + rid + "/index/" + iid + "/alert/" + aid;
        }

        String deliveries() {
            return path() + "/deliveries";
        }

        String replay(String notificationId) {
            return deliveries() + "/" + notificationId + "/replay";
        }
    }

    CreatedAlert createAlert(String callbackUrl) {
        Reply stream = alpha(HttpMethod.POST, "/rtstream", new JsonObject().put("url", "rtsp://camera.example.com/live")
                .put("name", "door"));
        assertThat(stream.status()).as(stream.raw()).isEqualTo(201);
        String rid = stream.data().getString("id");
        Reply index = alpha(HttpMethod.POST, "/rtstream/" + rid + "/index/scene", new JsonObject()
                .put("extraction_type", "time").put("prompt", "Describe activity").put("name", "visual"));
        assertThat(index.status()).as(index.raw()).isEqualTo(201);
        String iid = index.data().getString("rtstream_index_id");
        Reply event = alpha(HttpMethod.POST, "/rtstream/event", new JsonObject().put("event_prompt", "motion").put("label", "m"));
        assertThat(event.status()).as(event.raw()).isEqualTo(201);
        Reply alert = alpha(HttpMethod.POST, "/rtstream/" + rid + "/index/" + iid + "/alert", new JsonObject()
                .put("event_id", event.data().getString("event_id")).put("callback_url", callbackUrl));
        assertThat(alert.status()).as(alert.raw()).isEqualTo(201);
        return new CreatedAlert(rid, iid, alert.data().getString("alert_id"), alert.data().getString("webhook_secret"));
    }

    @Override
    public void close() throws Exception {
        client.close();
        server.close().await(10, TimeUnit.SECONDS);
        service.close();
        vertx.close().await(10, TimeUnit.SECONDS);
    }
}
