package dev.vigil.standalone;

import dev.vigil.api.ControlApiConfig;
import dev.vigil.api.records.RecordsConfig;
import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.config.Setting;
import dev.vigil.common.config.Settings;
import dev.vigil.common.ops.HttpEdge;
import dev.vigil.common.models.ModelConfig;
import dev.vigil.alerts.AlertRouterConfig;
import dev.vigil.indexer.IndexerConfig;
import dev.vigil.ingest.IngestWorkerConfig;
import dev.vigil.ingest.record.RecordingConfig;
import dev.vigil.storage.StorageConfig;
import dev.vigil.webhooks.WebhookDispatcherConfig;
import dev.vigil.ws.WsGatewayConfig;
import java.util.HashMap;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Configuration of the all-in-one process: the common settings plus where data lives and whether
 * (and on which ports) to run the embedded broker.
 */
public record StandaloneConfig(CommonConfig common, ControlApiConfig controlApi, IngestWorkerConfig ingest,
        IndexerConfig indexer, AlertRouterConfig alertRouter, WebhookDispatcherConfig webhooks, WsGatewayConfig wsGateway, Path dataDir, boolean embeddedKafka, String embeddedKafkaHost,
        int embeddedKafkaPort, int embeddedControllerPort, Duration httpIdleTimeout, Optional<Integer> opsPort,
        List<String> description, Set<String> unknownKeys, RecordingConfig recording, StorageConfig storage) {

    public static final Setting<String> DATA_DIR = Settings.string("VIGIL_DATA_DIR", "data",
            "Directory for the embedded broker's logs and local state; kept across restarts.");
    public static final Setting<Boolean> KAFKA_EMBEDDED = Settings.bool("VIGIL_KAFKA_EMBEDDED", true,
            "Run a Kafka broker inside the process; false connects to VIGIL_KAFKA_BOOTSTRAP_SERVERS instead.");
    public static final Setting<String> KAFKA_EMBEDDED_HOST = Settings.string("VIGIL_KAFKA_EMBEDDED_HOST", "127.0.0.1",
            "Interface the embedded broker listens on (and advertises).");
    public static final Setting<Integer> KAFKA_EMBEDDED_PORT = Settings.integer("VIGIL_KAFKA_EMBEDDED_PORT", 9092, 1, 65_535,
            "Client port of the embedded broker.");
    public static final Setting<Integer> KAFKA_EMBEDDED_CONTROLLER_PORT = Settings.integer(
            "VIGIL_KAFKA_EMBEDDED_CONTROLLER_PORT", 9093, 1, 65_535, "KRaft controller port of the embedded broker.");

    /** Settings of the launcher itself, after the common ones. */
    public static final List<Setting<?>> OWN_SETTINGS = List.of(DATA_DIR, KAFKA_EMBEDDED, KAFKA_EMBEDDED_HOST,
            KAFKA_EMBEDDED_PORT, KAFKA_EMBEDDED_CONTROLLER_PORT);

    public static List<Setting<?>> settings() {
        List<Setting<?>> all = new ArrayList<>(CommonConfig.SETTINGS);
        all.addAll(OWN_SETTINGS);
        all.addAll(ControlApiConfig.SETTINGS);
        all.addAll(IngestWorkerConfig.SETTINGS);
        // Recording: written by the ingest worker, played back by control-api (both read VIGIL_STORAGE_*).
        all.addAll(RecordingConfig.SETTINGS);
        all.addAll(StorageConfig.SETTINGS);
        all.addAll(IndexerConfig.SETTINGS);
        // Server-wide, read by every service that calls a model or must know whether one is there.
        all.addAll(ModelConfig.SETTINGS);
        all.addAll(AlertRouterConfig.SETTINGS);
        all.addAll(WebhookDispatcherConfig.SETTINGS);
        // The ticket secret is declared once, by the control API, which shares it with the gateway in-process.
        all.addAll(WsGatewayConfig.SETTINGS);
        // Settings two services declare (VIGIL_SECRETS_KEYS: control-api seals, the dispatcher opens) once.
        return all.stream().distinct().toList();
    }

    /** Reads and validates everything; a {@link dev.vigil.common.config.ConfigException} lists every error. */
    public static StandaloneConfig from(Map<String, String> givenEnv) {
        Map<String, String> env = new HashMap<>(givenEnv);
        // Local state of the services lives under the data directory unless configured elsewhere.
        String dataDir = env.getOrDefault(DATA_DIR.env(), DATA_DIR.defaultValue().orElseThrow());
        env.putIfAbsent(IndexerConfig.STATE_DIR.env(), Path.of(dataDir, "indexer").toString());
        env.putIfAbsent(AlertRouterConfig.STATE_DIR.env(), Path.of(dataDir, "alert-router").toString());
        // The search index survives restarts (otherwise it is rebuilt from the index topics at each start).
        env.putIfAbsent(RecordsConfig.DIR.env(), Path.of(dataDir, "records").toString());
        // Recordings of store=true streams (local backend).
        env.putIfAbsent(StorageConfig.DIR.env(), Path.of(dataDir, "recordings").toString());
        ConfigValues values = ConfigValues.read(env, settings());
        boolean embedded = values.get(KAFKA_EMBEDDED);
        CommonConfig common = CommonConfig.from(values, env);
        if (embedded) {
            // The embedded broker is where the services connect, whatever the bootstrap setting says.
            String bootstrap = values.get(KAFKA_EMBEDDED_HOST) + ":" + values.get(KAFKA_EMBEDDED_PORT);
            common = new CommonConfig(bootstrap, common.topicPrefix(), common.topicBootstrap(), common.topicPartitions(),
                    common.topicReplicationFactor(), common.retentionOverrides(), common.httpHost(), common.httpPort(),
                    common.instanceId(), common.kafkaClientProperties());
        }
        List<String> description = new ArrayList<>(values.describe());
        description.addAll(common.describeKafkaClientProperties());
        return new StandaloneConfig(common, ControlApiConfig.from(values), IngestWorkerConfig.from(values),
                IndexerConfig.from(values), AlertRouterConfig.from(values), WebhookDispatcherConfig.from(values), WsGatewayConfig.from(values), Path.of(values.get(DATA_DIR)), embedded, values.get(KAFKA_EMBEDDED_HOST),
                values.get(KAFKA_EMBEDDED_PORT), values.get(KAFKA_EMBEDDED_CONTROLLER_PORT),
                values.get(HttpEdge.IDLE_TIMEOUT), values.find(HttpEdge.OPS_PORT), List.copyOf(description),
                values.unknownKeys(), RecordingConfig.from(values), StorageConfig.from(values));
    }
}
