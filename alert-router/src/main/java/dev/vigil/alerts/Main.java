package dev.vigil.alerts;

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
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert-router as its own process (one container per service): reads {@code VIGIL_*}, creates
 * missing topics, runs the Streams application, serves {@code /healthy}, {@code /ready} (true while
 * Streams is RUNNING) and {@code /metrics} on {@code VIGIL_HTTP_PORT}, and stops in reverse order on
 * SIGTERM.
 */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        ConfigValues values = ConfigValues.read(env, AlertRouterConfig.allSettings());
        CommonConfig common = CommonConfig.from(values, env);
        AlertRouterConfig config = AlertRouterConfig.from(values);
        log.info("Configuration:\n  {}", String.join("\n  ", values.describe()));
        if (!values.unknownKeys().isEmpty()) {
            log.warn("Ignoring unknown settings (typos?): {}", values.unknownKeys());
        }
        if (common.topicBootstrap()) {
            try (Admin admin = Admin.create(new KafkaClients(common).admin("vigil-alert-router-bootstrap"))) {
                new TopicBootstrap(admin, common).ensure(Topics.ALL);
            }
        }
        PrometheusMeterRegistry registry = MeterRegistries.prometheus(common.instanceId());
        Vertx vertx = Vertx.vertx();
        ServiceGroup services = new ServiceGroup("alert-router");
        services.stopOnShutdown();
        services.start(new AlertRouterService(common, config, registry));
        OpsServer http = services.start(new OpsServer(vertx, common.httpHost(), common.httpPort(), services::readiness,
                registry));
        log.info("Alert-router health and metrics on {}:{}", common.httpHost(), http.port());
    }
}
