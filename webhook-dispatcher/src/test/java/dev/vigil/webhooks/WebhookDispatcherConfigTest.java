package dev.vigil.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.config.ConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookDispatcherConfigTest {

    @Test
    void defaultsMatchTheDocumentedSchedule() {
        WebhookDispatcherConfig config = WebhookDispatcherConfig.fromEnv(Map.of());
        assertThat(config.retrySchedule()).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofHours(6));
        assertThat(config.allowPrivateCallbacks()).isFalse();
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.responseTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.endpointConcurrency()).isEqualTo(16);
        assertThat(config.breakerFailureThreshold()).isEqualTo(5);
        assertThat(config.retryJitterPercent()).isEqualTo(20);
    }

    @Test
    void aShortScheduleUsesTheFirstTiers() {
        WebhookDispatcherConfig config = WebhookDispatcherConfig.fromEnv(Map.of(
                "VIGIL_WEBHOOK_RETRY_SCHEDULE", "200ms, 200ms,1s", "VIGIL_WEBHOOK_ALLOW_PRIVATE_CALLBACKS", "true"));
        assertThat(config.retrySchedule()).containsExactly(Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofSeconds(1));
        assertThat(config.allowPrivateCallbacks()).isTrue();
    }

    @Test
    void reportsEveryBadSettingAtOnce() {
        assertThatThrownBy(() -> WebhookDispatcherConfig.fromEnv(Map.of(
                "VIGIL_WEBHOOK_ENDPOINT_CONCURRENCY", "0", "VIGIL_WEBHOOK_CONNECT_TIMEOUT", "soon")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("VIGIL_WEBHOOK_ENDPOINT_CONCURRENCY")
                .hasMessageContaining("VIGIL_WEBHOOK_CONNECT_TIMEOUT");
    }

    @Test
    void rejectsSchedulesThatDoNotFitTheTiers() {
        assertThatThrownBy(() -> WebhookDispatcherConfig.fromEnv(Map.of("VIGIL_WEBHOOK_RETRY_SCHEDULE",
                "1s,2s,3s,4s,5s,6s,7s"))).hasMessageContaining("at most 6");
        assertThatThrownBy(() -> WebhookDispatcherConfig.fromEnv(Map.of("VIGIL_WEBHOOK_RETRY_SCHEDULE", "5s,1s")))
                .hasMessageContaining("must not decrease");
        assertThatThrownBy(() -> WebhookDispatcherConfig.fromEnv(Map.of("VIGIL_WEBHOOK_RETRY_SCHEDULE", "5s,later")))
                .hasMessageContaining("'later' is not a positive duration");
        assertThatThrownBy(() -> WebhookDispatcherConfig.fromEnv(Map.of("VIGIL_WEBHOOK_RETRY_SCHEDULE", "0s")))
                .hasMessageContaining("not a positive duration");
    }

    @Test
    void everySettingIsNamespacedAndDocumented() {
        List<String> names = WebhookDispatcherConfig.SETTINGS.stream().map(s -> s.env()).toList();
        // VIGIL_SECRETS_KEYS is shared with control-api, which seals what the dispatcher opens.
        assertThat(names).allMatch(n -> n.startsWith("VIGIL_WEBHOOK_") || n.equals("VIGIL_SECRETS_KEYS"))
                .doesNotHaveDuplicates();
        assertThat(WebhookDispatcherConfig.allSettings()).hasSize(names.size() + CommonConfig.SETTINGS.size());
    }
}
