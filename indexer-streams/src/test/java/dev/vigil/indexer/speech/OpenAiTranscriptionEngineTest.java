package dev.vigil.indexer.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.indexer.spec.TranscriptSettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI-compatible transcription client against a fake server on port 0 that speaks the real
 * wire format: {@code POST /v1/audio/transcriptions}, multipart form with {@code file}, {@code model},
 * {@code response_format}, {@code prompt}; answer {@code {"text": "..."}}, errors as
 * {@code {"error": {"message": ...}}} with a 4xx/5xx status.
 */
class OpenAiTranscriptionEngineTest {

    private static Vertx vertx;
    private static HttpServer server;
    private static final Map<String, String> seen = new ConcurrentHashMap<>();
    private static volatile int status = 200;
    private static volatile String answer = "{\"text\": \" Call the police! \"}";

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        Path uploads = Files.createTempDirectory("fake-openai");
        Router router = Router.router(vertx);
        router.post("/v1/audio/transcriptions").handler(BodyHandler.create(uploads.toString()));
        router.post("/v1/audio/transcriptions").handler(ctx -> {
            seen.put("authorization", String.valueOf(ctx.request().getHeader("Authorization")));
            ctx.request().formAttributes().forEach(e -> seen.put(e.getKey(), e.getValue()));
            for (FileUpload f : ctx.fileUploads()) {
                try {
                    byte[] bytes = Files.readAllBytes(Path.of(f.uploadedFileName()));
                    seen.put("file.name", f.name() + ":" + f.fileName());
                    seen.put("file.riff", new String(bytes, 0, 4) + "/" + new String(bytes, 8, 4));
                    seen.put("file.bytes", Integer.toString(bytes.length));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(answer);
        });
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close().await(10, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static OpenAiTranscriptionEngine engine() {
        return new OpenAiTranscriptionEngine(URI.create("http://127.0.0.1:" + server.actualPort() + "/v1/"),
                Optional.of("sk-test"), "whisper-1", Duration.ofSeconds(5));
    }

    @Test
    void sendsTheUtteranceAsAWavFormAndReturnsTheText() throws SpeechException {
        status = 200;
        answer = "{\"text\": \" Call the police! \"}";
        Recognition r = engine().recognise(new Utterance(new short[16_000], 1_000),
                new TranscriptSettings("openai", List.of("open the gate", "call the police")));

        assertThat(r.text()).isEqualTo("Call the police!");
        assertThat(seen).containsEntry("authorization", "Bearer sk-test")
                .containsEntry("model", "whisper-1")
                .containsEntry("response_format", "json")
                .containsEntry("prompt", "open the gate, call the police")
                .containsEntry("file.name", "file:utterance.wav")
                .containsEntry("file.riff", "RIFF/WAVE")
                .containsEntry("file.bytes", Integer.toString(44 + 32_000));
    }

    @Test
    void emptyTextIsNoHit() throws SpeechException {
        status = 200;
        answer = "{\"text\": \"\"}";
        assertThat(engine().recognise(new Utterance(new short[1_600], 100), new TranscriptSettings(null, List.of())).isHit())
                .isFalse();
    }

    @Test
    void errorStatusesBecomeSpeechExceptionsWithTheServersMessage() {
        status = 429;
        answer = new JsonObject().put("error", new JsonObject().put("message", "Rate limit reached")).encode();
        assertThatThrownBy(() -> engine().recognise(new Utterance(new short[1_600], 100), new TranscriptSettings(null, List.of())))
                .isInstanceOf(SpeechException.class)
                .hasMessageContaining("429")
                .hasMessageContaining("Rate limit reached");
    }
}
