package dev.vigil.ws;

import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.common.kafka.TopicBootstrap;
import dev.vigil.common.lifecycle.Service;
import dev.vigil.common.lifecycle.ServiceGroup;
import dev.vigil.common.ops.MeterRegistries;
import dev.vigil.common.ops.OpsServer;
import dev.vigil.schemas.Topics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket gateway as its own process (one container per service): reads {@code VIGIL_*}
 * ({@code VIGIL_WS_TICKET_SECRET} required, shared with control-api), creates missing topics,
 * serves {@code /ws} with {@code /healthy}, {@code /ready} and {@code /metrics} on
 * {@code VIGIL_HTTP_PORT}, and stops in reverse order on SIGTERM (connections get 1001).
 */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        ConfigValues values = ConfigValues.read(env, WsGatewayConfig.allSettings());
        CommonConfig common = CommonConfig.from(values, env);
        WsGatewayConfig config = WsGatewayConfig.from(values);
        byte[] ticketSecret = WsGatewayConfig.ticketSecret(values);
        log.info("Configuration:\n  {}", String.join("\n  ", values.describe()));
        if (!values.unknownKeys().isEmpty()) {
            log.warn("Ignoring unknown settings (typos?): {}", values.unknownKeys());
        }
        if (common.topicBootstrap()) {
            try (Admin admin = Admin.create(new KafkaClients(common).admin("vigil-ws-gateway-bootstrap"))) {
                new TopicBootstrap(admin, common).ensure(Topics.ALL);
            }
        }
        PrometheusMeterRegistry registry = MeterRegistries.prometheus(common.instanceId());
        Vertx vertx = Vertx.vertx();
        ServiceGroup services = new ServiceGroup("ws-gateway");
        services.stopOnShutdown();
        services.start(new VertxCloser(vertx));
        WsGatewayService gateway = services.start(new WsGatewayService(vertx, common, config, ticketSecret, registry));
        OpsServer http = services.start(new OpsServer(vertx, common.httpHost(), common.httpPort(), services::readiness,
                registry, gateway::mount));
        log.info("WebSocket gateway listening on {}:{}{}", common.httpHost(), http.port(), WsGatewayService.PATH);
    }

    /** Closes Vert.x last (started first), after the server and the gateway have stopped. */
    private record VertxCloser(Vertx vertx) implements Service {

        @Override
        public String name() {
            return "vertx";
        }

        @Override
        public void start() {
            // created by main
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void close() {
            try {
                vertx.close().await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("Vert.x did not close within 10 s", e);
            }
        }
    }
}
