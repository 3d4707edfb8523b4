package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.ControlApiHarness.Exchange;
import dev.vigil.kafka.embedded.EmbeddedKafka;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/**
 * With Kafka gone, control writes and barrier reads answer 503 with Retry-After (the producers'
 * short max.block.ms and the request timeout bound them), and requests that need no Kafka keep being
 * served: nothing waits on the event loop. The test owns its broker, so it can stop it.
 */
class KafkaUnavailableIT {

    @Test
    void writesAndReadsAnswer503WithRetryAfterWhileTheBrokerIsDownAndTheEventLoopStaysFree() throws Exception {
        EmbeddedKafka broker = EmbeddedKafka.forTests().start();
        ControlApiHarness api;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            api = ControlApiHarness.start(broker.bootstrapServers(), admin, "down-vigil.", Map.of(
                    "VIGIL_API_REQUEST_TIMEOUT", "1s", "VIGIL_API_KAFKA_MAX_BLOCK", "500ms"));
        } catch (Exception | Error e) {
            broker.close();
            throw e;
        }
        try {
            Exchange before = api.exchange("POST", "/rtstream", ControlApiHarness.ALPHA_KEY,
                    new JsonObject().put("url", "rtsp://camera.example.com/up"));
            assertThat(before.reply().status()).as(before.reply().raw()).isEqualTo(201);

            broker.close();

            Exchange write = api.exchange("POST", "/rtstream", ControlApiHarness.ALPHA_KEY,
                    new JsonObject().put("url", "rtsp://camera.example.com/down").put("name", "down"));
            assertUnavailable(write);
            Exchange read = api.exchange("GET", "/rtstream", ControlApiHarness.ALPHA_KEY, null);
            assertUnavailable(read);
            // Routes that need no Kafka are still served.
            assertThat(api.alpha("GET", "/collection", null).status()).isEqualTo(200);
            assertThat(api.alpha("GET", "/collection/default/websocket", null).status()).isEqualTo(200);
        } finally {
            api.close();
            broker.close();
        }
    }

    private static void assertUnavailable(Exchange answer) {
        assertThat(answer.reply().status()).as(answer.reply().raw()).isEqualTo(503);
        assertThat(answer.reply().json().getString("error_code")).isEqualTo("unavailable");
        assertThat(answer.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
    }
}
