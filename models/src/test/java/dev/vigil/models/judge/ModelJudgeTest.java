package dev.vigil.models.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.models.ModelConfig;
import dev.vigil.models.ModelClient;
import dev.vigil.rules.judge.JudgeException;
import dev.vigil.rules.judge.Verdict;
import dev.vigil.testkit.models.FakeModelServer;
import dev.vigil.testkit.models.RecordedRequest;
import dev.vigil.testkit.models.Reply;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ModelJudge} against {@link FakeModelServer}: one structured call per record for all events, cached. */
class ModelJudgeTest {

    private static final String RECORD = "A worker without a helmet climbs the fence next to the loading dock.";
    private static final List<String> EVENTS = List.of("Detect person without helmet", "Person climbs the fence",
            "A dog barks");
    private static final String ANSWER = """
            {"verdicts": [
              {"event": 2, "match": true, "confidence": 0.9, "explanation": "The worker climbs the fence."},
              {"event": 1, "match": true, "confidence": 0.8, "explanation": "The worker wears no helmet."},
              {"event": 3, "match": false, "confidence": 0.95, "explanation": "No dog is mentioned."}
            ]}""";
    private static FakeModelServer fake;
    private ModelClient client;
    private ModelJudge judge;

    @BeforeAll
    static void startFake() {
        fake = FakeModelServer.start();
    }

    @AfterAll
    static void stopFake() {
        fake.close();
    }

    @BeforeEach
    void setUp() {
        fake.reset();
        client = new ModelClient(ModelConfig.from(ConfigValues.read(Map.of("VIGIL_MODEL_BASE_URL", fake.baseUrl(),
                "VIGIL_MODEL_TEXT", "qwen", "VIGIL_MODEL_TIMEOUT", "5s"), ModelConfig.SETTINGS)), new SimpleMeterRegistry());
        judge = new ModelJudge(client, "qwen");
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void oneCallJudgesEveryEventOfTheRecordInOrder() throws JudgeException {
        fake.always("qwen", Reply.content(ANSWER));

        List<Verdict> verdicts = judge.judgeAll("c1", EVENTS, RECORD);

        assertThat(verdicts).containsExactly(
                new Verdict(true, 0.8, "The worker wears no helmet."),
                new Verdict(true, 0.9, "The worker climbs the fence."),
                new Verdict(false, 0.95, "No dog is mentioned."));
        List<RecordedRequest> sent = fake.requests("/v1/chat/completions");
        assertThat(sent).hasSize(1);
        String user = sent.get(0).texts().get(1);
        assertThat(user).contains("1. Detect person without helmet", "2. Person climbs the fence", "3. A dog barks", RECORD);
        var format = sent.get(0).json().getJsonObject("response_format");
        assertThat(format.getString("type")).isEqualTo("json_schema");
        assertThat(format.getJsonObject("json_schema").getJsonObject("schema").getJsonArray("required").getList())
                .containsExactly("verdicts");
    }

    @Test
    void theSameRecordAndEventsAreAnsweredFromTheCache() throws JudgeException {
        fake.always("qwen", Reply.content(ANSWER));

        List<Verdict> first = judge.judgeAll("c1", EVENTS, RECORD);
        List<Verdict> second = judge.judgeAll("c1", EVENTS, RECORD);

        assertThat(second).isEqualTo(first);
        assertThat(fake.requests("/v1/chat/completions")).hasSize(1);
    }

    @Test
    void anotherSetOfEventsIsAskedAgain() throws JudgeException {
        fake.always("qwen", Reply.content(ANSWER));
        judge.judgeAll("c1", EVENTS, RECORD);
        fake.reply("qwen", Reply.content("{\"verdicts\": [{\"event\": 1, \"match\": false, \"confidence\": 0.7, "
                + "\"explanation\": \"No dog.\"}]}"));

        assertThat(judge.judge("A dog barks", RECORD)).isEqualTo(new Verdict(false, 0.7, "No dog."));
        assertThat(fake.requests("/v1/chat/completions")).hasSize(2);
    }

    @Test
    void aModelThatGivesNoAnswerIsAJudgeExceptionAndNotCached() {
        fake.reply("qwen", Reply.error(500)).always("qwen", Reply.content(ANSWER));

        assertThatThrownBy(() -> judge.judgeAll("c1", EVENTS, RECORD)).isInstanceOf(JudgeException.class)
                .hasMessageContaining("server_error")
                .satisfies(e -> assertThat(((JudgeException) e).reason()).isEqualTo("server_error"));
        assertThat(catchVerdicts()).hasSize(3);
    }

    @Test
    void anAnswerMissingAnEventsVerdictIsAJudgeException() {
        fake.always("qwen", Reply.content("{\"verdicts\": [{\"event\": 1, \"match\": true, \"confidence\": 1, "
                + "\"explanation\": \"yes\"}]}"));

        assertThatThrownBy(() -> judge.judgeAll("c1", EVENTS, RECORD)).isInstanceOf(JudgeException.class)
                .hasMessageContaining("event 2 of 3")
                .satisfies(e -> assertThat(((JudgeException) e).reason()).isEqualTo("incomplete"));
    }

    private List<Verdict> catchVerdicts() {
        try {
            return judge.judgeAll("c1", EVENTS, RECORD);
        } catch (JudgeException e) {
            throw new AssertionError(e);
        }
    }
}
