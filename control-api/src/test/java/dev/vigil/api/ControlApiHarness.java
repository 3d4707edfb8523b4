package dev.vigil.api;

import dev.vigil.testkit.TestSecrets;
import dev.vigil.common.net.HostResolver;
import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.kafka.TopicBootstrap;
import dev.vigil.common.net.CallbackUrlPolicy;
import dev.vigil.common.storage.SegmentStore;
import dev.vigil.schemas.Topics;
import dev.vigil.testkit.TestKafka;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real control API for tests: its own topics (unique prefix) on the shared embedded broker, a
 * Vert.x server on a free port, and a plain HTTP client. Callback hosts resolve through a fixed
 * table (no network): {@code hooks.example.com} is public, {@code intranet.example.com} private.
 */
final class ControlApiHarness implements AutoCloseable {

    static final String ALPHA_KEY = "alpha-key-0123456789abcdef";
    static final String BETA_KEY = "beta-key-0123456789abcdef0";
    static final String TICKET_SECRET = "test-ticket-secret-0123456789-abcdefghij";

    static final HostResolver RESOLVER = host -> switch (host) {
        case "hooks.example.com" -> List.of(InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 216, 34}));
        case "intranet.example.com" -> List.of(InetAddress.getByAddress(host, new byte[] {10, 0, 0, 5}));
        default -> throw new UnknownHostException(host);
    };

    final String prefix;
    final Vertx vertx;
    final ControlApiService service;
    final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ControlApiHarness(String prefix, Vertx vertx, ControlApiService service, HttpServer server) {
        this.prefix = prefix;
        this.vertx = vertx;
        this.service = service;
        this.server = server;
    }

    /** Creates topics under a new prefix and starts an instance on them. */
    static ControlApiHarness start(TestKafka kafka, Map<String, String> extraEnv) throws Exception {
        return start(kafka.bootstrapServers(), kafka.admin(), kafka.uniquePrefix(), extraEnv);
    }

    /** Creates topics under {@code prefix} through {@code admin} and starts an instance on the broker at {@code bootstrap}. */
    static ControlApiHarness start(String bootstrap, org.apache.kafka.clients.admin.Admin admin, String prefix,
            Map<String, String> extraEnv) throws Exception {
        Map<String, String> env = env(bootstrap, prefix, extraEnv);
        CommonConfig common = CommonConfig.fromEnv(env);
        new TopicBootstrap(admin, common).ensure(Topics.ALL);
        return startOn(bootstrap, prefix, extraEnv);
    }

    /** Creates topics under a new prefix and starts an instance on them playing back from {@code store}. */
    static ControlApiHarness start(TestKafka kafka, Map<String, String> extraEnv, SegmentStore store) throws Exception {
        String prefix = kafka.uniquePrefix();
        Map<String, String> env = env(kafka.bootstrapServers(), prefix, extraEnv);
        new TopicBootstrap(kafka.admin(), CommonConfig.fromEnv(env)).ensure(Topics.ALL);
        return startOn(kafka.bootstrapServers(), prefix, extraEnv, store);
    }

    /** Starts another instance on the topics of {@code prefix} (for cross-instance tests). */
    static ControlApiHarness startOn(TestKafka kafka, String prefix, Map<String, String> extraEnv) throws Exception {
        return startOn(kafka.bootstrapServers(), prefix, extraEnv);
    }

    private static ControlApiHarness startOn(String bootstrap, String prefix, Map<String, String> extraEnv) throws Exception {
        // As every launcher runs it (SegmentStoreService): with a store, here an empty local one.
        return startOn(bootstrap, prefix, extraEnv,
                new dev.vigil.common.storage.LocalSegmentStore(java.nio.file.Files.createTempDirectory("vigil-api-store")));
    }

    private static ControlApiHarness startOn(String bootstrap, String prefix, Map<String, String> extraEnv,
            SegmentStore store) throws Exception {
        Map<String, String> env = env(bootstrap, prefix, extraEnv);
        CommonConfig common = CommonConfig.fromEnv(env);
        ControlApiConfig config = ControlApiConfig.from(ConfigValues.read(env, ControlApiConfig.SETTINGS));
        Vertx vertx = Vertx.vertx();
        ControlApiService service = new ControlApiService(vertx, common, config,
                TICKET_SECRET.getBytes(StandardCharsets.UTF_8), RESOLVER, store);
        service.start();
        Router router = Router.router(vertx);
        service.mount(router);
        // As the launcher builds it: idle timeout, JSON answers for requests the codec refuses.
        HttpServer server = dev.vigil.common.ops.HttpEdge.createServer(vertx, java.time.Duration.ofSeconds(60))
                .requestHandler(router).listen(0, "127.0.0.1")
                .await(10, TimeUnit.SECONDS);
        return new ControlApiHarness(prefix, vertx, service, server);
    }

    private static Map<String, String> env(String bootstrap, String prefix, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("VIGIL_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("VIGIL_TOPIC_PREFIX", prefix);
        env.put("VIGIL_TOPIC_PARTITIONS", "3");
        env.put("VIGIL_API_KEYS", ALPHA_KEY + "=alpha," + BETA_KEY + "=beta");
        env.put("VIGIL_WS_TICKET_SECRET", TICKET_SECRET);
        // Tests drive the API far harder than a tenant should; the quota tests set their own limits.
        for (String quota : List.of("STREAMS", "INDEXES", "EVENTS", "ALERTS", "TICKETS_PER_MINUTE", "REQUESTS_PER_SECOND")) {
            env.put("VIGIL_QUOTA_" + quota, "1000000");
        }
        env.put("VIGIL_SECRETS_KEYS", TestSecrets.KEYS);
        env.putAll(extra);
        return env;
    }

    int port() {
        return server.actualPort();
    }

    /** A response: status and JSON body (null when the body is not JSON). */
    record Reply(int status, JsonObject json, String raw) {
        JsonObject data() {
            return json.getJsonObject("data");
        }
    }

    Reply call(String method, String path, String key, Object body) throws Exception {
        return exchange(method, path, key, body).reply();
    }

    /** A response with its headers. */
    record Exchange(Reply reply, java.net.http.HttpHeaders headers) {
    }

    Exchange exchange(String method, String path, String key, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .timeout(Duration.ofSeconds(20));
        if (key != null) {
            request.header("x-access-token", key);
        }
        String text = body == null ? null : body instanceof JsonObject o ? o.encode() : body.toString();
        request.method(method, text == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8));
        if (text != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Exchange(new Reply(response.statusCode(), jsonOrNull(response.body()), response.body()), response.headers());
    }

    /** The body as a JSON object, or null when it is not one (tests then show the raw body). */
    static JsonObject jsonOrNull(String body) {
        try {
            return new JsonObject(body);
        } catch (RuntimeException e) {
            return null;
        }
    }

    Reply alpha(String method, String path, Object body) throws Exception {
        return call(method, path, ALPHA_KEY, body);
    }

    Reply beta(String method, String path, Object body) throws Exception {
        return call(method, path, BETA_KEY, body);
    }

    @Override
    public void close() throws Exception {
        server.close().await(10, TimeUnit.SECONDS);
        service.close();
        vertx.close().await(10, TimeUnit.SECONDS);
    }
}
