package dev.vigil.ws;

import static dev.vigil.testkit.Eventually.await;

import dev.vigil.common.auth.WsTickets;
import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.config.ConfigValues;
import dev.vigil.schemas.TopicDef;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.IndexSpec;
import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.testkit.TestKafka;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A real gateway for tests: its own topics (unique prefix) on the shared embedded broker, a Vert.x
 * HTTP server on a free port, a ticket issuer with the same secret, and WebSocket clients.
 *
 * <p>By default the gateway is mounted on a router that already has a body handler on every route,
 * as in the standalone launcher where it shares the control API's router; {@code bare} serves it
 * from {@link WsGatewayService#requestHandler()} instead.
 */
final class GatewayHarness implements AutoCloseable {

    static final byte[] SECRET = "test-ticket-secret-0123456789-abcdefghij".getBytes(StandardCharsets.UTF_8);
    static final List<TopicDef<String, ?>> TOPICS = List.of(Topics.INDEXES, Topics.RTSTREAMS, Topics.INDEX_TRANSCRIPT,
            Topics.INDEX_SCENE, Topics.INDEX_AUDIO, Topics.ALERTS_FIRED);

    final TestKafka kafka;
    final String prefix;
    final Vertx vertx;
    final PrometheusMeterRegistry registry;
    final WsGatewayService gateway;
    final HttpServer server;
    final WsTickets tickets = new WsTickets(SECRET, Duration.ofSeconds(60), Clock.systemUTC());
    final WebSocketClient client;

    private GatewayHarness(TestKafka kafka, String prefix, Vertx vertx, PrometheusMeterRegistry registry,
            WsGatewayService gateway, HttpServer server, WebSocketClient client) {
        this.kafka = kafka;
        this.prefix = prefix;
        this.vertx = vertx;
        this.registry = registry;
        this.gateway = gateway;
        this.server = server;
        this.client = client;
    }

    static GatewayHarness start(TestKafka kafka, Map<String, String> gatewayEnv) throws Exception {
        return start(kafka, gatewayEnv, false);
    }

    static GatewayHarness start(TestKafka kafka, Map<String, String> gatewayEnv, boolean bare) throws Exception {
        String prefix = kafka.uniquePrefix();
        kafka.createTopics(prefix, TOPICS, 3);
        Map<String, String> env = new HashMap<>(gatewayEnv);
        env.put("VIGIL_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("VIGIL_TOPIC_PREFIX", prefix);
        CommonConfig common = CommonConfig.fromEnv(env);
        WsGatewayConfig config = WsGatewayConfig.from(ConfigValues.read(env, WsGatewayConfig.SETTINGS));
        Vertx vertx = Vertx.vertx();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        WsGatewayService gateway = new WsGatewayService(vertx, common, config, SECRET, registry);
        gateway.start();
        HttpServer server;
        if (bare) {
            server = vertx.createHttpServer().requestHandler(gateway.requestHandler()).listen(0, "127.0.0.1")
                    .await(10, TimeUnit.SECONDS);
        } else {
            Router router = Router.router(vertx);
            // What the control API adds first on the shared router: the gateway must still upgrade.
            router.route().handler(BodyHandler.create(false));
            router.get("/healthy").handler(ctx -> ctx.response().end("ok"));
            gateway.mount(router);
            server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        }
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100));
        return new GatewayHarness(kafka, prefix, vertx, registry, gateway, server, client);
    }

    int port() {
        return server.actualPort();
    }

    /** Connects with a fresh ticket for {@code collectionId}; returns after the connected frame. */
    TestSocket connect(String collectionId) throws Exception {
        return TestSocket.connect(client, port(), "/ws?ticket=" + tickets.issue(collectionId));
    }

    /** Writes a stream spec and waits until the gateway knows it. */
    void stream(RtStreamSpec spec) {
        kafka.send(prefix, Topics.RTSTREAMS, spec.getId(), spec);
        await().alias("gateway knows stream " + spec.getId()).until(() -> {
            var known = gateway.directory().stream(spec.getId());
            return known != null && Objects.equals(known.wsConnectionId(), spec.getWsConnectionId());
        });
    }

    /** Writes an index spec and waits until the gateway knows it. */
    void index(IndexSpec spec) {
        kafka.send(prefix, Topics.INDEXES, spec.getId(), spec);
        await().alias("gateway knows index " + spec.getId()).until(() -> {
            var known = gateway.directory().index(spec.getId());
            return known != null && Objects.equals(known.wsConnectionId(), spec.getWsConnectionId());
        });
    }

    /** Writes one record to a data topic, keyed by its stream id as the indexers do. */
    <V> void send(TopicDef<String, V> topic, String rtstreamId, V value) {
        kafka.send(prefix, topic, rtstreamId, value);
    }

    @Override
    public void close() {
        gateway.close();
        client.close().await();
        vertx.close().await();
        registry.close();
    }
}
