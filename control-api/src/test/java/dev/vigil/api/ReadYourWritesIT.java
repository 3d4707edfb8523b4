package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.ControlApiHarness.Reply;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.TestKafka;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Once a write has been answered by one instance, a read on another instance sees it. */
@ExtendWith(EmbeddedKafkaExtension.class)
class ReadYourWritesIT {

    @Test
    void aWriteAnsweredByOneInstanceIsVisibleOnAnotherAtOnce(TestKafka kafka) throws Exception {
        try (ControlApiHarness first = ControlApiHarness.start(kafka, Map.of());
                ControlApiHarness second = ControlApiHarness.startOn(kafka, first.prefix, Map.of())) {
            for (int i = 0; i < 30; i++) {
                Reply created = first.alpha("POST", "/rtstream", new JsonObject().put("url", "rtsp://cam/" + i).put("name", "s" + i));
                assertThat(created.status()).as(created.raw()).isEqualTo(201);
                String rid = created.data().getString("id");

                Reply seen = second.alpha("GET", "/rtstream/" + rid, null);
                assertThat(seen.status()).as("iteration %d: %s", i, seen.raw()).isEqualTo(200);

                Reply stopped = second.alpha("PATCH", "/rtstream/" + rid + "/status", new JsonObject().put("action", "stop"));
                assertThat(stopped.status()).isEqualTo(200);
                assertThat(first.alpha("GET", "/rtstream/" + rid, null).data().getString("status"))
                        .as("iteration %d", i).isEqualTo("stopped");
            }
        }
    }

    @Test
    void aRestartedInstanceRebuildsTheViewFromTheTopics(TestKafka kafka) throws Exception {
        String prefix;
        String rid;
        try (ControlApiHarness first = ControlApiHarness.start(kafka, Map.of())) {
            prefix = first.prefix;
            rid = first.alpha("POST", "/rtstream", new JsonObject().put("url", "rtsp://cam/x").put("name", "kept"))
                    .data().getString("id");
            first.alpha("POST", "/rtstream/event", new JsonObject().put("event_prompt", "motion").put("label", "m"));
        }
        try (ControlApiHarness restarted = ControlApiHarness.startOn(kafka, prefix, Map.of())) {
            assertThat(restarted.alpha("GET", "/rtstream/" + rid, null).data().getString("name")).isEqualTo("kept");
            assertThat(restarted.alpha("GET", "/rtstream/event", null).data().getJsonArray("events")).hasSize(1);
        }
    }
}
