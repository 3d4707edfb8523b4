package dev.vigil.indexer.scene;

import static dev.vigil.indexer.Media.STREAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.indexer.IndexerDriver;
import dev.vigil.indexer.Media;
import dev.vigil.schemas.control.IndexSpec;
import dev.vigil.schemas.control.IndexType;
import dev.vigil.schemas.index.SceneRecord;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The optional vision-model scene engine against a fake OpenAI-compatible server on port 0 speaking
 * the chat-completions wire format: a user message whose content is the prompt as a {@code text} part
 * and the frames as {@code image_url} parts with {@code data:image/jpeg;base64} URLs; the answer in
 * {@code choices[0].message.content}.
 */
class OpenAiVisionEngineTest {

    private static Vertx vertx;
    private static HttpServer server;
    private static final AtomicReference<JsonObject> lastRequest = new AtomicReference<>();
    private static volatile int status = 200;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.post("/v1/chat/completions").handler(BodyHandler.create());
        router.post("/v1/chat/completions").handler(ctx -> {
            lastRequest.set(ctx.body().asJsonObject());
            JsonObject answer = new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion")
                    .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", "stop")
                            .put("message", new JsonObject().put("role", "assistant")
                                    .put("content", " A man in a blue jacket stands next to a dog and a white horse. "))));
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(status == 200 ? answer.encode() : "{\"error\":{\"message\":\"model not found\"}}");
        });
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close().await(10, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static OpenAiVisionEngine engine() {
        return new OpenAiVisionEngine(URI.create("http://127.0.0.1:" + server.actualPort() + "/v1"), Optional.of("sk-x"),
                "gpt-4o-mini", Duration.ofSeconds(5));
    }

    @Test
    void sendsThePromptAndFramesAsDataUrlsAndReadsTheAnswer() throws Exception {
        status = 200;
        byte[] jpeg = Media.fixture("person.jpg");
        String text = engine().describe("Is anyone near the animals?", "llava", List.of(jpeg, jpeg));

        assertThat(text).isEqualTo("A man in a blue jacket stands next to a dog and a white horse.");
        JsonObject request = lastRequest.get();
        assertThat(request.getString("model")).isEqualTo("llava");
        JsonArray messages = request.getJsonArray("messages");
        assertThat(messages.getJsonObject(0).getString("role")).isEqualTo("system");
        JsonArray content = messages.getJsonObject(1).getJsonArray("content");
        assertThat(content.getJsonObject(0).getString("type")).isEqualTo("text");
        assertThat(content.getJsonObject(0).getString("text")).isEqualTo("Is anyone near the animals?");
        assertThat(content.size()).isEqualTo(3);
        String url = content.getJsonObject(1).getJsonObject("image_url").getString("url");
        assertThat(url).startsWith("data:image/jpeg;base64,");
        assertThat(Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1))).isEqualTo(jpeg);
    }

    @Test
    void anIndexOnTheVisionEngineGetsTheModelsSentenceAndOpenCvCounts() {
        status = 200;
        try (IndexerDriver d = new IndexerDriver(new FrameAnalyzer(Duration.ZERO), engine(),
                Map.of("sphinx4-grammar", IndexerDriver.SPHINX))) {
            IndexSpec spec = IndexSpec.newBuilder(Media.index("e1b2c3d4e5f60001", STREAM, IndexType.SCENE,
                    Map.of("time", "1", "frame_count", "2"))).setEngine("openai-vision").setPrompt("Describe people and animals").build();
            d.index(spec);
            d.playFrames(STREAM, List.of(Media.fixture("person.jpg"), Media.fixture("person.jpg")), 500);
            d.advance(500);

            SceneRecord r = d.scene.readValue();
            assertThat(r.getEngine()).isEqualTo("openai-vision");
            assertThat(r.getText()).startsWith("A man in a blue jacket");
            assertThat(r.getCounts()).containsEntry("people", 1);
            assertThat(lastRequest.get().getString("model")).isEqualTo("gpt-4o-mini");
        }
    }

    @Test
    void aFailingModelLeavesTheOpenCvDescription() {
        status = 404;
        assertThatThrownBy(() -> engine().describe("x", null, List.of(new byte[] {1})))
                .isInstanceOf(OpenAiVisionEngine.VisionException.class).hasMessageContaining("404");
        try (IndexerDriver d = new IndexerDriver(new FrameAnalyzer(Duration.ZERO), engine(),
                Map.of("sphinx4-grammar", IndexerDriver.SPHINX))) {
            d.index(IndexSpec.newBuilder(Media.index("e1b2c3d4e5f60002", STREAM, IndexType.SCENE,
                    Map.of("time", "1", "frame_count", "1"))).setEngine("openai-vision").build());
            d.playFrames(STREAM, List.of(Media.fixture("home.jpg")), 1_500);

            SceneRecord r = d.scene.readValue();
            assertThat(r.getEngine()).isEqualTo("opencv");
            assertThat(r.getText()).startsWith("No people");
            assertThat(d.metrics.count("vigil_indexer_engine_failures", "engine", "openai-vision")).isEqualTo(1);
        }
    }
}
