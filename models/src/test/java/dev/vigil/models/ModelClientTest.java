package dev.vigil.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.models.ModelConfig;
import dev.vigil.testkit.models.FakeModelServer;
import dev.vigil.testkit.models.RecordedRequest;
import dev.vigil.testkit.models.Reply;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ModelClient} against {@link FakeModelServer}: the wire format, and what it does with each kind of trouble. */
class ModelClientTest {

    private static FakeModelServer fake;
    private SimpleMeterRegistry registry;

    @BeforeAll
    static void startFake() {
        fake = FakeModelServer.start();
    }

    @AfterAll
    static void stopFake() {
        fake.close();
    }

    @BeforeEach
    void resetFake() {
        fake.reset();
        registry = new SimpleMeterRegistry();
    }

    private ModelClient client(String... extra) {
        Map<String, String> env = new HashMap<>();
        env.put("VIGIL_MODEL_BASE_URL", fake.baseUrl());
        env.put("VIGIL_MODEL_TIMEOUT", "5s");
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return new ModelClient(ModelConfig.from(ConfigValues.read(env, ModelConfig.SETTINGS)), registry);
    }

    @Test
    void describeSendsTheIndexPromptAndEachFrameAsADataUrl() {
        fake.requireKey("sk-test").always("llava", Reply.content("A person in a yellow vest walks past the gate."));
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x01, 0x02};
        try (ModelClient client = client("VIGIL_MODEL_API_KEY", "sk-test")) {
            ModelResult<String> result = client.describe("c1", "llava", "Is anyone without a helmet?", List.of(jpeg, jpeg));

            assertThat(result).isInstanceOf(ModelResult.Answer.class);
            assertThat(((ModelResult.Answer<String>) result).value()).isEqualTo("A person in a yellow vest walks past the gate.");
        }
        RecordedRequest sent = fake.requests("/v1/chat/completions").get(0);
        assertThat(sent.model()).isEqualTo("llava");
        assertThat(sent.authorization()).isEqualTo("Bearer sk-test");
        assertThat(sent.texts()).contains("Is anyone without a helmet?");
        assertThat(sent.imageUrls()).containsExactly(
                "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg),
                "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg));
    }

    @Test
    void transcribeAsksForVerboseJsonWithWordTimestamps() {
        fake.always("whisper-1", Reply.transcript("the delivery truck is parked next to the loading dock"));
        byte[] wav = "RIFF....WAVE".getBytes(StandardCharsets.US_ASCII);
        ModelResult<Transcript> result;
        try (ModelClient client = client()) {
            result = client.transcribe("c1", "whisper-1", wav, "loading dock, delivery truck");
        }

        Transcript t = ((ModelResult.Answer<Transcript>) result).value();
        assertThat(t.text()).isEqualTo("the delivery truck is parked next to the loading dock");
        assertThat(t.words()).hasSize(10);
        assertThat(t.words().get(1)).isEqualTo(new Transcript.Word("delivery", 0.3, 0.6));
        RecordedRequest sent = fake.requests("/v1/audio/transcriptions").get(0);
        assertThat(sent.formValue("model")).isEqualTo("whisper-1");
        assertThat(sent.formValue("response_format")).isEqualTo("verbose_json");
        assertThat(sent.form().get("timestamp_granularities[]")).containsExactly("word");
        assertThat(sent.formValue("prompt")).isEqualTo("loading dock, delivery truck");
        assertThat(sent.file()).isEqualTo(wav);
        assertThat(sent.fileName()).isEqualTo("utterance.wav");
    }

    @Test
    void structuredSendsTheJsonSchemaAndParsesTheAnswer() {
        fake.always("qwen", Reply.content("{\"match\": true, \"confidence\": 0.8, \"explanation\": \"no helmet\"}"));
        Map<String, Object> schema = Map.of("type", "object",
                "properties", Map.of("match", Map.of("type", "boolean")),
                "required", List.of("match"), "additionalProperties", false);
        ModelResult<JsonNode> result;
        try (ModelClient client = client()) {
            result = client.structured(ModelTask.JUDGE, "c1", "qwen", "You judge.", "Records…", "verdict", schema);
        }

        assertThat(((ModelResult.Answer<JsonNode>) result).value().get("match").asBoolean()).isTrue();
        var format = fake.requests("/v1/chat/completions").get(0).json().getJsonObject("response_format");
        assertThat(format.getString("type")).isEqualTo("json_schema");
        assertThat(format.getJsonObject("json_schema").getString("name")).isEqualTo("verdict");
        assertThat(format.getJsonObject("json_schema").getBoolean("strict")).isTrue();
        assertThat(format.getJsonObject("json_schema").getJsonObject("schema").getString("type")).isEqualTo("object");
    }

    @Test
    void structuredContentThatIsNotJsonIsMalformed() {
        fake.always("qwen", Reply.content("Yes, I think so."));
        try (ModelClient client = client()) {
            ModelResult<JsonNode> result = client.structured(ModelTask.JUDGE, "c1", "qwen", "s", "u", "verdict",
                    Map.of("type", "object"));
            assertThat(failureKind(result)).isEqualTo(FailureKind.MALFORMED);
        }
    }

    @Test
    void a429IsRetriedOnceAfterItsRetryAfter() {
        fake.reply("llava", Reply.rateLimited(1)).always("llava", Reply.content("A quiet yard."));
        try (ModelClient client = client()) {
            ModelResult<String> result = client.describe("c1", "llava", "p", List.of());

            assertThat(result.isAnswer()).isTrue();
        }
        assertThat(fake.requests("/v1/chat/completions")).hasSize(2);
    }

    @Test
    void a429WhoseRetryAfterPassesTheDeadlineFailsWithoutWaiting() {
        fake.reply("llava", Reply.rateLimited(30)).always("llava", Reply.content("never asked"));
        try (ModelClient client = client()) {
            assertThat(failureKind(client.describe("c1", "llava", "p", List.of()))).isEqualTo(FailureKind.RATE_LIMITED);
        }
        assertThat(fake.requests("/v1/chat/completions")).hasSize(1);
    }

    @Test
    void aSecond429IsNotRetried() {
        fake.reply("llava", Reply.rateLimited(1), Reply.rateLimited(1)).always("llava", Reply.content("never asked"));
        try (ModelClient client = client()) {
            assertThat(failureKind(client.describe("c1", "llava", "p", List.of()))).isEqualTo(FailureKind.RATE_LIMITED);
        }
        assertThat(fake.requests("/v1/chat/completions")).hasSize(2);
    }

    @Test
    void aServerErrorIsAFailureAndNotRetried() {
        fake.reply("llava", Reply.error(503)).always("llava", Reply.content("never asked"));
        try (ModelClient client = client()) {
            assertThat(failureKind(client.describe("c1", "llava", "p", List.of()))).isEqualTo(FailureKind.SERVER_ERROR);
            assertThat(client.metrics().failures(ModelTask.VISION, FailureKind.SERVER_ERROR)).isEqualTo(1.0);
        }
        assertThat(fake.requests("/v1/chat/completions")).hasSize(1);
    }

    @Test
    void anAnswerSlowerThanTheDeadlineIsATimeout() {
        fake.always("llava", Reply.slow(Duration.ofSeconds(5), Reply.content("too late")));
        try (ModelClient client = client("VIGIL_MODEL_TIMEOUT", "300ms")) {
            assertThat(failureKind(client.describe("c1", "llava", "p", List.of()))).isEqualTo(FailureKind.TIMEOUT);
        }
    }

    @Test
    void anAnswerNotInTheWireFormatIsMalformed() {
        fake.always("llava", Reply.malformed());
        try (ModelClient client = client()) {
            assertThat(failureKind(client.describe("c1", "llava", "p", List.of()))).isEqualTo(FailureKind.MALFORMED);
        }
    }

    @Test
    void anUnknownModelIsRejected() {
        try (ModelClient client = client()) {
            ModelResult<String> result = client.describe("c1", "no-such-model", "p", List.of());
            assertThat(failureKind(result)).isEqualTo(FailureKind.REJECTED);
            assertThat(((ModelResult.Failure<String>) result).message()).contains("404");
        }
    }

    @Test
    void aServerThatIsNotThereIsUnreachable() {
        Map<String, String> env = Map.of("VIGIL_MODEL_BASE_URL", "http://127.0.0.1:1/v1", "VIGIL_MODEL_TIMEOUT", "5s");
        try (ModelClient client = new ModelClient(ModelConfig.from(ConfigValues.read(env, ModelConfig.SETTINGS)), registry)) {
            assertThat(failureKind(client.describe("c1", "llava", "p", List.of()))).isEqualTo(FailureKind.UNREACHABLE);
        }
    }

    @Test
    void aCollectionPastItsBudgetIsRefusedWithoutARequestAndOthersAreNot() {
        fake.always("llava", Reply.content("ok"));
        try (ModelClient client = client("VIGIL_MODEL_CALLS_PER_MINUTE", "2")) {
            assertThat(client.describe("c1", "llava", "p", List.of()).isAnswer()).isTrue();
            assertThat(client.describe("c1", "llava", "p", List.of()).isAnswer()).isTrue();
            assertThat(failureKind(client.describe("c1", "llava", "p", List.of()))).isEqualTo(FailureKind.BUDGET_EXHAUSTED);
            assertThat(client.describe("c2", "llava", "p", List.of()).isAnswer()).isTrue();
        }
        assertThat(fake.requests("/v1/chat/completions")).hasSize(3);
    }

    @Test
    void noMoreCallsInFlightThanTheConcurrency() {
        fake.always("llava", Reply.slow(Duration.ofMillis(300), Reply.content("ok")));
        try (ModelClient client = client("VIGIL_MODEL_CONCURRENCY", "2")) {
            List<CompletableFuture<ModelResult<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> client.describe("c1", "llava", "p", List.of())));
            }
            calls.forEach(c -> assertThat(c.join().isAnswer()).isTrue());
        }
        assertThat(fake.maxInFlight()).isEqualTo(2);
    }

    @Test
    void missingModelsNamesTheConfiguredModelsTheServerDoesNotList() {
        fake.always("llava", Reply.content("ok")).always("whisper-1", Reply.transcript("ok"));
        try (ModelClient client = client()) {
            ModelResult<List<String>> result = client.missingModels(List.of("llava", "qwen2.5:3b", "whisper-1"));

            assertThat(((ModelResult.Answer<List<String>>) result).value()).containsExactly("qwen2.5:3b");
        }
        assertThat(fake.requests("/v1/models")).hasSize(1);
    }

    private static FailureKind failureKind(ModelResult<?> result) {
        assertThat(result).isInstanceOf(ModelResult.Failure.class);
        return ((ModelResult.Failure<?>) result).kind();
    }
}
