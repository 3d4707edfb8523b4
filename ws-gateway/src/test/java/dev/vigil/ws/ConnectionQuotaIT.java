package dev.vigil.ws;

import static dev.vigil.testkit.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.TestKafka;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One collection cannot take every WebSocket slot: over {@code VIGIL_QUOTA_WS_CONNECTIONS} its
 * upgrades get 429 with Retry-After and a message naming the setting, while another collection still
 * connects; a closed connection gives its collection the slot back.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class ConnectionQuotaIT {

    @Test
    void aCollectionOverItsConnectionQuotaGets429WhileAnotherStillConnects(TestKafka kafka) throws Exception {
        List<TestSocket> sockets = new ArrayList<>();
        try (GatewayHarness h = GatewayHarness.start(kafka, Map.of("VIGIL_WS_MAX_CONNECTIONS", "10",
                "VIGIL_QUOTA_WS_CONNECTIONS", "2"), true)) {
            sockets.add(h.connect("c-greedy"));
            sockets.add(h.connect("c-greedy"));
            String ticket = h.tickets.issue("c-greedy");
            Throwable refused = catchThrowable(() -> TestSocket.open(h.client, h.port(), "/ws?ticket=" + ticket));
            assertThat(refused).isInstanceOf(UpgradeRejectedException.class);
            UpgradeRejectedException rejection = (UpgradeRejectedException) refused;
            assertThat(rejection.getStatus()).isEqualTo(429);
            assertThat(rejection.getHeaders().get("Retry-After")).isNotBlank();
            JsonObject body = new JsonObject(rejection.getBody());
            assertThat(body.getString("error_code")).isEqualTo("quota_exceeded");
            assertThat(body.getString("message")).contains("VIGIL_QUOTA_WS_CONNECTIONS");

            // Another tenant is unaffected.
            sockets.add(h.connect("c-modest"));
            assertThat(h.gateway.connections()).isEqualTo(3);

            // Closing one of its connections gives the collection its slot back; the refused ticket was not consumed.
            sockets.remove(0).close();
            await().alias("slot released").until(() -> h.gateway.connections() == 2);
            try (TestSocket retried = TestSocket.connect(h.client, h.port(), "/ws?ticket=" + ticket)) {
                assertThat(retried.connectionId()).startsWith("wsc-");
            }
        } finally {
            sockets.forEach(TestSocket::close);
        }
    }
}
