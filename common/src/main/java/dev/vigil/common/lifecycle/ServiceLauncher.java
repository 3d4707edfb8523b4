package dev.vigil.common.lifecycle;

import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.config.Setting;
import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.common.kafka.TopicBootstrap;
import dev.vigil.common.ops.HttpEdge;
import dev.vigil.common.ops.MeterRegistries;
import dev.vigil.common.ops.OpsServer;
import dev.vigil.schemas.Topics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up every service's own process shares (one container per service): read and validate
 * {@code VIGIL_*} (every error at once), log the configuration with secrets masked and warn on unknown
 * keys, create missing topics unless disabled, then Vert.x, the service's parts and the HTTP server
 * ({@code /healthy}, {@code /ready}, {@code /metrics} and the service's routes) in one
 * {@link ServiceGroup} that a JVM shutdown hook stops in reverse order.
 */
public final class ServiceLauncher {

    /** For services that serve nothing but the ops endpoints. */
    public static final Consumer<Router> NO_ROUTES = router -> { };

    private static final Logger log = LoggerFactory.getLogger(ServiceLauncher.class);

    private ServiceLauncher() {
    }

    /** What a service's parts are built from. */
    public record Launch(ConfigValues values, CommonConfig common, Vertx vertx, PrometheusMeterRegistry registry,
            ServiceGroup services) {
    }

    /** A service's own parts. */
    @FunctionalInterface
    public interface Parts {
        /**
         * Starts the service's parts on {@code launch.services()} (after Vert.x, before the HTTP server)
         * and returns the routes it adds to the HTTP server.
         */
        Consumer<Router> start(Launch launch) throws Exception;
    }

    /**
     * Starts service {@code name}; returns once it serves (its threads keep the JVM alive).
     *
     * @param settings every setting the process reads, the common ones included
     */
    public static ServiceGroup launch(String name, List<Setting<?>> settings, Map<String, String> env, Parts parts)
            throws Exception {
        ConfigValues values = ConfigValues.read(env, settings);
        CommonConfig common = CommonConfig.from(values, env);
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
            try (Admin admin = Admin.create(new KafkaClients(common).admin("vigil-" + name + "-bootstrap"))) {
                new TopicBootstrap(admin, common).ensure(Topics.ALL);
            }
        }
        PrometheusMeterRegistry registry = MeterRegistries.prometheus(common.instanceId());
        ServiceGroup services = new ServiceGroup(name);
        services.stopOnShutdown();
        try {
            Vertx vertx = Vertx.vertx();
            // First started, last stopped: Vert.x outlives the parts that use it.
            services.start(new VertxService(vertx));
            Consumer<Router> routes = parts.start(new Launch(values, common, vertx, registry, services));
            Duration idleTimeout = values.get(HttpEdge.IDLE_TIMEOUT);
            Optional<Integer> opsPort = values.find(HttpEdge.OPS_PORT);
            if (opsPort.isPresent()) {
                // Health and metrics on their own port (kept off a public Ingress), the service's routes alone on the other.
                OpsServer ops = services.start(OpsServer.opsOnly(vertx, common.httpHost(), opsPort.get(), services::readiness,
                        services::liveness, registry, idleTimeout));
                OpsServer http = services.start(OpsServer.apiOnly(vertx, common.httpHost(), common.httpPort(), routes,
                        idleTimeout));
                log.info("{} running; HTTP on {}:{}, health and metrics on port {}", name, common.httpHost(), http.port(),
                        ops.port());
            } else {
                OpsServer http = services.start(new OpsServer(vertx, common.httpHost(), common.httpPort(),
                        services::readiness, services::liveness, registry, routes, idleTimeout));
                log.info("{} running; HTTP (health, metrics{}) on {}:{}", name, routes == NO_ROUTES ? "" : ", API",
                        common.httpHost(), http.port());
            }
        } catch (Exception | Error e) {
            services.close();
            registry.close();
            throw e;
        }
        return services;
    }
}
