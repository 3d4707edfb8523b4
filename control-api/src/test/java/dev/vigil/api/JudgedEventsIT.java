package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.ControlApiHarness.Reply;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.TestKafka;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With a text model configured (VIGIL_MODEL_BASE_URL + VIGIL_MODEL_TEXT), a prompt the offline
 * vocabulary cannot express is accepted as a judged event instead of a 422 (ControlApiIT pins the
 * 422 without a model). No model is called at compile time, so the server need not exist here.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JudgedEventsIT {

    private ControlApiHarness api;

    @BeforeAll
    void start(TestKafka kafka) throws Exception {
        api = ControlApiHarness.start(kafka, Map.of("VIGIL_MODEL_BASE_URL", "http://127.0.0.1:9/v1",
                "VIGIL_MODEL_TEXT", "judge-model"));
    }

    @AfterAll
    void stop() throws Exception {
        api.close();
    }

    @Test
    void promptOutsideTheVocabularyBecomesAJudgedEvent() throws Exception {
        Reply reply = api.alpha("POST", "/rtstream/event", new JsonObject()
                .put("event_prompt", "Detect person without helmet").put("label", "ppe"));

        assertThat(reply.status()).as(reply.raw()).isEqualTo(201);
        assertThat(reply.data().getString("condition_origin")).isEqualTo("llm_judge");
        assertThat(reply.data().getString("condition")).isEqualTo("true");
        assertThat(reply.data().getString("explanation")).contains("LLM judge decides for each record");
    }

    @Test
    void promptTheVocabularyExpressesByMeaningStaysACondition() throws Exception {
        Reply reply = api.alpha("POST", "/rtstream/event", new JsonObject().put("event_prompt", "shattered window")
                .put("label", "glass"));

        assertThat(reply.status()).as(reply.raw()).isEqualTo(201);
        assertThat(reply.data().getString("condition_origin")).isEqualTo("prompt");
        assertThat(reply.data().getString("condition")).isEqualTo("channel == \"audio_index\" && \"impulse\" in labels");
        assertThat(reply.data().getString("explanation")).contains("Understood by meaning: \"shattered window\" → an impulsive sound",
                "similarity 0.");
    }

    @Test
    void promptAboutWhatNoOfflineEngineReportsIsJudgedNotACountThatNeverFires() throws Exception {
        Reply reply = api.alpha("POST", "/rtstream/event", new JsonObject().put("event_prompt", "a dog barks").put("label", "dog"));

        assertThat(reply.status()).as(reply.raw()).isEqualTo(201);
        assertThat(reply.data().getString("condition_origin")).isEqualTo("llm_judge");
        assertThat(reply.data().getString("condition")).isEqualTo("true");
        assertThat(reply.data().getString("explanation")).contains("No offline engine reports animals",
                "Understood by meaning: \"barks\" → animals");
    }
}
