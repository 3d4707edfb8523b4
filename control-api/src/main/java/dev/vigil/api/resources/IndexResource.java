package dev.vigil.api.resources;

import dev.vigil.api.http.ApiError;
import dev.vigil.api.http.JsonBody;
import dev.vigil.api.quota.Quota;
import dev.vigil.common.ids.Ids;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.AlertBinding;
import dev.vigil.schemas.control.IndexSpec;
import dev.vigil.schemas.control.IndexState;
import dev.vigil.schemas.control.IndexType;
import dev.vigil.schemas.control.RtStreamSpec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scene indexes of a stream — VideoDB's name for both visual ({@code extraction_type} time) and
 * audio ({@code extraction_type} transcript) indexes: create, list, get, start/stop, update, delete.
 */
public final class IndexResource {

    static final String DEFAULT_VISUAL_PROMPT = "Describe the scene";
    private static final Set<String> VISUAL_TYPES = Set.of("time", "time_based", "shot", "shot_based");
    private static final Set<String> EXTRACTION_TYPES = Set.of("time", "time_based", "shot", "shot_based", "transcript");
    private static final Set<String> SEGMENTERS = Set.of("word", "sentence", "time");
    private static final int MAX_PROMPT = 4000;

    private final ApiContext api;

    public IndexResource(ApiContext api) {
        this.api = api;
    }

    public void mount(Router router) {
        // The literal 'scene' routes come before /index/:iid so 'scene' is never taken for an id.
        router.post("/rtstream/:rid/index/scene").handler(ctx -> ApiContext.guarded(ctx, this::handleCreate));
        router.get("/rtstream/:rid/index/scene").handler(ctx -> ApiContext.guarded(ctx, this::handleList));
        router.patch("/rtstream/:rid/index/scene/:iid/status").handler(ctx -> ApiContext.guarded(ctx, this::handleStatus));
        router.patch("/rtstream/:rid/index/scene/:iid").handler(ctx -> ApiContext.guarded(ctx, this::handleUpdate));
        router.get("/rtstream/:rid/index/:iid").handler(ctx -> ApiContext.guarded(ctx, this::handleGet));
        router.delete("/rtstream/:rid/index/:iid").handler(ctx -> ApiContext.guarded(ctx, this::handleDelete));
    }

    /** The index {@code iid} of the caller's stream {@code rid}; else 404. */
    static IndexSpec ownedIndex(ApiContext api, RoutingContext ctx) {
        RtStreamSpec stream = StreamResource.ownedStream(api, ctx);
        String iid = ctx.pathParam("iid");
        IndexSpec index = Ids.isShortId(iid) ? api.view().index(iid) : null;
        if (index == null || !index.getRtstreamId().equals(stream.getId())) {
            throw ApiError.notFound("index", iid);
        }
        return index;
    }

    private void handleCreate(RoutingContext ctx) {
        JsonBody body = JsonBody.of(ctx);
        String extractionType = body.choice("extraction_type", EXTRACTION_TYPES, "time");
        JsonObject extraction = body.object("extraction_config");
        String prompt = body.string("prompt", false, MAX_PROMPT);
        String modelName = body.string("model_name", false, 200);
        String name = body.string("name", false, 200);
        String engine = body.string("engine", false, 64);
        if (engine != null && !engine.matches("[A-Za-z0-9._-]{1,64}")) {
            body.reject("engine", "must be an engine name (letters, digits, '.', '_', '-')");
        }
        body.object("model_config");
        // Older Node SDK builds snake_case their camelCase socketId into socket_id.
        String wsConnection = body.has("ws_connection_id") ? body.string("ws_connection_id", false, 64)
                : body.string("socket_id", false, 64);
        if (wsConnection != null && !Ids.isConnectionId(wsConnection)) {
            body.reject("ws_connection_id", "is not a connection id from the WebSocket's first frame");
        }
        boolean visual = VISUAL_TYPES.contains(extractionType);
        Map<String, String> config = visual ? visualConfig(body, extraction) : audioConfig(body, extraction);
        body.validate();
        Future<IndexSpec> written = api.beforeRead().compose(v -> {
            RtStreamSpec stream = StreamResource.ownedStream(api, ctx);
            api.quotas().checkRoomFor(Quota.INDEXES, stream.getCollectionId());
            Instant now = api.clock().instant();
            IndexSpec index = IndexSpec.newBuilder()
                    .setId(Ids.shortId())
                    .setRtstreamId(stream.getId())
                    .setCollectionId(stream.getCollectionId())
                    .setIndexType(visual ? IndexType.SCENE : IndexType.AUDIO)
                    .setName(name)
                    .setPrompt(prompt == null && visual ? DEFAULT_VISUAL_PROMPT : prompt)
                    .setModelName(modelName)
                    .setEngine(engine)
                    .setExtractionType(extractionType.startsWith("time") ? "time" : extractionType.startsWith("shot") ? "shot" : "transcript")
                    .setExtractionConfig(config)
                    .setState(IndexState.RUNNING)
                    .setWsConnectionId(wsConnection)
                    .setCreatedAt(now)
                    .setUpdatedAt(now)
                    .build();
            return api.write(Topics.INDEXES, index.getId(), index).map(x -> index);
        });
        ApiContext.respond(ctx, written, ApiJson::index, true);
    }

    /** Window length and frames per window (VideoDB defaults 2 s and 5 frames); other keys kept as given. */
    private static Map<String, String> visualConfig(JsonBody body, JsonObject extraction) {
        Map<String, String> config = passThrough(body, extraction, Set.of("time", "frame_count"));
        config.put("time", Long.toString(positive(body, extraction, "time", 2, 1, 3600)));
        config.put("frame_count", Long.toString(positive(body, extraction, "frame_count", 5, 1, 60)));
        return config;
    }

    /** Segmenter (word, sentence or time) and its value (VideoDB's index_spoken_words defaults: word, 10). */
    private static Map<String, String> audioConfig(JsonBody body, JsonObject extraction) {
        Map<String, String> config = passThrough(body, extraction, Set.of("segmenter", "segmentation_value"));
        Object segmenter = extraction.getValue("segmenter");
        if (segmenter != null && !(segmenter instanceof String s && SEGMENTERS.contains(s))) {
            body.reject("extraction_config.segmenter", "must be one of " + new java.util.TreeSet<>(SEGMENTERS));
        }
        config.put("segmenter", segmenter instanceof String s && SEGMENTERS.contains(s) ? s : "word");
        config.put("segmentation_value", Long.toString(positive(body, extraction, "segmentation_value", 10, 1, 10_000)));
        return config;
    }

    private static long positive(JsonBody body, JsonObject extraction, String key, long dflt, long min, long max) {
        Object value = extraction.getValue(key);
        if (value == null) {
            return dflt;
        }
        if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                || n.doubleValue() < min || n.doubleValue() > max) {
            body.reject("extraction_config." + key, "must be a whole number between " + min + " and " + max);
            return dflt;
        }
        return n.longValue();
    }

    /** Engine-specific keys (e.g. zones, vocabulary) are kept as strings; nested values as JSON text. */
    private static Map<String, String> passThrough(JsonBody body, JsonObject extraction, Set<String> known) {
        Map<String, String> config = new HashMap<>();
        if (extraction.size() > 50) {
            body.reject("extraction_config", "must have at most 50 keys");
            return config;
        }
        for (Map.Entry<String, Object> e : extraction) {
            if (known.contains(e.getKey()) || e.getValue() == null) {
                continue;
            }
            if (!e.getKey().matches("[A-Za-z0-9_.-]{1,64}")) {
                body.reject("extraction_config", "keys are 1-64 letters, digits, '_', '.' or '-'");
                continue;
            }
            Object v = e.getValue();
            String text = v instanceof JsonObject o ? o.encode() : v instanceof JsonArray a ? a.encode() : String.valueOf(v);
            if (text.length() > 10_000) {
                body.reject("extraction_config." + e.getKey(), "is too long (at most 10000 characters)");
                continue;
            }
            config.put(e.getKey(), text);
        }
        return config;
    }

    private void handleList(RoutingContext ctx) {
        ApiContext.respond(ctx, api.beforeRead(), v -> {
            RtStreamSpec stream = StreamResource.ownedStream(api, ctx);
            JsonArray indexes = new JsonArray();
            StreamResource.indexesOf(api, stream.getId())
                    .sorted(Comparator.comparing(IndexSpec::getCreatedAt))
                    .forEach(i -> indexes.add(ApiJson.index(i)));
            return new JsonObject().put("scene_indexes", indexes);
        }, false);
    }

    private void handleGet(RoutingContext ctx) {
        ApiContext.respond(ctx, api.beforeRead(), v -> ApiJson.index(ownedIndex(api, ctx)), false);
    }

    private void handleStatus(RoutingContext ctx) {
        JsonBody body = JsonBody.of(ctx);
        String action = body.choice("action", Set.of("start", "stop"), null);
        if (action == null && !body.has("action")) {
            body.reject("action", "is required: start or stop");
        }
        body.validate();
        IndexState state = "start".equals(action) ? IndexState.RUNNING : IndexState.STOPPED;
        Future<IndexSpec> written = api.beforeRead().compose(v -> {
            IndexSpec updated = IndexSpec.newBuilder(ownedIndex(api, ctx)).setState(state)
                    .setUpdatedAt(api.clock().instant()).build();
            return api.write(Topics.INDEXES, updated.getId(), updated).map(x -> updated);
        });
        ApiContext.respond(ctx, written, ApiJson::index, false);
    }

    /** The Node SDK's updateSceneIndex: a new prompt (and name) for the next windows. */
    private void handleUpdate(RoutingContext ctx) {
        JsonBody body = JsonBody.of(ctx);
        String prompt = body.string("prompt", false, MAX_PROMPT);
        String name = body.string("name", false, 200);
        if (prompt == null && name == null) {
            body.reject("prompt", "or 'name' is required");
        }
        body.validate();
        Future<IndexSpec> written = api.beforeRead().compose(v -> {
            IndexSpec.Builder builder = IndexSpec.newBuilder(ownedIndex(api, ctx)).setUpdatedAt(api.clock().instant());
            if (prompt != null) {
                builder.setPrompt(prompt);
            }
            if (name != null) {
                builder.setName(name);
            }
            IndexSpec updated = builder.build();
            return api.write(Topics.INDEXES, updated.getId(), updated).map(x -> updated);
        });
        ApiContext.respond(ctx, written, ApiJson::index, false);
    }

    private void handleDelete(RoutingContext ctx) {
        Future<JsonObject> done = api.beforeRead().compose(v -> {
            IndexSpec index = ownedIndex(api, ctx);
            List<AlertBinding> alerts = api.view().alerts().stream().filter(a -> a.getIndexId().equals(index.getId())).toList();
            Future<Void> chain = Future.succeededFuture();
            for (AlertBinding alert : alerts) {
                chain = chain.compose(x -> api.write(Topics.ALERTS, alert.getId(), null));
            }
            return chain.compose(x -> api.write(Topics.INDEXES, index.getId(), null))
                    .map(x -> new JsonObject().put("rtstream_index_id", index.getId()).put("deleted", true)
                            .put("alerts_deleted", alerts.size()));
        });
        ApiContext.respond(ctx, done, json -> json, false);
    }
}
