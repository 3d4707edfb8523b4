package dev.vigil.common.config;

import dev.vigil.schemas.TopicGroup;
import dev.vigil.schemas.Topics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Settings every Vigil service shares: where Kafka is, how topics are named and sized, where the
 * service's HTTP endpoint listens, and pass-through Kafka client properties.
 *
 * <p>Kafka client properties that Vigil does not model (TLS, SASL, …) are given as
 * {@code VIGIL_KAFKA_CLIENT_<PROPERTY>}, the property name upper-cased with dots as underscores:
 * {@code VIGIL_KAFKA_CLIENT_SECURITY_PROTOCOL=SSL} sets {@code security.protocol}.
 */
public record CommonConfig(
        String kafkaBootstrapServers,
        String topicPrefix,
        boolean topicBootstrap,
        Optional<Integer> topicPartitions,
        short topicReplicationFactor,
        Map<TopicGroup, Duration> retentionOverrides,
        String httpHost,
        int httpPort,
        String instanceId,
        Map<String, String> kafkaClientProperties) {

    public static final String KAFKA_CLIENT_PREFIX = "VIGIL_KAFKA_CLIENT_";

    public static final Setting<String> KAFKA_BOOTSTRAP_SERVERS = Settings.string("VIGIL_KAFKA_BOOTSTRAP_SERVERS",
            "localhost:9092", "Kafka bootstrap servers, host:port[,host:port…].")
            .check(v -> v.matches("[^,\\s:]+:\\d{1,5}(,[^,\\s:]+:\\d{1,5})*"), "a comma-separated list of host:port");
    public static final Setting<String> TOPIC_PREFIX = Settings.string("VIGIL_TOPIC_PREFIX", Topics.DEFAULT_PREFIX,
            "Prefix of every Vigil topic name.")
            .check(v -> v.matches("[A-Za-z0-9._-]{1,100}"), "letters, digits, '.', '_' and '-' only");
    public static final Setting<Boolean> TOPIC_BOOTSTRAP = Settings.bool("VIGIL_TOPIC_BOOTSTRAP", true,
            "Create missing topics at start-up (turn off where topics are managed elsewhere, e.g. Strimzi KafkaTopic).");
    public static final Setting<Integer> TOPIC_PARTITIONS = Settings.integer("VIGIL_TOPIC_PARTITIONS", null, 1, 10_000,
            "Partitions of every created topic; unset uses the catalogue's default (" + Topics.DEFAULT_PARTITIONS + ").");
    public static final Setting<Integer> TOPIC_REPLICATION_FACTOR = Settings.integer("VIGIL_TOPIC_REPLICATION_FACTOR", 1,
            1, 16, "Replication factor of created topics (3 in production).");
    public static final Setting<Duration> RETENTION_MEDIA = Settings.duration("VIGIL_TOPIC_RETENTION_MEDIA", null,
            "Retention of media topics (frames, audio); unset: 6h.");
    public static final Setting<Duration> RETENTION_INDEX = Settings.duration("VIGIL_TOPIC_RETENTION_INDEX", null,
            "Retention of index record topics; unset: 7d.");
    public static final Setting<Duration> RETENTION_ALERTS = Settings.duration("VIGIL_TOPIC_RETENTION_ALERTS", null,
            "Retention of alert notifications and the webhook delivery log; unset: 28d.");
    public static final Setting<String> HTTP_HOST = Settings.string("VIGIL_HTTP_HOST", "0.0.0.0",
            "Interface the service's HTTP endpoint binds to.");
    public static final Setting<Integer> HTTP_PORT = Settings.integer("VIGIL_HTTP_PORT", 8080, 0, 65_535,
            "Port of the service's HTTP endpoint (REST, WebSocket or health/metrics); 0 picks a free port.");
    public static final Setting<String> INSTANCE_ID = Settings.string("VIGIL_INSTANCE_ID", defaultInstanceId(),
            "Name of this instance in logs, client ids and stream ownership; defaults to the host name.")
            .check(v -> v.matches("[A-Za-z0-9._-]{1,100}"), "letters, digits, '.', '_' and '-' only");

    public static final List<Setting<?>> SETTINGS = java.util.stream.Stream.concat(java.util.stream.Stream.of(
            KAFKA_BOOTSTRAP_SERVERS, TOPIC_PREFIX, TOPIC_BOOTSTRAP, TOPIC_PARTITIONS, TOPIC_REPLICATION_FACTOR, RETENTION_MEDIA,
            RETENTION_INDEX, RETENTION_ALERTS, HTTP_HOST, HTTP_PORT, INSTANCE_ID),
            // The HTTP edge (idle timeout, separate ops port) is declared next to the server it shapes.
            dev.vigil.common.ops.HttpEdge.SETTINGS.stream()).toList();

    public CommonConfig {
        retentionOverrides = Map.copyOf(retentionOverrides);
        kafkaClientProperties = Map.copyOf(kafkaClientProperties);
    }

    /** Builds the common part of a service's configuration from already validated values. */
    public static CommonConfig from(ConfigValues values, Map<String, String> env) {
        Map<TopicGroup, Duration> retention = new EnumMap<>(TopicGroup.class);
        values.find(RETENTION_MEDIA).ifPresent(d -> retention.put(TopicGroup.MEDIA, d));
        values.find(RETENTION_INDEX).ifPresent(d -> retention.put(TopicGroup.INDEX, d));
        values.find(RETENTION_ALERTS).ifPresent(d -> retention.put(TopicGroup.ALERTS, d));
        return new CommonConfig(
                values.get(KAFKA_BOOTSTRAP_SERVERS),
                values.get(TOPIC_PREFIX),
                values.get(TOPIC_BOOTSTRAP),
                values.find(TOPIC_PARTITIONS),
                values.get(TOPIC_REPLICATION_FACTOR).shortValue(),
                retention,
                values.get(HTTP_HOST),
                values.get(HTTP_PORT),
                values.get(INSTANCE_ID),
                kafkaClientProperties(env));
    }

    /** Reads only the common settings: for tools and tests. */
    public static CommonConfig fromEnv(Map<String, String> env) {
        return from(ConfigValues.read(env, SETTINGS), env);
    }

    /** {@code VIGIL_KAFKA_CLIENT_SASL_MECHANISM=PLAIN} → {@code sasl.mechanism=PLAIN}. */
    static Map<String, String> kafkaClientProperties(Map<String, String> env) {
        Map<String, String> props = new TreeMap<>();
        env.forEach((key, value) -> {
            if (key.startsWith(KAFKA_CLIENT_PREFIX) && key.length() > KAFKA_CLIENT_PREFIX.length() && !value.isBlank()) {
                String property = key.substring(KAFKA_CLIENT_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                props.put(property, value.trim());
            }
        });
        return props;
    }

    /** Whether a Kafka client property holds a credential and must be masked in logs. */
    public static boolean isSecretProperty(String property) {
        String p = property.toLowerCase(Locale.ROOT);
        return p.contains("password") || p.contains("jaas") || p.contains("secret") || p.endsWith(".key")
                || p.contains("token");
    }

    /** Kafka client properties as {@code name=value} lines with credentials masked. */
    public List<String> describeKafkaClientProperties() {
        return kafkaClientProperties.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + (isSecretProperty(e.getKey()) ? ConfigValues.MASK : e.getValue()))
                .toList();
    }

    private static String defaultInstanceId() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && fromEnv.matches("[A-Za-z0-9._-]{1,100}")) {
            return fromEnv;
        }
        try {
            String host = InetAddress.getLocalHost().getHostName();
            return host.matches("[A-Za-z0-9._-]{1,100}") ? host : "vigil";
        } catch (UnknownHostException e) {
            return "vigil";
        }
    }
}
