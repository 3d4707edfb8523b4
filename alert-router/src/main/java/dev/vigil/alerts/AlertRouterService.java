package dev.vigil.alerts;

import dev.vigil.alerts.binding.StreamAlerts;
import dev.vigil.alerts.judge.JudgeWorker;
import dev.vigil.alerts.metrics.RouterMetrics;
import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.common.kafka.streams.SupervisedStreams;
import dev.vigil.common.lifecycle.Service;
import dev.vigil.common.supervision.RestartPolicy;
import dev.vigil.models.ModelClient;
import dev.vigil.models.judge.ModelJudge;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.Properties;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert-router as a {@link Service}: runs {@link AlertRouterTopology} in a {@link KafkaStreams}
 * application (reads the index topics, {@code vigil.alerts}, {@code vigil.events},
 * {@code vigil.rtstreams}; writes {@code vigil.alerts.fired}).
 *
 * <p>{@link #start()} returns once the application is {@code RUNNING} — group joined, stores restored
 * from their changelogs, global tables loaded — or fails (and cleans up) when it ends in error or
 * does not get there within {@code VIGIL_ALERT_ROUTER_START_TIMEOUT}. Supervised by
 * {@link SupervisedStreams}: a dead stream thread is replaced with back-off within a budget,
 * {@link #isReady()} and {@link #isAlive()} follow its shared rules. The topics must exist: the launcher runs the topic
 * bootstrap first. Meters: {@code vigil_alert_router_*} and Kafka Streams' own metrics.
 *
 * <p>With a text model ({@code VIGIL_MODEL_TEXT}), the service also runs the {@link JudgeWorker} (judged
 * events, off the Streams thread); it is ready and alive only while both are. Without one nothing changes:
 * judged alerts are skipped and counted.
 */
public final class AlertRouterService implements Service {

    private static final Logger log = LoggerFactory.getLogger(AlertRouterService.class);

    private final CommonConfig common;
    private final AlertRouterConfig config;
    private final PrometheusMeterRegistry registry;
    private KafkaStreams streams;
    private SupervisedStreams supervision;
    private KafkaStreamsMetrics streamsMetrics;
    private ModelClient modelClient;
    private JudgeWorker judgeWorker;

    public AlertRouterService(CommonConfig common, AlertRouterConfig config, PrometheusMeterRegistry registry) {
        this.common = common;
        this.config = config;
        this.registry = registry;
    }

    @Override
    public String name() {
        return "alert-router";
    }

    @Override
    public synchronized void start() throws Exception {
        if (streams != null) {
            throw new IllegalStateException("alert-router already started");
        }
        RouterMetrics metrics = new RouterMetrics(registry);
        boolean judging = config.models().textAvailable();
        Topology topology = AlertRouterTopology.build(new AlertRouterTopologyDeps(common.topicPrefix(),
                Clock.systemUTC(), config.defaultCooldown(), metrics, judging, config.clipLinks().orElse(null)));
        log.debug("Alert-router topology:\n{}", topology.describe());
        Properties props = new Properties();
        props.putAll(AlertRouterStreamsConfig.of(common, config, metrics));

        streams = new KafkaStreams(topology, props);
        // Per-record failures are handled by the processing and deserialization handlers; what
        // reaches the supervisor's thread handler is the thread's own trouble (e.g. a fenced producer).
        supervision = new SupervisedStreams("alert-router", streams, RestartPolicy.DEFAULT).bindTo(registry);
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        Gauge.builder("vigil.alert.router.alerts", this, AlertRouterService::alertsInTable)
                .description("Alerts in this instance's part of the alert table (NaN while not running)")
                .register(registry);
        try {
            if (judging) {
                startJudge(metrics);
            }
            supervision.start(config.startTimeout());
        } catch (Exception e) {
            close();
            throw e;
        }
        log.info("Alert-router running: application {}{}, {} stream thread(s), topics under '{}'",
                common.topicPrefix(), config.applicationId(), config.streamThreads(), common.topicPrefix());
    }

    private void startJudge(RouterMetrics metrics) throws Exception {
        String model = config.models().text().orElseThrow();
        modelClient = new ModelClient(config.models(), registry);
        judgeWorker = new JudgeWorker(new KafkaClients(common), common.topicPrefix(),
                config.judgeGroupId(common.topicPrefix()), new ModelJudge(modelClient, model),
                config.models().concurrency(), config.models().timeout(), Clock.systemUTC(), metrics);
        judgeWorker.start(registry);
        log.info("Judged events on: text model {} (group {})", model, config.judgeGroupId(common.topicPrefix()));
    }

    @Override
    public synchronized boolean isReady() {
        return streams != null && supervision.isReady() && (judgeWorker == null || judgeWorker.isRunning());
    }

    @Override
    public synchronized boolean isAlive() {
        return streams == null || supervision.isAlive() && (judgeWorker == null || judgeWorker.isAlive());
    }

    /** The Streams state, for diagnostics; {@code null} before start and after close. */
    public synchronized KafkaStreams.State state() {
        return streams == null ? null : streams.state();
    }

    /**
     * How many alerts this instance routes now: those of the rtstreams whose partitions it owns, as
     * loaded in its {@code alerts-by-rtstream} store; NaN while it is not running.
     */
    public synchronized double alertsInTable() {
        if (streams == null || streams.state() != KafkaStreams.State.RUNNING) {
            return Double.NaN;
        }
        try {
            ReadOnlyKeyValueStore<String, StreamAlerts> store = streams.store(StoreQueryParameters.fromNameAndType(
                    AlertRouterTopology.ALERTS_BY_RTSTREAM, QueryableStoreTypes.keyValueStore()));
            long count = 0;
            try (KeyValueIterator<String, StreamAlerts> all = store.all()) {
                while (all.hasNext()) {
                    count += all.next().value.size();
                }
            }
            return count;
        } catch (InvalidStateStoreException e) {
            return Double.NaN; // migrating between instances during a rebalance
        }
    }

    @Override
    public synchronized void close() {
        if (streamsMetrics != null) {
            streamsMetrics.close();
            streamsMetrics = null;
        }
        if (streams != null) {
            supervision.stopping();
            // Leave the group: the remaining instances take the partitions over at once instead of after
            // the session timeout, during which their alerts would not fire.
            boolean closed = streams.close(CloseOptions.timeout(config.closeTimeout())
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            if (!closed) {
                log.warn("Alert-router stream threads did not stop within {}", config.closeTimeout());
            }
            streams = null;
        }
        // After the Streams application: no more requests are written; the worker finishes its poll.
        if (judgeWorker != null) {
            judgeWorker.close();
            judgeWorker = null;
        }
        if (modelClient != null) {
            modelClient.close();
            modelClient = null;
        }
    }
}
