package dev.vigil.api;

import dev.vigil.common.auth.WsTickets;
import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.common.kafka.TopicBootstrap;
import dev.vigil.common.lifecycle.ServiceGroup;
import dev.vigil.common.ops.MeterRegistries;
import dev.vigil.common.ops.OpsServer;
import dev.vigil.schemas.Topics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control API as its own process (one container per service): reads {@code VIGIL_*}, creates
 * missing topics, serves the REST API with {@code /healthy}, {@code /ready} and {@code /metrics}
 * on {@code VIGIL_HTTP_PORT}, and stops in reverse order on SIGTERM.
 */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        ConfigValues values = ConfigValues.read(env, ControlApiConfig.allSettings());
        CommonConfig common = CommonConfig.from(values, env);
        ControlApiConfig config = ControlApiConfig.from(values);
        log.info("Configuration:\n  {}", String.join("\n  ", values.describe()));
        if (!values.unknownKeys().isEmpty()) {
            log.warn("Ignoring unknown settings (typos?): {}", values.unknownKeys());
        }
        if (config.apiKeys().isEmpty()) {
            byte[] random = new byte[20];
            new SecureRandom().nextBytes(random);
            String key = "vigil_" + HexFormat.of().formatHex(random);
            log.warn("VIGIL_API_KEYS is not set; generated API key {} for collection 'default' (valid until restart)", key);
            config = config.withApiKeys(Map.of(key, "default"));
        }
        if (config.wsTicketSecret().isEmpty()) {
            log.warn("VIGIL_WS_TICKET_SECRET is not set: WebSocket tickets use a random secret that ws-gateway "
                    + "instances in other processes cannot verify");
        }
        byte[] ticketSecret = config.wsTicketSecret().map(WsTickets::secretFrom).orElseGet(WsTickets::randomSecret);

        if (common.topicBootstrap()) {
            try (Admin admin = Admin.create(new KafkaClients(common).admin("vigil-control-api-bootstrap"))) {
                new TopicBootstrap(admin, common).ensure(Topics.ALL);
            }
        }
        PrometheusMeterRegistry registry = MeterRegistries.prometheus(common.instanceId());
        Vertx vertx = Vertx.vertx();
        ServiceGroup services = new ServiceGroup("control-api");
        services.stopOnShutdown();
        ControlApiService api = services.start(new ControlApiService(vertx, common, config, ticketSecret));
        OpsServer http = services.start(new OpsServer(vertx, common.httpHost(), common.httpPort(), services::readiness,
                registry, api::mount));
        log.info("Control API listening on {}:{}", common.httpHost(), http.port());
    }
}
