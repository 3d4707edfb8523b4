package dev.vigil.standalone;

import dev.vigil.alerts.AlertRouterConfig;
import dev.vigil.alerts.AlertRouterService;
import dev.vigil.api.ControlApiConfig;
import dev.vigil.api.ControlApiService;
import dev.vigil.common.auth.WsTickets;
import dev.vigil.common.kafka.TopicBootstrap;
import dev.vigil.common.lifecycle.ServiceGroup;
import dev.vigil.common.lifecycle.VertxService;
import dev.vigil.common.ops.MeterRegistries;
import dev.vigil.common.ops.OpsServer;
import dev.vigil.common.secrets.SecretKeys;
import dev.vigil.indexer.IndexerService;
import dev.vigil.ingest.IngestWorkerService;
import dev.vigil.storage.SegmentStoreService;
import dev.vigil.kafka.embedded.EmbeddedKafka;
import dev.vigil.webhooks.WebhookDispatcherService;
import dev.vigil.ws.WsGatewayService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every Vigil part in one JVM: the embedded broker (unless an external cluster is configured), the
 * topic bootstrap, and one HTTP port for health and metrics. Services plug in here as they are built,
 * each through the same factory its own {@code Main} uses. Parts start in dependency order and stop
 * in reverse.
 */
public final class Standalone implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Standalone.class);

    private final StandaloneConfig config;
    private final ServiceGroup services = new ServiceGroup("standalone");
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final PrometheusMeterRegistry registry;
    private TopicBootstrapService topics;
    private OpsServer http;
    private ControlApiConfig controlApi;
    private ControlApiService api;

    private final Consumer<Router> extraRoutes;

    private Standalone(StandaloneConfig config, Consumer<Router> extraRoutes) {
        this.config = config;
        this.extraRoutes = extraRoutes;
        this.registry = MeterRegistries.prometheus(config.common().instanceId());
    }

    /** Starts every part; on failure whatever started is stopped again and the cause is thrown. */
    public static Standalone start(StandaloneConfig config) throws Exception {
        return start(config, router -> { });
    }

    /**
     * Starts every part, with {@code extraRoutes} added to the HTTP router before the REST API (the
     * demo's webhook receiver); on failure whatever started is stopped again and the cause is thrown.
     */
    public static Standalone start(StandaloneConfig config, Consumer<Router> extraRoutes) throws Exception {
        Standalone standalone = new Standalone(config, extraRoutes);
        try {
            standalone.startParts();
        } catch (Exception | Error e) {
            standalone.close();
            throw e;
        }
        return standalone;
    }

    private void startParts() throws Exception {
        if (config.embeddedKafka()) {
            services.start(new EmbeddedKafkaService(EmbeddedKafka.builder()
                    .host(config.embeddedKafkaHost())
                    .port(config.embeddedKafkaPort())
                    .controllerPort(config.embeddedControllerPort())
                    .dataDir(config.dataDir().resolve("kafka"))
                    .build()));
        }
        topics = services.start(new TopicBootstrapService(config.common()));
        Vertx vertx = Vertx.vertx();
        services.start(new VertxService(vertx));
        controlApi = config.controlApi().apiKeys().isEmpty()
                ? config.controlApi().withApiKeys(java.util.Map.of(LocalSecrets.apiKey(config.dataDir()), "default"))
                : config.controlApi();
        // One key seals webhook secrets (control-api) and opens them (dispatcher): kept under the data dir.
        SecretKeys secretKeys = controlApi.secretKeys()
                .orElseGet(() -> SecretKeys.of(List.of(LocalSecrets.secretsKey(config.dataDir()))));
        controlApi = controlApi.withSecretKeys(secretKeys);
        // One process: control-api and ws-gateway share this secret in memory when none is configured.
        byte[] ticketSecret = controlApi.wsTicketSecret().map(WsTickets::secretFrom).orElseGet(WsTickets::randomSecret);
        // Recorded segments and exports, for the playback API: the backend VIGIL_STORAGE_* chooses (standalone:
        // <data dir>/recordings), the same the recorder writes to (it opens its own instance of it).
        SegmentStoreService recordings = services.start(new SegmentStoreService(config.storage()));
        api = services.start(new ControlApiService(vertx, config.common(), controlApi, ticketSecret, recordings.store()));
        // The pipeline: every consumer is up before ingest produces the first frame, and on close
        // (reverse order) ingest stops first, so nothing is produced into a stopped pipeline.
        services.start(new IndexerService(config.common(), config.indexer(), registry));
        // Notifications of recorded streams link to their clip: signed with the same keys control-api verifies, at
        // this process's own address unless VIGIL_API_PUBLIC_URL says where clients reach it (port 0: none known yet).
        AlertRouterConfig alertRouter = config.alertRouter().withSecretKeys(secretKeys);
        if (config.common().httpPort() != 0) {
            alertRouter = alertRouter.withDefaultPublicUrl(java.net.URI.create("http://localhost:" + config.common().httpPort()));
        }
        services.start(new AlertRouterService(config.common(), alertRouter, registry));
        services.start(new WebhookDispatcherService(vertx, config.common(), config.webhooks().withSecretKeys(secretKeys),
                registry));
        WsGatewayService gateway = services.start(
                new WsGatewayService(vertx, config.common(), config.wsGateway(), ticketSecret, registry));
        services.start(new IngestWorkerService(config.common(), config.ingest(), config.recording(), config.storage(), registry));
        Consumer<Router> routes = router -> {
            // /ws first: the upgrade must happen before the REST API's catch-all handlers touch the request.
            gateway.mount(router);
            extraRoutes.accept(router);
            api.mount(router);
        };
        if (config.opsPort().isPresent()) {
            // Health and metrics on their own port, the API and /ws alone on the other (as ServiceLauncher does).
            services.start(OpsServer.opsOnly(vertx, config.common().httpHost(), config.opsPort().get(),
                    services::readiness, services::liveness, registry, config.httpIdleTimeout()));
            http = services.start(OpsServer.apiOnly(vertx, config.common().httpHost(), config.common().httpPort(), routes,
                    config.httpIdleTimeout()));
        } else {
            http = services.start(new OpsServer(vertx, config.common().httpHost(), config.common().httpPort(),
                    services::readiness, services::liveness, registry, routes, config.httpIdleTimeout()));
        }
    }

    /** The records store behind the records and search endpoints (for {@code vigil bench}'s model stage). */
    public dev.vigil.api.records.RecordsStore records() {
        return api.records();
    }

    /** The API keys in force, with their collections (a generated one when none was configured). */
    public java.util.Map<String, String> apiKeys() {
        return controlApi.apiKeys();
    }

    /** Registers a JVM shutdown hook (Ctrl-C, SIGTERM) that stops everything in reverse order. */
    public Standalone stopOnShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "vigil-standalone-shutdown"));
        return this;
    }

    /** Blocks until {@link #close()} has run. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    public String kafkaBootstrapServers() {
        return config.common().kafkaBootstrapServers();
    }

    public int httpPort() {
        return http.port();
    }

    /** The base URL of the HTTP endpoint, for people: loopback when bound to every interface. */
    public String httpUrl() {
        String host = config.common().httpHost();
        return "http://" + ("0.0.0.0".equals(host) ? "localhost" : host) + ":" + httpPort();
    }

    public TopicBootstrap.Result topics() {
        return topics.result();
    }

    public boolean isReady() {
        return services.isReady();
    }

    @Override
    public void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        log.info("Stopping Vigil standalone");
        services.close();
        registry.close();
        stopped.countDown();
    }
}
