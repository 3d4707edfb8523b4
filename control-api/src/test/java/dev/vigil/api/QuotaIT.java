package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.ControlApiHarness.Exchange;
import dev.vigil.api.ControlApiHarness.Reply;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.TestKafka;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Per-tenant quotas: a tenant that exhausts one gets 429 with Retry-After and a message naming the
 * quota and its setting, while another tenant (its own API key and collection) is unaffected.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class QuotaIT {

    @Test
    void objectQuotasAnswer429NamingTheSettingWhileAnotherTenantCanStillCreate(TestKafka kafka) throws Exception {
        try (ControlApiHarness api = ControlApiHarness.start(kafka, Map.of("VIGIL_QUOTA_STREAMS", "2",
                "VIGIL_QUOTA_INDEXES", "1", "VIGIL_QUOTA_EVENTS", "1", "VIGIL_QUOTA_ALERTS", "1"))) {
            String first = created(api.alpha("POST", "/rtstream", stream("a1"))).getString("id");
            created(api.alpha("POST", "/rtstream", stream("a2")));
            assertQuotaExceeded(api.exchange("POST", "/rtstream", ControlApiHarness.ALPHA_KEY, stream("a3")), "VIGIL_QUOTA_STREAMS");

            String index = created(api.alpha("POST", "/rtstream/" + first + "/index/scene",
                    new JsonObject().put("prompt", "Describe"))).getString("rtstream_index_id");
            assertQuotaExceeded(api.exchange("POST", "/rtstream/" + first + "/index/scene", ControlApiHarness.ALPHA_KEY,
                    new JsonObject().put("prompt", "Again")), "VIGIL_QUOTA_INDEXES");
            // The transcript index counts too.
            assertQuotaExceeded(api.exchange("POST", "/rtstream/" + first + "/transcription", ControlApiHarness.ALPHA_KEY,
                    new JsonObject().put("action", "start")), "VIGIL_QUOTA_INDEXES");

            String event = created(api.alpha("POST", "/rtstream/event", event())).getString("event_id");
            assertQuotaExceeded(api.exchange("POST", "/rtstream/event", ControlApiHarness.ALPHA_KEY, event()), "VIGIL_QUOTA_EVENTS");

            String alerts = "/rtstream/" + first + "/index/" + index + "/alert";
            created(api.alpha("POST", alerts, new JsonObject().put("event_id", event)));
            assertQuotaExceeded(api.exchange("POST", alerts, ControlApiHarness.ALPHA_KEY, new JsonObject().put("event_id", event)),
                    "VIGIL_QUOTA_ALERTS");

            // Beta's collection is counted on its own: everything alpha was refused, beta may still do.
            String betaStream = created(api.beta("POST", "/rtstream", stream("b1"))).getString("id");
            String betaIndex = created(api.beta("POST", "/rtstream/" + betaStream + "/index/scene",
                    new JsonObject().put("prompt", "Describe"))).getString("rtstream_index_id");
            String betaEvent = created(api.beta("POST", "/rtstream/event", event())).getString("event_id");
            created(api.beta("POST", "/rtstream/" + betaStream + "/index/" + betaIndex + "/alert",
                    new JsonObject().put("event_id", betaEvent)));

            // Deleting makes room again.
            assertThat(api.alpha("DELETE", "/rtstream/" + first, null).status()).isEqualTo(200);
            created(api.alpha("POST", "/rtstream", stream("a3")));
        }
    }

    @Test
    void websocketTicketsPerMinuteAreCountedPerCollection(TestKafka kafka) throws Exception {
        try (ControlApiHarness api = ControlApiHarness.start(kafka, Map.of("VIGIL_QUOTA_TICKETS_PER_MINUTE", "2"))) {
            assertThat(api.alpha("GET", "/collection/default/websocket", null).status()).isEqualTo(200);
            assertThat(api.alpha("GET", "/collection/default/websocket", null).status()).isEqualTo(200);
            assertQuotaExceeded(api.exchange("GET", "/collection/default/websocket", ControlApiHarness.ALPHA_KEY, null),
                    "VIGIL_QUOTA_TICKETS_PER_MINUTE");
            assertThat(api.beta("GET", "/collection/default/websocket", null).status()).isEqualTo(200);
        }
    }

    @Test
    void requestsPerSecondAreLimitedPerApiKey(TestKafka kafka) throws Exception {
        try (ControlApiHarness api = ControlApiHarness.start(kafka, Map.of("VIGIL_QUOTA_REQUESTS_PER_SECOND", "5"))) {
            // The bucket holds 5; however fast this machine is, some request within the first few hundred is refused.
            Exchange refused = null;
            for (int i = 0; i < 500 && refused == null; i++) {
                Exchange answer = api.exchange("GET", "/collection", ControlApiHarness.ALPHA_KEY, null);
                if (answer.reply().status() != 200) {
                    refused = answer;
                }
            }
            assertThat(refused).as("a refused request").isNotNull();
            assertThat(refused.reply().status()).isEqualTo(429);
            assertThat(refused.reply().json().getString("error_code")).isEqualTo("rate_limited");
            assertThat(refused.reply().json().getString("message")).contains("VIGIL_QUOTA_REQUESTS_PER_SECOND");
            assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
            // Beta's key has its own bucket.
            assertThat(api.beta("GET", "/collection", null).status()).isEqualTo(200);
        }
    }

    private static void assertQuotaExceeded(Exchange answer, String setting) {
        Reply reply = answer.reply();
        assertThat(reply.status()).as(reply.raw()).isEqualTo(429);
        assertThat(reply.json().getBoolean("success")).isFalse();
        assertThat(reply.json().getString("error_code")).isEqualTo("quota_exceeded");
        assertThat(reply.json().getString("message")).contains(setting);
        assertThat(answer.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
    }

    private static JsonObject created(Reply reply) {
        assertThat(reply.status()).as(reply.raw()).isEqualTo(201);
        return reply.data();
    }

    private static JsonObject stream(String name) {
        return new JsonObject().put("url", "rtsp://camera.example.com/" + name).put("name", name);
    }

    private static JsonObject event() {
        return new JsonObject().put("event_prompt", "a person").put("label", "person");
    }
}
