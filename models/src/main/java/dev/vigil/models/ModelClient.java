package dev.vigil.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.MultipartField;
import com.openai.core.RequestOptions;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.audio.AudioResponseFormat;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionCreateResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.vigil.common.models.ModelConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vigil's calls to an OpenAI-compatible model server, on the official {@code openai-java} client (which
 * owns the wire format). Around each call: the collection's budget of calls per minute, a slot among
 * {@code VIGIL_MODEL_CONCURRENCY}, one deadline ({@code VIGIL_MODEL_TIMEOUT}) covering the wait for a
 * slot, the request and a retry, and metrics. Every outcome is a {@link ModelResult}; nothing a server
 * does makes a call throw.
 *
 * <p>Blocking: callers run it on their own worker threads (the indexer's model lanes), never on a Kafka
 * Streams thread or a Vert.x event loop. Retries: the client's own retries are off (it would also retry
 * 5xx and timeouts, which doubles the load on a struggling server and breaks the deadline); a 429 is
 * retried once when its {@code Retry-After} fits the deadline, since the server said when to come back.
 * The API key goes only into the client's Authorization header; it is never logged.
 */
public final class ModelClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String DESCRIBE_SYSTEM = "You describe frames from a live camera for an alerting system. "
            + "Follow the user's instructions about what to look for. Answer in one or two plain sentences "
            + "about what is visible and what happens; no preamble.";
    static final String SUMMARY_SYSTEM = "You summarise what was heard in a short window of live audio for an "
            + "alerting system, following the user's instructions. Answer in one or two plain sentences; no preamble.";
    static final String DEFAULT_SCENE_PROMPT = "Describe the scene.";
    /**
     * Sent as {@code max_tokens}: deprecated by OpenAI in favour of {@code max_completion_tokens}, but the
     * one that Ollama, llama.cpp's server and LocalAI all read.
     */
    private static final long MAX_ANSWER_TOKENS = 200;

    private final OpenAIClient client;
    private final Duration timeout;
    private final Semaphore slots;
    private final CallBudget budget;
    private final ModelMetrics metrics;
    private final LongSupplier nanoTime;

    /** A client for {@code config}'s server; the config must name a base URL. */
    public ModelClient(ModelConfig config, MeterRegistry registry) {
        this(config, registry, System::nanoTime);
    }

    ModelClient(ModelConfig config, MeterRegistry registry, LongSupplier nanoTime) {
        String baseUrl = config.baseUrl().orElseThrow(() -> new IllegalArgumentException(
                ModelConfig.BASE_URL.env() + " is not set")).toString();
        this.client = OpenAIOkHttpClient.builder()
                .baseUrl(baseUrl)
                // Local servers (Ollama, llama.cpp) need no key; the client insists on one, and ignores it there.
                .apiKey(config.apiKey().orElse("unused"))
                .maxRetries(0)
                .timeout(config.timeout())
                // Keep as many idle connections as calls may run at once (OkHttp keeps 5): past 5 concurrent
                // calls every burst otherwise opens new connections and drops them again (the model stage of
                // `vigil bench` counted 132 connections for 400 calls at 32 slots).
                // The client wants both set; 5 minutes is OkHttp's own keep-alive.
                .maxIdleConnections(config.concurrency())
                .keepAliveDuration(Duration.ofMinutes(5))
                .build();
        this.timeout = config.timeout();
        this.slots = new Semaphore(config.concurrency(), true);
        this.budget = new CallBudget(config.callsPerMinutePerCollection(), nanoTime);
        this.metrics = new ModelMetrics(registry);
        this.nanoTime = nanoTime;
    }

    /** A client when {@code config} names a server, else empty (offline). */
    public static Optional<ModelClient> of(ModelConfig config, MeterRegistry registry) {
        return config.baseUrl().isPresent() ? Optional.of(new ModelClient(config, registry)) : Optional.empty();
    }

    public ModelMetrics metrics() {
        return metrics;
    }

    /**
     * A vision model's description of {@code jpegs} (sent as {@code data:image/jpeg;base64} URLs after
     * {@code prompt}, the index's own prompt; blank: "Describe the scene.").
     */
    @SuppressWarnings("deprecation") // maxTokens, see MAX_ANSWER_TOKENS
    public ModelResult<String> describe(String collection, String model, String prompt, List<byte[]> jpegs) {
        List<ChatCompletionContentPart> parts = new ArrayList<>();
        parts.add(ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder()
                .text(prompt == null || prompt.isBlank() ? DEFAULT_SCENE_PROMPT : prompt).build()));
        for (byte[] jpeg : jpegs) {
            parts.add(ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                    .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder()
                            .url("data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg)).build())
                    .build()));
        }
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model(model)
                .addSystemMessage(DESCRIBE_SYSTEM)
                .addUserMessageOfArrayOfContentParts(parts)
                .maxTokens(MAX_ANSWER_TOKENS)
                .build();
        return call(ModelTask.VISION, collection, model, options -> text(client.chat().completions().create(params, options)));
    }

    /** A text model's answer to {@code instructions} about {@code material} (an audio window's transcript and labels). */
    @SuppressWarnings("deprecation") // maxTokens, see MAX_ANSWER_TOKENS
    public ModelResult<String> summarise(String collection, String model, String instructions, String material) {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model(model)
                .addSystemMessage(SUMMARY_SYSTEM)
                .addUserMessage(instructions + "\n\n" + material)
                .maxTokens(MAX_ANSWER_TOKENS)
                .build();
        return call(ModelTask.SUMMARY, collection, model, options -> text(client.chat().completions().create(params, options)));
    }

    /**
     * A structured answer: the model is asked for JSON following {@code schema} (OpenAI's
     * {@code response_format: json_schema}, strict) and its content is parsed; content that is not JSON
     * is {@link FailureKind#MALFORMED}.
     */
    public ModelResult<JsonNode> structured(ModelTask task, String collection, String model, String system, String user,
            String schemaName, Map<String, Object> schema) {
        ResponseFormatJsonSchema.JsonSchema.Schema.Builder body = ResponseFormatJsonSchema.JsonSchema.Schema.builder();
        schema.forEach((k, v) -> body.putAdditionalProperty(k, JsonValue.from(v)));
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model(model)
                .addSystemMessage(system)
                .addUserMessage(user)
                .responseFormat(ResponseFormatJsonSchema.builder()
                        .jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                                .name(schemaName).strict(true).schema(body.build()).build())
                        .build())
                .build();
        return call(task, collection, model, options -> {
            String content = text(client.chat().completions().create(params, options));
            try {
                return JSON.readTree(content);
            } catch (java.io.IOException e) {
                throw new MalformedAnswer("content is not JSON: " + abbreviate(content));
            }
        });
    }

    /**
     * A Whisper-compatible transcription of {@code wav} ({@code /audio/transcriptions}, multipart,
     * {@code response_format=verbose_json}, {@code timestamp_granularities[]=word}); {@code prompt}
     * (the index vocabulary) biases spelling. A server that answers plain {@code json} gives no words.
     */
    public ModelResult<Transcript> transcribe(String collection, String model, byte[] wav, String prompt) {
        TranscriptionCreateParams.Builder params = TranscriptionCreateParams.builder()
                .file(MultipartField.<InputStream>builder().value(new ByteArrayInputStream(wav))
                        .filename("utterance.wav").contentType("audio/wav").build())
                .model(model)
                .responseFormat(AudioResponseFormat.VERBOSE_JSON)
                .addTimestampGranularity(TranscriptionCreateParams.TimestampGranularity.WORD);
        if (prompt != null && !prompt.isBlank()) {
            params.prompt(prompt);
        }
        TranscriptionCreateParams built = params.build();
        return call(ModelTask.TRANSCRIBE, collection, model, options -> transcript(
                client.audio().transcriptions().create(built, options)));
    }

    /**
     * Asks the server for its models ({@code GET /models}) and returns the {@code expected} names it does
     * not list, or a failure when it cannot be asked. For start-up: it warns operators of a typo or a model
     * not pulled yet, and loads the client's classes (seconds on a busy machine) before the first real call.
     * Spends no collection's budget. Servers without {@code /models} answer it as a failure; that proves nothing.
     */
    public ModelResult<List<String>> missingModels(List<String> expected) {
        long started = nanoTime.getAsLong();
        try {
            java.util.Set<String> served = new java.util.HashSet<>();
            client.models().list(RequestOptions.builder().timeout(timeout).build()).data()
                    .forEach(m -> served.add(m.id()));
            List<String> missing = expected.stream().filter(m -> !served.contains(m)).distinct().toList();
            return new ModelResult.Answer<>(missing, String.join(",", expected),
                    Duration.ofNanos(nanoTime.getAsLong() - started));
        } catch (com.openai.errors.OpenAIException | IllegalStateException e) {
            return new ModelResult.Failure<>(e instanceof OpenAIIoException ? FailureKind.UNREACHABLE : FailureKind.REJECTED,
                    String.join(",", expected), abbreviate(String.valueOf(rootCause(e).getMessage())));
        }
    }

    /**
     * One call under the budget, a concurrency slot and the deadline; a 429 whose Retry-After fits the
     * deadline is retried once.
     */
    <T> ModelResult<T> call(ModelTask task, String collection, String model, Function<RequestOptions, T> request) {
        long started = nanoTime.getAsLong();
        long deadline = started + timeout.toNanos();
        if (!budget.tryTake(collection)) {
            return failure(task, model, FailureKind.BUDGET_EXHAUSTED, "collection " + collection
                    + " spent its budget of " + ModelConfig.CALLS_PER_MINUTE.env() + " model calls per minute");
        }
        try {
            if (!slots.tryAcquire(Math.max(0, deadline - nanoTime.getAsLong()), TimeUnit.NANOSECONDS)) {
                return failure(task, model, FailureKind.TIMEOUT, "no free model slot (" + ModelConfig.CONCURRENCY.env()
                        + ") within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failure(task, model, FailureKind.TIMEOUT, "interrupted waiting for a model slot");
        }
        try {
            boolean retried = false;
            while (true) {
                long remaining = deadline - nanoTime.getAsLong();
                if (remaining <= 0) {
                    return failure(task, model, FailureKind.TIMEOUT, "deadline of " + timeout + " passed");
                }
                metrics.called(task, model);
                try {
                    T value = request.apply(RequestOptions.builder().timeout(Duration.ofNanos(remaining))
                            .responseValidation(true).build());
                    Duration latency = Duration.ofNanos(nanoTime.getAsLong() - started);
                    metrics.answered(task, latency);
                    return new ModelResult.Answer<>(value, model, latency);
                } catch (RateLimitException e) {
                    Optional<Duration> wait = retryAfter(e);
                    long left = deadline - nanoTime.getAsLong();
                    if (retried || wait.isEmpty() || wait.get().toNanos() >= left) {
                        return failure(task, model, FailureKind.RATE_LIMITED, "429 from the model server"
                                + wait.map(w -> ", Retry-After " + w).orElse("") + (retried ? " after one retry" : ""));
                    }
                    retried = true;
                    log.debug("Model {} rate-limited; retrying once after {}", model, wait.get());
                    // A model call runs on a worker thread that owns this call: waiting here is the retry.
                    TimeUnit.NANOSECONDS.sleep(wait.get().toNanos());
                }
            }
        } catch (OpenAIServiceException e) {
            FailureKind kind = e.statusCode() >= 500 ? FailureKind.SERVER_ERROR
                    : e.statusCode() == 408 ? FailureKind.TIMEOUT : FailureKind.REJECTED;
            return failure(task, model, kind, "HTTP " + e.statusCode() + " from the model server: " + abbreviate(e.getMessage()));
        } catch (OpenAIIoException e) {
            boolean timedOut = causedBy(e, InterruptedIOException.class) || nanoTime.getAsLong() >= deadline;
            return failure(task, model, timedOut ? FailureKind.TIMEOUT : FailureKind.UNREACHABLE,
                    abbreviate(String.valueOf(rootCause(e).getMessage())));
        } catch (MalformedAnswer e) {
            return failure(task, model, FailureKind.MALFORMED, e.getMessage());
        } catch (com.openai.errors.OpenAIException | IllegalStateException e) {
            // OpenAIInvalidDataException (not the wire format, a required field missing) and the like
            return failure(task, model, FailureKind.MALFORMED, abbreviate(String.valueOf(rootCause(e).getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failure(task, model, FailureKind.TIMEOUT, "interrupted while waiting to retry");
        } finally {
            slots.release();
        }
    }

    private <T> ModelResult<T> failure(ModelTask task, String model, FailureKind kind, String message) {
        metrics.failed(task, kind);
        return new ModelResult.Failure<>(kind, model, message);
    }

    private static String text(ChatCompletion completion) {
        if (completion.choices().isEmpty()) {
            throw new MalformedAnswer("chat completion without choices");
        }
        String content = completion.choices().get(0).message().content().orElse("").trim();
        if (content.isEmpty()) {
            throw new MalformedAnswer("chat completion without content");
        }
        return content;
    }

    private static Transcript transcript(TranscriptionCreateResponse response) {
        if (response.verbose().isPresent()) {
            var verbose = response.verbose().get();
            List<Transcript.Word> words = verbose.words().orElse(List.of()).stream()
                    .map(w -> new Transcript.Word(w.word().trim(), w.start(), w.end())).toList();
            return new Transcript(verbose.text().trim(), words);
        }
        return response.transcription().map(t -> new Transcript(t.text().trim(), List.of()))
                .orElseThrow(() -> new MalformedAnswer("transcription without text"));
    }

    /** {@code Retry-After} in seconds (or an OpenAI-style {@code retry-after-ms}); HTTP dates are not honoured. */
    static Optional<Duration> retryAfter(OpenAIServiceException e) {
        for (String value : e.headers().values("retry-after-ms")) {
            try {
                return Optional.of(Duration.ofMillis((long) Double.parseDouble(value.trim())));
            } catch (NumberFormatException ignored) {
                // try Retry-After
            }
        }
        for (String value : e.headers().values("retry-after")) {
            try {
                return Optional.of(Duration.ofMillis((long) (Double.parseDouble(value.trim()) * 1000)));
            } catch (NumberFormatException ignored) {
                // an HTTP date: not honoured, the call fails as rate-limited
            }
        }
        return Optional.empty();
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    @Override
    public void close() {
        client.close();
    }

    /** An answer in the wire format but without what the call needs (no choice, empty content, not JSON). */
    static final class MalformedAnswer extends RuntimeException {
        MalformedAnswer(String message) {
            super(message);
        }
    }
}
