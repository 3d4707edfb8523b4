package dev.vigil.indexer.scene;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Optional scene engine ({@code openai-vision}): asks an OpenAI-compatible
 * {@code POST {base}/chat/completions} (OpenAI, Ollama, vLLM) to describe a window's frames, sent as
 * base64 {@code data:image/jpeg} URLs after the index prompt. Only the description comes from the
 * model; counts, motion, brightness and labels still come from OpenCV, so alert rules keep working.
 * Blocking java.net.http call, made on its own lane.
 */
public final class OpenAiVisionEngine {

    public static final String NAME = "openai-vision";
    static final String SYSTEM = "You describe frames from a live security camera for an alerting system. "
            + "Answer in one or two plain sentences about what is visible and what changes; no preamble.";

    private final HttpClient http;
    private final URI endpoint;
    private final Optional<String> apiKey;
    private final String defaultModel;
    private final Duration timeout;

    /** A model's answer could not be had. */
    public static final class VisionException extends Exception {
        VisionException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public OpenAiVisionEngine(URI baseUrl, Optional<String> apiKey, String defaultModel, Duration timeout) {
        this.endpoint = URI.create(baseUrl.toString().replaceAll("/+$", "") + "/chat/completions");
        this.apiKey = apiKey;
        this.defaultModel = defaultModel;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The model's description of {@code jpegs} for {@code prompt}; {@code model} null uses the configured one. */
    public String describe(String prompt, String model, List<byte[]> jpegs) throws VisionException {
        JsonArray content = new JsonArray().add(new JsonObject().put("type", "text")
                .put("text", prompt == null || prompt.isBlank() ? "Describe the scene." : prompt));
        for (byte[] jpeg : jpegs) {
            content.add(new JsonObject().put("type", "image_url").put("image_url",
                    new JsonObject().put("url", "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg))));
        }
        JsonObject body = new JsonObject()
                .put("model", model == null || model.isBlank() ? defaultModel : model)
                .put("max_tokens", 200)
                .put("messages", new JsonArray()
                        .add(new JsonObject().put("role", "system").put("content", SYSTEM))
                        .add(new JsonObject().put("role", "user").put("content", content)));
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
        apiKey.ifPresent(k -> request.header("Authorization", "Bearer " + k));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                String b = response.body();
                throw new VisionException(endpoint + " answered " + response.statusCode() + ": "
                        + (b.length() > 200 ? b.substring(0, 200) + "…" : b), null);
            }
            String text = new JsonObject(response.body()).getJsonArray("choices").getJsonObject(0)
                    .getJsonObject("message").getString("content", "").trim();
            if (text.isEmpty()) {
                throw new VisionException(endpoint + " answered without content", null);
            }
            return text;
        } catch (IOException | DecodeException | ClassCastException | NullPointerException | IndexOutOfBoundsException e) {
            throw new VisionException("chat completion request to " + endpoint + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VisionException("interrupted while waiting for " + endpoint, e);
        }
    }
}
