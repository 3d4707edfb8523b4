package dev.vigil.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.common.config.ConfigException;
import dev.vigil.common.config.ConfigValues;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WsGatewayConfigTest {

    private static WsGatewayConfig read(Map<String, String> env) {
        return WsGatewayConfig.from(ConfigValues.read(env, WsGatewayConfig.SETTINGS));
    }

    @Test
    void defaults() {
        WsGatewayConfig config = read(Map.of());
        assertThat(config).isEqualTo(new WsGatewayConfig(10_000, 262_144, Duration.ofSeconds(10), 8_192, 10, 5, 32,
                Duration.ofSeconds(15), Duration.ofSeconds(45), 100_000, 1_000));
    }

    @Test
    void readsEverySetting() {
        WsGatewayConfig config = read(Map.ofEntries(
                Map.entry("VIGIL_WS_MAX_CONNECTIONS", "50"),
                Map.entry("VIGIL_WS_WRITE_QUEUE_BYTES", "65536"),
                Map.entry("VIGIL_WS_SLOW_CLIENT_TIMEOUT", "2s"),
                Map.entry("VIGIL_WS_MAX_INBOUND_FRAME_BYTES", "1024"),
                Map.entry("VIGIL_WS_INBOUND_RATE", "3"),
                Map.entry("VIGIL_WS_MAX_STRIKES", "2"),
                Map.entry("VIGIL_WS_MAX_SUBSCRIPTIONS", "4"),
                Map.entry("VIGIL_WS_PING_INTERVAL", "5s"),
                Map.entry("VIGIL_WS_IDLE_TIMEOUT", "20s"),
                Map.entry("VIGIL_WS_TICKET_GUARD_SIZE", "1000"),
                Map.entry("VIGIL_QUOTA_WS_CONNECTIONS", "7")));
        assertThat(config).isEqualTo(new WsGatewayConfig(50, 65_536, Duration.ofSeconds(2), 1_024, 3, 2, 4,
                Duration.ofSeconds(5), Duration.ofSeconds(20), 1_000, 7));
    }

    @Test
    void theIdleTimeoutMustExceedThePingInterval() {
        assertThatThrownBy(() -> read(Map.of("VIGIL_WS_PING_INTERVAL", "30s", "VIGIL_WS_IDLE_TIMEOUT", "30s")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("VIGIL_WS_IDLE_TIMEOUT: must be longer than VIGIL_WS_PING_INTERVAL");
    }

    @Test
    void reportsEveryBadValueAtOnce() {
        assertThatThrownBy(() -> read(Map.of("VIGIL_WS_MAX_CONNECTIONS", "0", "VIGIL_WS_WRITE_QUEUE_BYTES", "lots",
                "VIGIL_WS_SLOW_CLIENT_TIMEOUT", "10ms")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("VIGIL_WS_MAX_CONNECTIONS")
                .hasMessageContaining("VIGIL_WS_WRITE_QUEUE_BYTES")
                .hasMessageContaining("VIGIL_WS_SLOW_CLIENT_TIMEOUT");
    }

    @Test
    void runningAloneTheTicketSecretIsRequiredAndNeverEchoed() {
        assertThat(WsGatewayConfig.SETTINGS).doesNotContain(WsGatewayConfig.TICKET_SECRET);
        assertThat(WsGatewayConfig.allSettings()).contains(WsGatewayConfig.TICKET_SECRET);
        assertThatThrownBy(() -> ConfigValues.read(Map.of(), WsGatewayConfig.allSettings()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("VIGIL_WS_TICKET_SECRET");
        assertThatThrownBy(() -> ConfigValues.read(Map.of("VIGIL_WS_TICKET_SECRET", "short-secret-value"),
                WsGatewayConfig.allSettings()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("VIGIL_WS_TICKET_SECRET")
                .hasMessageNotContaining("short-secret-value");
        byte[] key = new byte[32];
        key[0] = 7;
        String base64 = Base64.getEncoder().encodeToString(key);
        ConfigValues values = ConfigValues.read(Map.of("VIGIL_WS_TICKET_SECRET", base64), WsGatewayConfig.allSettings());
        assertThat(WsGatewayConfig.ticketSecret(values)).isEqualTo(key);
        assertThat(values.describe()).noneMatch(line -> line.contains(base64));
    }
}
