package dev.vigil.indexer;

import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.kafka.KafkaClients;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;

/**
 * The Kafka Streams configuration of the indexer: {@link KafkaClients#streams}'s low-latency defaults
 * (producer linger 0, record cache off, 100 ms commits) plus what this application adds, each with its
 * reason below.
 */
public final class IndexerStreamsConfig {

    private IndexerStreamsConfig() {
    }

    /** The full configuration of the service's {@code KafkaStreams}. */
    public static Map<String, Object> of(CommonConfig common, IndexerConfig config, IndexerMetrics metrics) {
        Map<String, Object> props = new KafkaClients(common).streams(config.applicationId(), config.stateDir());
        props.putAll(topologyOverrides(metrics));
        // The Streams threads only do bookkeeping; the heavy work runs on the worker lanes (see DESIGN.md).
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        return props;
    }

    /**
     * The settings the topology's behaviour depends on, shared by the service and the
     * {@code TopologyTestDriver} tests so both run the same way.
     */
    public static Map<String, Object> topologyOverrides(IndexerMetrics metrics) {
        Map<String, Object> props = new HashMap<>();
        // Avro garbage on a media or index topic is logged, counted in vigil_indexer_media_undecodable_total
        // and skipped; the handler counts into the metrics passed as an object under its own key.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, CountingDeserializationHandler.class);
        props.put(CountingDeserializationHandler.METRICS_CONFIG, metrics);
        // Every store is in memory (the topology says so explicitly too): the state is seconds of media,
        // and RocksDB would add natives and disk for nothing (DESIGN.md, "State stores").
        props.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers.class);
        // Internal topic and store names are the application's persistent state: a generated name that
        // shifts when the topology changes would orphan a changelog. Fail the build if one is generated.
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        return props;
    }
}
