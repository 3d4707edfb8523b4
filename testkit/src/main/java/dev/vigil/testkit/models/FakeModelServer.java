package dev.vigil.testkit.models;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A fake OpenAI-compatible model server for tests (the one third-party service Vigil's tests may fake):
 * a real Vert.x HTTP server on port 0 speaking OpenAI's wire format — {@code POST /v1/chat/completions}
 * (text and {@code image_url} parts, {@code response_format} {@code json_schema}),
 * {@code POST /v1/audio/transcriptions} (multipart; {@code json} or {@code verbose_json} with
 * {@code timestamp_granularities[]=word}), {@code POST /v1/embeddings}, {@code GET /v1/models} — and its
 * error bodies. Answers are scripted per model ({@link #reply} queues, {@link #always} the default); a
 * model with no script gets OpenAI's 404 {@code model_not_found}. Every request is recorded.
 * Deterministic: the answers depend only on the script and the request.
 */
public final class FakeModelServer implements AutoCloseable {

    private final Vertx vertx;
    private final HttpServer server;
    private final Path uploads;
    private final Map<String, Deque<Reply>> queued = new LinkedHashMap<>();
    private final Map<String, Reply> defaults = new LinkedHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private volatile String requiredKey;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger maxInFlight = new java.util.concurrent.atomic.AtomicInteger();

    private FakeModelServer(Vertx vertx, HttpServer server, Path uploads) {
        this.vertx = vertx;
        this.server = server;
        this.uploads = uploads;
    }

    /** Starts a server on a free port of the loopback interface. */
    public static FakeModelServer start() {
        Vertx vertx = Vertx.vertx();
        try {
            Path uploads = Files.createTempDirectory("fake-model-uploads");
            FakeModelServer[] self = new FakeModelServer[1];
            Router router = Router.router(vertx);
            router.route().handler(BodyHandler.create(uploads.toString()).setDeleteUploadedFilesOnEnd(true));
            router.route("/v1/*").handler(ctx -> self[0].authorise(ctx));
            router.post("/v1/chat/completions").handler(ctx -> self[0].handleChat(ctx));
            router.post("/v1/audio/transcriptions").handler(ctx -> self[0].handleTranscription(ctx));
            router.post("/v1/embeddings").handler(ctx -> self[0].handleEmbeddings(ctx));
            router.get("/v1/models").handler(ctx -> self[0].handleModels(ctx));
            HttpServer server = vertx.createHttpServer().requestHandler(router);
            self[0] = new FakeModelServer(vertx, server, uploads);
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return self[0];
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("fake model server did not start", e);
        }
    }

    /** The base URL clients are configured with, e.g. {@code http://127.0.0.1:41234/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort() + "/v1";
    }

    /** Queues replies for {@code model}, used one per request in order, before its {@link #always} reply. */
    public synchronized FakeModelServer reply(String model, Reply... replies) {
        queued.computeIfAbsent(model, m -> new ArrayDeque<>()).addAll(List.of(replies));
        return this;
    }

    /** The reply for {@code model} once its queue is empty. */
    public synchronized FakeModelServer always(String model, Reply reply) {
        defaults.put(model, reply);
        return this;
    }

    /** Requests without {@code Authorization: Bearer key} get OpenAI's 401. */
    public FakeModelServer requireKey(String key) {
        this.requiredKey = key;
        return this;
    }

    /** Every request so far, in arrival order. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Requests to one path (e.g. {@code /v1/chat/completions}). */
    public List<RecordedRequest> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Forgets scripts and recorded requests. */
    public synchronized void reset() {
        queued.clear();
        defaults.clear();
        requests.clear();
        requiredKey = null;
        maxInFlight.set(0);
    }

    private synchronized Reply next(String model) {
        Deque<Reply> q = queued.get(model);
        if (q != null && !q.isEmpty()) {
            return q.poll();
        }
        return defaults.get(model);
    }

    /** The most requests that were being answered at the same time. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    private void authorise(RoutingContext ctx) {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        ctx.addEndHandler(done -> inFlight.decrementAndGet());
        String key = requiredKey;
        String header = ctx.request().getHeader("Authorization");
        if (key != null && !("Bearer " + key).equals(header)) {
            error(ctx, 401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
            return;
        }
        ctx.next();
    }

    private void handleChat(RoutingContext ctx) {
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            error(ctx, 400, "We could not parse the JSON body of your request.", "invalid_request_error", null);
            return;
        }
        requests.add(new RecordedRequest(ctx.request().path(), ctx.request().getHeader("Authorization"), body,
                Map.of(), null, null));
        if (body == null || body.getString("model") == null || body.getJsonArray("messages", new JsonArray()).isEmpty()) {
            error(ctx, 400, "'model' and 'messages' are required properties.", "invalid_request_error", null);
            return;
        }
        JsonObject format = body.getJsonObject("response_format");
        if (format != null && "json_schema".equals(format.getString("type"))
                && (format.getJsonObject("json_schema") == null || format.getJsonObject("json_schema").getString("name") == null)) {
            error(ctx, 400, "Missing required parameter: 'response_format.json_schema.name'.", "invalid_request_error", null);
            return;
        }
        String model = body.getString("model");
        answer(ctx, model, next(model), reply -> {
            if (!(reply instanceof Reply.Content c)) {
                return null;
            }
            return new JsonObject()
                    .put("id", "chatcmpl-fake-" + requests.size())
                    .put("object", "chat.completion")
                    .put("created", 1_700_000_000L)
                    .put("model", model)
                    .put("choices", new JsonArray().add(new JsonObject()
                            .put("index", 0)
                            .put("message", new JsonObject().put("role", "assistant").put("content", c.content())
                                    .putNull("refusal"))
                            .putNull("logprobs")
                            .put("finish_reason", "stop")))
                    .put("usage", new JsonObject().put("prompt_tokens", 10).put("completion_tokens", 10).put("total_tokens", 20));
        });
    }

    private void handleTranscription(RoutingContext ctx) {
        MultiMap attributes = ctx.request().formAttributes();
        Map<String, List<String>> form = new LinkedHashMap<>();
        for (String name : attributes.names()) {
            form.put(name, List.copyOf(attributes.getAll(name)));
        }
        FileUpload upload = ctx.fileUploads().stream().filter(f -> "file".equals(f.name())).findFirst().orElse(null);
        Future<Buffer> file = upload == null ? Future.succeededFuture(null)
                : vertx.fileSystem().readFile(upload.uploadedFileName());
        file.onComplete(read -> {
            byte[] bytes = read.succeeded() && read.result() != null ? read.result().getBytes() : null;
            requests.add(new RecordedRequest(ctx.request().path(), ctx.request().getHeader("Authorization"), null, form,
                    bytes, upload == null ? null : upload.fileName()));
            String model = first(form, "model");
            if (bytes == null || model == null) {
                error(ctx, 400, "'file' and 'model' are required.", "invalid_request_error", null);
                return;
            }
            String format = first(form, "response_format") == null ? "json" : first(form, "response_format");
            boolean words = form.getOrDefault("timestamp_granularities[]", List.of()).contains("word");
            answer(ctx, model, next(model), reply -> {
                if (!(reply instanceof Reply.Transcript t)) {
                    return null;
                }
                if (!"verbose_json".equals(format)) {
                    return new JsonObject().put("text", t.text());
                }
                JsonArray wordList = new JsonArray();
                double at = 0.0;
                for (String w : t.words()) {
                    wordList.add(new JsonObject().put("word", w).put("start", at).put("end", at + 0.3));
                    at += 0.3;
                }
                JsonObject verbose = new JsonObject().put("task", "transcribe").put("language", "english")
                        .put("duration", Math.max(at, 0.3)).put("text", t.text())
                        .put("segments", new JsonArray().add(new JsonObject().put("id", 0).put("seek", 0).put("start", 0.0)
                                .put("end", at).put("text", t.text()).put("tokens", new JsonArray()).put("temperature", 0.0)
                                .put("avg_logprob", -0.2).put("compression_ratio", 1.0).put("no_speech_prob", 0.01)));
                if (words) {
                    verbose.put("words", wordList);
                }
                return verbose;
            });
        });
    }

    private void handleEmbeddings(RoutingContext ctx) {
        JsonObject body = ctx.body().asJsonObject();
        requests.add(new RecordedRequest(ctx.request().path(), ctx.request().getHeader("Authorization"), body, Map.of(), null, null));
        Object input = body == null ? null : body.getValue("input");
        List<String> inputs = new ArrayList<>();
        if (input instanceof String s) {
            inputs.add(s);
        } else if (input instanceof JsonArray a) {
            a.forEach(o -> inputs.add(String.valueOf(o)));
        }
        if (inputs.isEmpty() || body.getString("model") == null) {
            error(ctx, 400, "'input' and 'model' are required properties.", "invalid_request_error", null);
            return;
        }
        String model = body.getString("model");
        Reply scripted = next(model);
        if (scripted != null && !(scripted instanceof Reply.Content)) {
            answer(ctx, model, scripted, r -> null);
            return;
        }
        JsonArray data = new JsonArray();
        for (int i = 0; i < inputs.size(); i++) {
            data.add(new JsonObject().put("object", "embedding").put("index", i).put("embedding", embed(inputs.get(i))));
        }
        ok(ctx, new JsonObject().put("object", "list").put("data", data).put("model", model)
                .put("usage", new JsonObject().put("prompt_tokens", inputs.size()).put("total_tokens", inputs.size())));
    }

    private void handleModels(RoutingContext ctx) {
        requests.add(new RecordedRequest(ctx.request().path(), ctx.request().getHeader("Authorization"), null, Map.of(), null, null));
        JsonArray data = new JsonArray();
        synchronized (this) {
            java.util.Set<String> names = new java.util.TreeSet<>(defaults.keySet());
            names.addAll(queued.keySet());
            names.forEach(n -> data.add(new JsonObject().put("id", n).put("object", "model").put("created", 1_700_000_000L)
                    .put("owned_by", "vigil-fake")));
        }
        ok(ctx, new JsonObject().put("object", "list").put("data", data));
    }

    /** Sends {@code reply} (after its delay when slow); {@code success} renders the 200 body of a matching reply. */
    private void answer(RoutingContext ctx, String model, Reply reply,
            java.util.function.Function<Reply, JsonObject> success) {
        if (reply == null) {
            error(ctx, 404, "The model `" + model + "` does not exist or you do not have access to it.",
                    "invalid_request_error", "model_not_found");
        } else if (reply instanceof Reply.Slow slow) {
            vertx.setTimer(Math.max(1, slow.delay().toMillis()), t -> answer(ctx, model, slow.then(), success));
        } else if (reply instanceof Reply.Held held) {
            io.vertx.core.Context context = vertx.getOrCreateContext();
            held.release().whenComplete((v, e) -> context.runOnContext(x -> answer(ctx, model, held.then(), success)));
        } else if (reply instanceof Reply.RateLimited limited) {
            ctx.response().putHeader("Retry-After", String.valueOf(limited.retryAfterSeconds()));
            error(ctx, 429, "Rate limit reached for " + model + ". Please try again in " + limited.retryAfterSeconds() + "s.",
                    "requests", "rate_limit_exceeded");
        } else if (reply instanceof Reply.Error e) {
            error(ctx, e.status(), e.status() >= 500 ? "The server had an error while processing your request."
                    : "Invalid request.", e.status() >= 500 ? "server_error" : "invalid_request_error", null);
        } else if (reply instanceof Reply.Malformed m) {
            ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(m.body());
        } else {
            JsonObject body = success.apply(reply);
            if (body == null) {
                error(ctx, 400, "The fake has no " + reply.getClass().getSimpleName() + " answer for " + ctx.request().path(),
                        "invalid_request_error", null);
            } else {
                ok(ctx, body);
            }
        }
    }

    private static void ok(RoutingContext ctx, JsonObject body) {
        if (!ctx.response().closed()) {
            ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(body.encode());
        }
    }

    private static void error(RoutingContext ctx, int status, String message, String type, String code) {
        if (ctx.response().closed()) {
            return;
        }
        JsonObject error = new JsonObject().put("message", message).put("type", type).putNull("param").put("code", code);
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", error).encode());
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> v = form.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** A deterministic unit vector of 16 dimensions from the words of {@code text} (hashing trick). */
    static JsonArray embed(String text) {
        double[] v = new double[16];
        for (String w : text.toLowerCase(java.util.Locale.ROOT).split("\\W+")) {
            if (!w.isEmpty()) {
                int h = java.util.Arrays.hashCode(w.getBytes(StandardCharsets.UTF_8));
                v[Math.floorMod(h, 16)] += (h & 1) == 0 ? 1 : -1;
            }
        }
        double norm = Math.sqrt(java.util.Arrays.stream(v).map(x -> x * x).sum());
        JsonArray out = new JsonArray();
        for (double x : v) {
            out.add(norm == 0 ? 0.0 : x / norm);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("fake model server did not stop", e);
        }
    }
}
