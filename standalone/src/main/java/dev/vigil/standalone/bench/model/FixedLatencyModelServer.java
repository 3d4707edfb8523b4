package dev.vigil.standalone.bench.model;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bench's stand-in for an OpenAI-compatible text model with a fixed latency: a real HTTP server on
 * the loopback interface, port 0, answering {@code POST /v1/chat/completions} in OpenAI's wire format
 * after exactly {@code latency} (a timer, no thread held). The answer is the judge's structured output
 * — {@code {"verdicts": [{"event", "match", "confidence", "explanation"}]}}, one matching verdict per
 * numbered event of the prompt ("Events:\n1. …\n2. …") — so every judged event fires — and
 * {@code GET /v1/models} (the one model). Other paths get OpenAI's 404 error body. Counts the calls, which is what the stage reports per record.
 *
 * <p>Not testkit's {@code FakeModelServer}: that one lives with the test libraries (JUnit, AssertJ),
 * which the product does not ship.
 */
final class FixedLatencyModelServer implements AutoCloseable {

    private static final Pattern EVENT = Pattern.compile("(?m)^(\\d+)\\. ");

    private final Vertx vertx;
    private final HttpServer server;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();

    private final String model;
    private final BiConsumer<String, Long> arrivals;

    private FixedLatencyModelServer(Vertx vertx, Duration latency, String model, BiConsumer<String, Long> arrivals) {
        this.vertx = vertx;
        this.model = model;
        this.arrivals = arrivals;
        this.server = vertx.createHttpServer().requestHandler(request -> handle(request, latency.toMillis()))
                .connectionHandler(connection -> connections.incrementAndGet());
    }

    /**
     * Starts the server serving {@code model}; {@code latency} of at least 1 ms. {@code arrivals} hears of each
     * chat completion request, with its last user message and the wall-clock time its body arrived (for the
     * stage's breakdown of the alert path around the model).
     */
    static FixedLatencyModelServer start(Duration latency, String model, BiConsumer<String, Long> arrivals)
            throws Exception {
        FixedLatencyModelServer fake = new FixedLatencyModelServer(Vertx.vertx(), latency, model, arrivals);
        fake.server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        return fake;
    }

    /** What {@code VIGIL_MODEL_BASE_URL} is set to. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort() + "/v1";
    }

    /** Chat completions answered (or being answered) since start. */
    long calls() {
        return calls.get();
    }

    /** HTTP connections clients opened since start: far fewer than {@link #calls()} when they reuse them. */
    long connections() {
        return connections.get();
    }

    private void handle(HttpServerRequest request, long latencyMs) {
        if (request.path().equals("/v1/models") && request.method() == io.vertx.core.http.HttpMethod.GET) {
            request.response().putHeader("content-type", "application/json").end(new JsonObject().put("object", "list")
                    .put("data", new JsonArray().add(new JsonObject().put("id", model).put("object", "model")
                            .put("created", 1_700_000_000L).put("owned_by", "vigil-bench"))).encode());
            return;
        }
        if (!request.path().equals("/v1/chat/completions") || request.method() != io.vertx.core.http.HttpMethod.POST) {
            request.response().setStatusCode(404).putHeader("content-type", "application/json").end(error(
                    "Unknown request URL: " + request.method() + " " + request.path() + ".", "invalid_request_error", "unknown_url")
                    .encode());
            return;
        }
        request.body().onSuccess(body -> {
            long arrived = System.currentTimeMillis();
            calls.incrementAndGet();
            JsonObject chat;
            try {
                chat = body.toJsonObject();
            } catch (RuntimeException e) {
                request.response().setStatusCode(400).putHeader("content-type", "application/json")
                        .end(error("We could not parse the JSON body of your request.", "invalid_request_error", null).encode());
                return;
            }
            String model = chat.getString("model", "");
            String user = lastUserMessage(chat);
            arrivals.accept(user, arrived);
            String content = verdicts(user).encode();
            JsonObject answer = new JsonObject()
                    .put("id", "chatcmpl-bench-" + calls.get())
                    .put("object", "chat.completion")
                    .put("created", System.currentTimeMillis() / 1000)
                    .put("model", model)
                    .put("choices", new JsonArray().add(new JsonObject()
                            .put("index", 0)
                            .put("message", new JsonObject().put("role", "assistant").put("content", content).putNull("refusal"))
                            .putNull("logprobs")
                            .put("finish_reason", "stop")))
                    .put("usage", new JsonObject().put("prompt_tokens", 100).put("completion_tokens", 30).put("total_tokens", 130));
            vertx.setTimer(Math.max(1, latencyMs), t -> request.response().putHeader("content-type", "application/json")
                    .end(answer.encode()));
        });
    }

    private static String lastUserMessage(JsonObject chat) {
        String text = "";
        for (Object m : chat.getJsonArray("messages", new JsonArray())) {
            if (m instanceof JsonObject message && "user".equals(message.getString("role"))
                    && message.getValue("content") instanceof String s) {
                text = s;
            }
        }
        return text;
    }

    /** One matching verdict per numbered event in the prompt. */
    static JsonObject verdicts(String prompt) {
        JsonArray verdicts = new JsonArray();
        Matcher m = EVENT.matcher(prompt.contains("\nRecord:") ? prompt.substring(0, prompt.indexOf("\nRecord:")) : prompt);
        while (m.find()) {
            verdicts.add(new JsonObject().put("event", Integer.parseInt(m.group(1))).put("match", true)
                    .put("confidence", 0.9).put("explanation", "The record describes it (bench model)."));
        }
        return new JsonObject().put("verdicts", verdicts);
    }

    private static JsonObject error(String message, String type, String code) {
        return new JsonObject().put("error", new JsonObject().put("message", message).put("type", type).putNull("param")
                .put("code", code));
    }

    @Override
    public void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }
}
