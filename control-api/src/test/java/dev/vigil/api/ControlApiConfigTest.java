package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.api.quota.QuotaConfig;
import dev.vigil.common.config.ConfigException;
import dev.vigil.common.config.ConfigValues;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlApiConfigTest {

    private static ControlApiConfig read(Map<String, String> env) {
        return ControlApiConfig.from(ConfigValues.read(env, ControlApiConfig.SETTINGS));
    }

    @Test
    void aTicketTtlOverAnHourFailsValidationNamingTheSetting() {
        assertThatThrownBy(() -> read(Map.of("VIGIL_WS_TICKET_TTL", "2h")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("VIGIL_WS_TICKET_TTL")
                .hasMessageContaining("1h");
        assertThat(read(Map.of("VIGIL_WS_TICKET_TTL", "1h")).wsTicketTtl()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void quotasAndTheKafkaBlockBoundHaveDefaultsAndAreValidated() {
        ControlApiConfig config = read(Map.of());
        assertThat(config.quotas()).isEqualTo(new QuotaConfig(100, 500, 500, 1_000, 60, 100));
        assertThat(config.kafkaMaxBlock()).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> read(Map.of("VIGIL_QUOTA_STREAMS", "0", "VIGIL_API_KAFKA_MAX_BLOCK", "5m")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("VIGIL_QUOTA_STREAMS")
                .hasMessageContaining("VIGIL_API_KAFKA_MAX_BLOCK");
    }
}
