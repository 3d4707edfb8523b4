package dev.vigil.indexer.speech;

import dev.vigil.indexer.spec.TranscriptSettings;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Transcription through an OpenAI-compatible {@code POST {base}/audio/transcriptions} (OpenAI,
 * whisper.cpp's server, faster-whisper servers, vLLM): a multipart form with the utterance as a WAV
 * {@code file}, {@code model}, {@code response_format=json} and, as {@code prompt}, the index
 * vocabulary (whisper-style models use it to bias spelling). The answer's {@code text} is the
 * transcript. Blocking java.net.http call: it runs on a speech lane, never on a Streams thread.
 */
public final class OpenAiTranscriptionEngine implements SpeechEngine {

    public static final String NAME = "openai";

    private final HttpClient http;
    private final URI endpoint;
    private final Optional<String> apiKey;
    private final String model;
    private final Duration timeout;

    public OpenAiTranscriptionEngine(URI baseUrl, Optional<String> apiKey, String model, Duration timeout) {
        String base = baseUrl.toString().replaceAll("/+$", "");
        this.endpoint = URI.create(base + "/audio/transcriptions");
        this.apiKey = apiKey;
        this.model = model;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Recognition recognise(Utterance utterance, TranscriptSettings settings) throws SpeechException {
        String boundary = "vigil-" + UUID.randomUUID();
        Multipart form = new Multipart(boundary)
                .field("model", model)
                .field("response_format", "json")
                .field("language", "en");
        if (!settings.vocabulary().isEmpty()) {
            form.field("prompt", String.join(", ", settings.vocabulary()));
        }
        form.file("file", "utterance.wav", "audio/wav", Pcm.wav(utterance.samples(), Utterance.SAMPLE_RATE));
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.finish()));
        apiKey.ifPresent(k -> request.header("Authorization", "Bearer " + k));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new SpeechException(endpoint + " answered " + response.statusCode() + ": " + abbreviate(response.body()));
            }
            String text = new JsonObject(response.body()).getString("text", "").trim();
            return text.isEmpty() ? Recognition.NONE : new Recognition(text, 0.8);
        } catch (IOException | DecodeException | ClassCastException e) {
            throw new SpeechException("transcription request to " + endpoint + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpeechException("interrupted while waiting for " + endpoint, e);
        }
    }

    private static String abbreviate(String body) {
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }

    /** A multipart/form-data body (RFC 7578). */
    static final class Multipart {
        private final String boundary;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Multipart(String boundary) {
            this.boundary = boundary;
        }

        Multipart field(String name, String value) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
            return this;
        }

        Multipart file(String name, String filename, String type, byte[] content) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
                    + "\"\r\nContent-Type: " + type + "\r\n\r\n");
            out.writeBytes(content);
            write("\r\n");
            return this;
        }

        byte[] finish() {
            write("--" + boundary + "--\r\n");
            return out.toByteArray();
        }

        private void write(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }
}
