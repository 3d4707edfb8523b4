package dev.vigil.ingest;

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
 * The ingest worker as its own process (one container per worker; run as many as needed, they share
 * the streams through the consumer group): reads {@code VIGIL_*}, creates missing topics, joins the
 * group and serves {@code /healthy}, {@code /ready} and {@code /metrics} on {@code VIGIL_HTTP_PORT};
 * stops in reverse order on SIGTERM, handing its streams over to the other workers.
 *
 * <p>Set {@code -Dorg.bytedeco.javacpp.cachedir} to a writable folder: JavaCPP unpacks the FFmpeg
 * natives (about 60 MB) there on first start.
 */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        ConfigValues values = ConfigValues.read(env, IngestWorkerConfig.allSettings());
        CommonConfig common = CommonConfig.from(values, env);
        IngestWorkerConfig config = IngestWorkerConfig.from(values);
        log.info("Configuration:\n  {}", String.join("\n  ", values.describe()));
        if (!values.unknownKeys().isEmpty()) {
            log.warn("Ignoring unknown settings (typos?): {}", values.unknownKeys());
        }
        if (common.topicBootstrap()) {
            try (Admin admin = Admin.create(new KafkaClients(common).admin("vigil-ingest-bootstrap"))) {
                new TopicBootstrap(admin, common).ensure(Topics.ALL);
            }
        }
        PrometheusMeterRegistry registry = MeterRegistries.prometheus(common.instanceId());
        Vertx vertx = Vertx.vertx();
        ServiceGroup services = new ServiceGroup("ingest-worker");
        services.stopOnShutdown();
        services.start(new IngestWorkerService(common, config, registry));
        OpsServer http = services.start(new OpsServer(vertx, common.httpHost(), common.httpPort(), services::readiness,
                registry));
        log.info("Ingest worker {} serving health and metrics on {}:{}", common.instanceId(), common.httpHost(), http.port());
    }
}
