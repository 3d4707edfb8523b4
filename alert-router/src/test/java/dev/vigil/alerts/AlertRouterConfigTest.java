package dev.vigil.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.common.config.ConfigException;
import dev.vigil.common.config.ConfigValues;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertRouterConfigTest {

    private static AlertRouterConfig read(Map<String, String> env) {
        return AlertRouterConfig.from(ConfigValues.read(env, AlertRouterConfig.allSettings()));
    }

    @Test
    void defaults() {
        AlertRouterConfig config = read(Map.of());

        assertThat(config.applicationId()).isEqualTo("alert-router");
        assertThat(config.stateDir()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "vigil-alert-router"));
        assertThat(config.streamThreads()).isEqualTo(1);
        assertThat(config.commitInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.defaultCooldown()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.startTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(config.closeTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void readsEverySetting() {
        AlertRouterConfig config = read(Map.ofEntries(
                Map.entry("VIGIL_ALERT_ROUTER_APPLICATION_ID", "router-b"),
                Map.entry("VIGIL_ALERT_ROUTER_STATE_DIR", "/var/lib/vigil/router"),
                Map.entry("VIGIL_ALERT_ROUTER_STREAM_THREADS", "4"),
                Map.entry("VIGIL_ALERT_ROUTER_COMMIT_INTERVAL", "50ms"),
                Map.entry("VIGIL_ALERT_ROUTER_DEFAULT_COOLDOWN", "2m"),
                Map.entry("VIGIL_ALERT_ROUTER_START_TIMEOUT", "30s"),
                Map.entry("VIGIL_ALERT_ROUTER_CLOSE_TIMEOUT", "5s"),
                Map.entry("VIGIL_ALERT_ROUTER_PROCESSING_GUARANTEE", "at_least_once"),
                Map.entry("VIGIL_API_PUBLIC_URL", "https://vigil.example.com/"),
                Map.entry("VIGIL_ALERT_CLIP_TTL", "2d"),
                Map.entry("VIGIL_ALERT_CLIP_PADDING", "3s")));

        assertThat(config).isEqualTo(new AlertRouterConfig("router-b", Path.of("/var/lib/vigil/router"), 4,
                Duration.ofMillis(50), Duration.ofMinutes(2), Duration.ofSeconds(30), Duration.ofSeconds(5),
                AlertRouterConfig.ProcessingGuarantee.AT_LEAST_ONCE, dev.vigil.common.models.ModelConfig.offline(),
                java.util.Optional.of(java.net.URI.create("https://vigil.example.com/")), Duration.ofDays(2),
                Duration.ofSeconds(3), java.util.Optional.empty()));
    }

    @Test
    void clipLinksNeedThePublicUrlAndTheKeys() {
        String keys = "k1=material-one-0123456789abcdefghijklmnop";
        assertThat(read(Map.of()).clipLinks()).isEmpty();
        assertThat(read(Map.of("VIGIL_API_PUBLIC_URL", "https://vigil.example.com")).clipLinks()).isEmpty();
        assertThat(read(Map.of("VIGIL_SECRETS_KEYS", keys)).clipLinks()).isEmpty();
        assertThat(read(Map.of("VIGIL_API_PUBLIC_URL", "https://vigil.example.com", "VIGIL_SECRETS_KEYS", keys))
                .clipLinks()).isPresent();
    }

    @Test
    void readsTheModelSettingsForTheJudge() {
        AlertRouterConfig config = read(Map.of("VIGIL_MODEL_BASE_URL", "http://localhost:11434/v1",
                "VIGIL_MODEL_TEXT", "qwen2.5:3b"));

        assertThat(config.models().textAvailable()).isTrue();
        assertThat(config.judgeGroupId("vigil.")).isEqualTo("vigil.alert-router-judge");
        assertThat(read(Map.of()).models().textAvailable()).isFalse();
    }

    @Test
    void reportsEveryBadValueAtOnce() {
        assertThatThrownBy(() -> read(Map.of(
                "VIGIL_ALERT_ROUTER_APPLICATION_ID", "no spaces",
                "VIGIL_ALERT_ROUTER_STREAM_THREADS", "0",
                "VIGIL_ALERT_ROUTER_COMMIT_INTERVAL", "1ms",
                "VIGIL_ALERT_ROUTER_DEFAULT_COOLDOWN", "soon")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContainingAll("VIGIL_ALERT_ROUTER_APPLICATION_ID", "VIGIL_ALERT_ROUTER_STREAM_THREADS",
                        "VIGIL_ALERT_ROUTER_COMMIT_INTERVAL", "VIGIL_ALERT_ROUTER_DEFAULT_COOLDOWN");
    }
}
