package dev.vigil.webhooks;

import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.config.ConfigException;
import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.common.lifecycle.Service;
import dev.vigil.common.ids.Ids;
import dev.vigil.common.net.CallbackUrlPolicy;
import dev.vigil.common.net.HostResolver;
import dev.vigil.common.secrets.SecretKeys;
import dev.vigil.common.secrets.WebhookSecrets;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.alerts.Channel;
import dev.vigil.webhooks.alerts.AlertTable;
import dev.vigil.webhooks.delivery.Dispatcher;
import dev.vigil.webhooks.delivery.DispatcherVerticle;
import dev.vigil.webhooks.http.Destinations;
import dev.vigil.webhooks.http.WebhookClient;
import dev.vigil.webhooks.metrics.DispatcherMetrics;
import dev.vigil.webhooks.payload.WebhookPayload;
import dev.vigil.webhooks.pipeline.DeliveryPipeline;
import dev.vigil.webhooks.retry.RetryAfter;
import dev.vigil.webhooks.retry.RetrySchedule;
import dev.vigil.webhooks.signing.WebhookSigner;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook dispatcher as one {@link Service}: delivers every notification of
 * {@code vigil.alerts.fired} that has a callback URL to its endpoint, signed, at least once.
 *
 * <p>Reads {@code vigil.alerts.fired}, {@code vigil.webhooks.retry.*} (consumer group
 * {@code <prefix>webhook-dispatcher}) and {@code vigil.alerts} (as a table: secrets, status).
 * Writes {@code vigil.webhooks.attempts} (the delivery log), {@code vigil.webhooks.retry.*},
 * {@code vigil.webhooks.dead} and, when an endpoint answers 410 Gone, {@code vigil.alerts}.
 *
 * <p>Parts, started in order: the alert table (returns once loaded), the dispatcher on its own
 * event-loop context, the pipeline (returns once the group assigned partitions). {@link #start()}
 * returns when consuming. See {@code DESIGN.md} next to this class for the flow.
 */
public final class WebhookDispatcherService implements Service {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcherService.class);
    private static final long DEPLOY_TIMEOUT_S = 30;

    private final Vertx vertx;
    private final CommonConfig common;
    private final WebhookDispatcherConfig config;
    private final PrometheusMeterRegistry registry;
    private final HostResolver resolver;
    private AlertTable alerts;
    private WebhookClient client;
    private DispatcherVerticle verticle;
    private String deploymentId;
    private DeliveryPipeline pipeline;
    private DispatcherMetrics metrics;

    public WebhookDispatcherService(Vertx vertx, CommonConfig common, WebhookDispatcherConfig config,
            PrometheusMeterRegistry registry) {
        this(vertx, common, config, registry, HostResolver.system());
    }

    /** {@code resolver}: how callback hosts are resolved for the SSRF guard (tests may pass a fixed table). */
    public WebhookDispatcherService(Vertx vertx, CommonConfig common, WebhookDispatcherConfig config,
            PrometheusMeterRegistry registry, HostResolver resolver) {
        this.vertx = vertx;
        this.common = common;
        this.config = config;
        this.registry = registry;
        this.resolver = resolver;
        if (config.secretKeys().isEmpty()) {
            // Alerts' webhook secrets are sealed in vigil.alerts; without the keys nothing could be signed.
            throw new ConfigException(List.of(SecretKeys.KEYS.env() + ": required by webhook-dispatcher ("
                    + SecretKeys.KEYS.doc() + ")"));
        }
    }

    @Override
    public String name() {
        return "webhook-dispatcher";
    }

    @Override
    public void start() throws Exception {
        try {
            warmUp();
            KafkaClients clients = new KafkaClients(common);
            metrics = new DispatcherMetrics(registry);
            alerts = new AlertTable(clients.reader("vigil-webhook-alerts"), common.topicPrefix(), registry);
            alerts.start();

            client = new WebhookClient(vertx, new WebhookClient.Limits(config.connectTimeout(), config.responseTimeout(),
                    config.attemptDeadline(), config.maxResponseBodyBytes()), config.endpointConcurrency());
            Dispatcher.Deps deps = new Dispatcher.Deps(alerts,
                    new Destinations(vertx, config.allowPrivateCallbacks(), resolver, config.dnsCacheTtl()),
                    client, new WebhookSigner(new WebhookSecrets(config.secretKeys().orElseThrow())), new RetrySchedule(config.retrySchedule(), config.retryJitterPercent()),
                    config.endpointConcurrency(), config.endpointMaxQueued(), config.tenantMaxInFlight(),
                    config.breakerFailureThreshold(), config.breakerOpenDuration(),
                    config.endpointMaxQueueWait(), metrics, Clock.systemUTC());
            // The pipeline is created after the dispatcher, which hands it outcomes: tie them up late.
            AtomicReference<DeliveryPipeline> sink = new AtomicReference<>();
            verticle = new DispatcherVerticle(context -> new Dispatcher(context, deps, outcome -> sink.get().accept(outcome)));
            deploymentId = vertx.deployVerticle(verticle).await(DEPLOY_TIMEOUT_S, TimeUnit.SECONDS);

            pipeline = new DeliveryPipeline(clients.consumer("vigil-webhook-dispatcher", DeliveryPipeline.groupId(common.topicPrefix())),
                    clients.producer("vigil-webhook-dispatcher"), common.topicPrefix(), verticle.jobs(), metrics,
                    config.maxPending());
            sink.set(pipeline);
            pipeline.bindTo(registry);
            pipeline.start();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
        if (config.allowPrivateCallbacks()) {
            log.warn("Private callback addresses are allowed (VIGIL_WEBHOOK_ALLOW_PRIVATE_CALLBACKS): the SSRF guard is off");
        }
        log.info("Webhook dispatcher consuming {} and {} retry tiers ({}), group {}", common.topicPrefix() + "alerts.fired",
                config.retrySchedule().size(), config.retrySchedule(), DeliveryPipeline.groupId(common.topicPrefix()));
    }

    /**
     * Loads and initialises, on this thread, what the event loop uses on its first delivery (the JCE
     * MAC, Jackson, the URL and date parsers): measured 2-3 s of class loading on a busy machine,
     * which would otherwise block the event loop while the first notifications wait.
     */
    private static void warmUp() {
        try {
            String body = WebhookPayload.json(AlertNotification.newBuilder()
                    .setId("ntf-warm-up").setCollectionId("-").setAlertId("-").setEventId("-").setLabel("-")
                    .setRtstreamId("-").setIndexId("-").setChannel(Channel.TRANSCRIPT).setText("-")
                    .setStart(Instant.EPOCH).setEnd(Instant.EPOCH).setTimestamp(Instant.EPOCH)
                    .setRecordEmitTs(Instant.EPOCH).setCallbackUrl("https://example.com/").build());
            new WebhookSigner().sign(Ids.webhookSecret(), "ntf-warm-up", Instant.now(), body);
            new CallbackUrlPolicy(true).checkSyntax("https://example.com/hook?a=b");
            RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", Instant.now());
        } catch (Exception e) {
            log.debug("Warm-up failed (harmless): {}", e.toString());
        }
    }

    @Override
    public boolean isReady() {
        return pipeline != null && pipeline.isRunning() && alerts != null && alerts.isRunning();
    }

    /** False once the pipeline or the alert table spent its restart budget. */
    @Override
    public boolean isAlive() {
        DeliveryPipeline p = pipeline;
        AlertTable a = alerts;
        return (p == null || p.isAlive()) && (a == null || a.isAlive());
    }

    /** The dispatcher's meters (also registered on the registry given at construction). */
    public DispatcherMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        // Reverse order: stop consuming and settle what is in flight, then the HTTP side, then the table.
        if (pipeline != null) {
            pipeline.close();
            pipeline = null;
        }
        if (deploymentId != null) {
            try {
                vertx.undeploy(deploymentId).await(DEPLOY_TIMEOUT_S, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("Dispatcher verticle did not undeploy cleanly", e);
            }
            deploymentId = null;
        }
        if (client != null) {
            client.close();
            client = null;
        }
        if (alerts != null) {
            alerts.close();
            alerts = null;
        }
    }
}
