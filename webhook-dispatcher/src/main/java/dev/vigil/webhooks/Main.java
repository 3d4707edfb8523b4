package dev.vigil.webhooks;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook dispatcher as its own process (one container per service): reads {@code VIGIL_*},
 * creates missing topics, runs the dispatcher, serves {@code /healthy}, {@code /ready} and
 * {@code /metrics} on {@code VIGIL_HTTP_PORT}, and stops in reverse order on SIGTERM — letting
 * in-flight attempts finish and committing what they settled.
 */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        ConfigValues values = ConfigValues.read(env, WebhookDispatcherConfig.allSettings());
        CommonConfig common = CommonConfig.from(values, env);
        WebhookDispatcherConfig config = WebhookDispatcherConfig.from(values);
        log.info("Configuration:\n  {}", String.join("\n  ", values.describe()));
        // VIGIL_KAFKA_CLIENT_* are pass-through Kafka properties, read by CommonConfig, not typos.
        List<String> unknown = values.unknownKeys().stream()
                .filter(k -> !k.startsWith(CommonConfig.KAFKA_CLIENT_PREFIX)).toList();
        if (!unknown.isEmpty()) {
            log.warn("Ignoring unknown settings (typos?): {}", unknown);
        }
        if (!common.kafkaClientProperties().isEmpty()) {
            log.info("Kafka client properties: {}", common.describeKafkaClientProperties());
        }
        if (common.topicBootstrap()) {
            try (Admin admin = Admin.create(new KafkaClients(common).admin("vigil-webhook-dispatcher-bootstrap"))) {
                new TopicBootstrap(admin, common).ensure(Topics.ALL);
            }
        }
        PrometheusMeterRegistry registry = MeterRegistries.prometheus(common.instanceId());
        Vertx vertx = Vertx.vertx();
        ServiceGroup services = new ServiceGroup("webhook-dispatcher");
        services.stopOnShutdown();
        // First started, last stopped: Vert.x outlives the parts that use it.
        services.start(new VertxService(vertx));
        services.start(new WebhookDispatcherService(vertx, common, config, registry));
        OpsServer http = services.start(new OpsServer(vertx, common.httpHost(), common.httpPort(), services::readiness, registry));
        log.info("Webhook dispatcher running; health and metrics on {}:{}", common.httpHost(), http.port());
    }

    /** Closes Vert.x when the group stops. */
    private static final class VertxService implements Service {
        private final Vertx vertx;

        VertxService(Vertx vertx) {
            this.vertx = vertx;
        }

        @Override
        public String name() {
            return "vertx";
        }

        @Override
        public void start() {
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
                log.warn("Vert.x did not close cleanly", e);
            }
        }
    }
}
