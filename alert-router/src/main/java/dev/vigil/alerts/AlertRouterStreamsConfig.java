package dev.vigil.alerts;

import dev.vigil.alerts.metrics.RouterMetrics;
import dev.vigil.alerts.poison.PoisonRecordHandler;
import dev.vigil.alerts.poison.RecordTimestamps;
import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.kafka.KafkaClients;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;

/**
 * The Kafka Streams configuration of the alert-router: {@link KafkaClients#streams}'s low-latency
 * defaults (producer linger 0, record cache off) plus what this application adds,
 * each with its reason below.
 */
public final class AlertRouterStreamsConfig {

    private AlertRouterStreamsConfig() {
    }

    /** The full configuration of the service's {@code KafkaStreams}. */
    public static Map<String, Object> of(CommonConfig common, AlertRouterConfig config, RouterMetrics metrics) {
        Map<String, Object> props = new KafkaClients(common).streams(config.applicationId(), config.stateDir());
        props.putAll(topologyOverrides(metrics));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        // A commit blocks the stream thread on a producer flush and a synchronous offset commit (two broker
        // round trips); records arriving meanwhile wait. At 100 ms that was 15-23 % of the stream thread's
        // samples under load; at the 1 s default it is a few percent (alert-router/DESIGN.md, Performance).
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
        // What each guarantee costs and risks is in alert-router/DESIGN.md.
        // Downstream readers of vigil.alerts.fired stay read_uncommitted: they see a notification as soon
        // as it is written, not at the next commit; after a crash they may see an aborted copy, which
        // carries the same notification id (at-least-once delivery deduplicates by it).
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee().streamsValue());
        return props;
    }

    /**
     * The settings the topology's behaviour depends on, shared by the service and the
     * {@code TopologyTestDriver} tests so both run the same way.
     */
    public static Map<String, Object> topologyOverrides(RouterMetrics metrics) {
        Map<String, Object> props = new HashMap<>();
        // Undecodable values on any input (index topics, alerts, and the global tables) are logged,
        // counted in vigil_alert_router_poison_records_total and skipped; the handler counts into the
        // registry passed as an object under its own key.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, PoisonRecordHandler.class);
        props.put(PoisonRecordHandler.METRICS_CONFIG, metrics);
        // The topology guards every record it knows can be broken; should anything else throw in a
        // processor, skip that one record rather than kill the stream thread.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class);
        // The same for the global tables' updates (Kafka 5.0's default; 4.x warns until it is set).
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // Kafka 4.4's partition assignor rebuilds a StreamsConfig from the main consumer's settings only
        // and warns that the above is off; repeating it there silences that false warning.
        props.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), true);
        // The default extractor fails the application on a negative record timestamp (another kind of
        // poison); keep such records, on the partition's time.
        props.put(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, RecordTimestamps.class);
        // max.task.idle.ms stays at its default (0), not -1: a task then fetches data already on the
        // broker for its other inputs before going on, so an alert update that went through the
        // repartition topic is joined before index records that came after it. In steady state every
        // fetch drains its partitions, so this costs no wait; it costs one fetch when it matters.
        // Every store is in memory (the topology says so explicitly too): RocksDB is not on the class path.
        props.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers.class);
        // Internal topic and store names are the application's persistent state: a generated name that
        // shifts when the topology changes would orphan a changelog. Fail the build if one is generated.
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        return props;
    }
}
