package dev.vigil.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;

import dev.vigil.schemas.TopicGroup;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {

    private static final Setting<String> TOKEN = Settings.string("VIGIL_TEST_TOKEN", null, "A secret token.").required().secret();
    private static final Setting<Integer> WORKERS = Settings.integer("VIGIL_TEST_WORKERS", 4, 1, 64, "Worker threads.");
    private static final Setting<Duration> TIMEOUT = Settings.duration("VIGIL_TEST_TIMEOUT", Duration.ofSeconds(5), "Timeout.");
    private static final Setting<Boolean> ENABLED = Settings.bool("VIGIL_TEST_ENABLED", false, "Switch.");
    private static final List<Setting<?>> ALL = List.of(TOKEN, WORKERS, TIMEOUT, ENABLED);

    @Test
    void usesDefaultsForUnsetAndBlankValues() {
        ConfigValues values = ConfigValues.read(Map.of("VIGIL_TEST_TOKEN", "s3cret", "VIGIL_TEST_WORKERS", "  "), ALL);

        assertThat(values.get(WORKERS)).isEqualTo(4);
        assertThat(values.get(TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
        assertThat(values.get(ENABLED)).isFalse();
        assertThat(values.get(TOKEN)).isEqualTo("s3cret");
    }

    @Test
    void reportsEveryErrorAtOnce() {
        Map<String, String> env = Map.of(
                "VIGIL_TEST_WORKERS", "100",
                "VIGIL_TEST_TIMEOUT", "soon",
                "VIGIL_TEST_ENABLED", "maybe");

        assertThatThrownBy(() -> ConfigValues.read(env, ALL))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("4 errors")
                .extracting(e -> ((ConfigException) e).errors(), LIST)
                .satisfiesExactlyInAnyOrder(
                        e -> assertThat((String) e).contains("VIGIL_TEST_TOKEN", "required"),
                        e -> assertThat((String) e).contains("VIGIL_TEST_WORKERS", "'100'", "between 1 and 64"),
                        e -> assertThat((String) e).contains("VIGIL_TEST_TIMEOUT", "'soon'", "duration"),
                        e -> assertThat((String) e).contains("VIGIL_TEST_ENABLED", "'maybe'", "boolean"));
    }

    @Test
    void neverRevealsASecretValueInErrorsOrDescriptions() {
        Setting<Integer> pin = Settings.integer("VIGIL_TEST_PIN", null, 0, 9999, "PIN.").secret();
        assertThatThrownBy(() -> ConfigValues.read(Map.of("VIGIL_TEST_PIN", "hunter2"), List.of(pin)))
                .hasMessageContaining("VIGIL_TEST_PIN")
                .hasMessageNotContaining("hunter2");

        ConfigValues values = ConfigValues.read(Map.of("VIGIL_TEST_TOKEN", "s3cret"), ALL);
        assertThat(values.describe()).contains("VIGIL_TEST_TOKEN=******", "VIGIL_TEST_WORKERS=4")
                .noneMatch(line -> line.contains("s3cret"));
    }

    @Test
    void parsesDurationsInShortAndIsoForms() {
        assertThat(Settings.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Settings.parseDuration("6h")).isEqualTo(Duration.ofHours(6));
        assertThat(Settings.parseDuration("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Settings.parseDuration("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void parsesByteSizesWithBinaryUnits() {
        assertThat(Settings.parseBytes("1048576")).isEqualTo(1_048_576L);
        assertThat(Settings.parseBytes("512KB")).isEqualTo(512L * 1024);
        assertThat(Settings.parseBytes("64mb")).isEqualTo(64L * 1024 * 1024);
        assertThat(Settings.parseBytes("10 GB")).isEqualTo(10L * 1024 * 1024 * 1024);
        assertThat(Settings.parseBytes("0")).isZero();
        assertThatThrownBy(() -> Settings.parseBytes("-1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Settings.parseBytes("12 parsecs")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Settings.parseBytes("99999999999TB")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void flagsUnknownVigilVariablesAsLikelyTypos() {
        ConfigValues values = ConfigValues.read(
                Map.of("VIGIL_TEST_TOKEN", "x", "VIGIL_TEST_WORKRES", "8", "PATH", "/bin"), ALL);

        assertThat(values.unknownKeys()).containsExactly("VIGIL_TEST_WORKRES");
    }

    @Test
    void commonConfigReadsRetentionOverridesAndKafkaPassThroughProperties() {
        CommonConfig config = CommonConfig.fromEnv(Map.of(
                "VIGIL_KAFKA_BOOTSTRAP_SERVERS", "kafka-0:9092,kafka-1:9092",
                "VIGIL_TOPIC_RETENTION_MEDIA", "2h",
                "VIGIL_KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL",
                "VIGIL_KAFKA_CLIENT_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"p\";"));

        assertThat(config.kafkaBootstrapServers()).isEqualTo("kafka-0:9092,kafka-1:9092");
        assertThat(config.retentionOverrides()).containsExactly(Map.entry(TopicGroup.MEDIA, Duration.ofHours(2)));
        assertThat(config.topicPartitions()).isEmpty();
        assertThat(config.kafkaClientProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsKey("sasl.jaas.config");
        assertThat(config.describeKafkaClientProperties())
                .containsExactly("sasl.jaas.config=******", "security.protocol=SASL_SSL");
    }

    @Test
    void commonConfigRejectsMalformedBootstrapServersAndPrefix() {
        assertThatThrownBy(() -> CommonConfig.fromEnv(Map.of(
                "VIGIL_KAFKA_BOOTSTRAP_SERVERS", "kafka without port",
                "VIGIL_TOPIC_PREFIX", "vigil/")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("VIGIL_KAFKA_BOOTSTRAP_SERVERS")
                .hasMessageContaining("VIGIL_TOPIC_PREFIX");
    }

    @Test
    void referenceTableListsEverySetting() {
        String table = ConfigReference.markdown(CommonConfig.SETTINGS);

        CommonConfig.SETTINGS.forEach(s -> assertThat(table).contains("`" + s.env() + "`"));
        assertThat(table).contains("`vigil.`", "between 1 and 16");
    }
}
