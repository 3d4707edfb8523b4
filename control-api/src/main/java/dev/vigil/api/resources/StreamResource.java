package dev.vigil.api.resources;

import dev.vigil.api.http.ApiError;
import dev.vigil.api.http.Envelope;
import dev.vigil.api.http.JsonBody;
import dev.vigil.api.http.QueryParams;
import dev.vigil.api.http.Tenant;
import dev.vigil.api.quota.Quota;
import dev.vigil.common.ids.Ids;
import dev.vigil.common.net.UrlPolicy;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.AlertBinding;
import dev.vigil.schemas.control.DesiredState;
import dev.vigil.schemas.control.IndexSpec;
import dev.vigil.schemas.control.IndexState;
import dev.vigil.schemas.control.IndexType;
import dev.vigil.schemas.control.MediaType;
import dev.vigil.schemas.control.RtStreamSpec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * RTStreams: create, list, get, start/stop, delete, and the transcript switch
 * ({@code POST /rtstream/{id}/transcription}), which runs the stream's transcript index.
 */
public final class StreamResource {

    static final int DEFAULT_SAMPLE_RATE = 2;
    static final int MAX_SAMPLE_RATE = 30;
    private static final int MAX_NAME = 200;
    private static final int MAX_LIST = 1000;
    private static final Set<String> ACTIONS = Set.of("start", "stop");
    /** Engines VideoDB's SDKs name by default; they select Vigil's default (offline) engine. */
    private static final Set<String> DEFAULT_ENGINE_ALIASES = Set.of("default", "assemblyai");

    private final ApiContext api;

    public StreamResource(ApiContext api) {
        this.api = api;
    }

    public void mount(Router router) {
        router.post("/rtstream").handler(ctx -> ApiContext.guarded(ctx, this::handleCreate));
        router.get("/rtstream").handler(ctx -> ApiContext.guarded(ctx, this::handleList));
        router.get("/rtstream/:rid").handler(ctx -> ApiContext.guarded(ctx, this::handleGet));
        router.delete("/rtstream/:rid").handler(ctx -> ApiContext.guarded(ctx, this::handleDelete));
        router.patch("/rtstream/:rid/status").handler(ctx -> ApiContext.guarded(ctx, this::handleStatus));
        router.post("/rtstream/:rid/transcription").handler(ctx -> ApiContext.guarded(ctx, this::handleTranscription));
        // Older Node SDK builds switch transcription with PATCH …/transcription/status.
        router.patch("/rtstream/:rid/transcription/status").handler(ctx -> ApiContext.guarded(ctx, this::handleTranscription));
    }

    /** The stream {@code rid} if it exists and belongs to the caller; else 404. */
    static RtStreamSpec ownedStream(ApiContext api, RoutingContext ctx) {
        String rid = ctx.pathParam("rid");
        RtStreamSpec stream = Ids.isRtstreamId(rid) ? api.view().stream(rid) : null;
        if (stream == null || !api.tenant(ctx).owns(stream.getCollectionId())) {
            throw ApiError.notFound("rtstream", rid);
        }
        return stream;
    }

    private void handleCreate(RoutingContext ctx) {
        Tenant tenant = api.tenant(ctx);
        JsonBody body = JsonBody.of(ctx);
        String collectionId = body.string("collection_id", false, 64);
        String url = body.string("url", true, StreamUrls.MAX_LENGTH + 1);
        String name = body.string("name", false, MAX_NAME);
        List<String> media = body.choices("media_types", Set.of("video", "audio"), List.of("video"));
        Integer sampleRate = body.integer("sample_rate", DEFAULT_SAMPLE_RATE, 1, MAX_SAMPLE_RATE);
        Boolean store = body.bool("store", false);
        Boolean transcript = body.bool("enable_transcript", false);
        // Vigil's extension: true/false forces real-time pacing of this source; absent lets the worker decide.
        Boolean realtime = body.bool("realtime", null);
        String wsConnection = body.string("ws_connection_id", false, 64);
        if (url != null) {
            StreamUrls.problem(url, api.config().allowFileUrls()).ifPresent(p -> body.reject("url", p));
        }
        if (wsConnection != null && !Ids.isConnectionId(wsConnection)) {
            body.reject("ws_connection_id", "is not a connection id from the WebSocket's first frame");
        }
        body.validate();
        if (collectionId != null && !tenant.addresses(collectionId)) {
            throw ApiError.notFound("collection", collectionId);
        }
        Instant now = api.clock().instant();
        RtStreamSpec stream = RtStreamSpec.newBuilder()
                .setId(Ids.rtstreamId())
                .setCollectionId(tenant.collectionId())
                // Named after its URL when unnamed, but never with the camera's credentials: the name goes out
                // in every webhook and WebSocket frame.
                .setName(name == null || name.isBlank() ? StreamUrls.withoutCredentials(url) : name)
                .setUrl(url)
                .setMediaTypes(media.stream().map(m -> MediaType.valueOf(m.toUpperCase(Locale.ROOT))).toList())
                .setSampleRate(sampleRate)
                .setStore(store)
                .setEnableTranscript(transcript)
                .setRealtime(realtime)
                .setWsConnectionId(wsConnection)
                .setDesiredState(DesiredState.STARTED)
                .setCreatedAt(now)
                .setUpdatedAt(now)
                .build();
        Future<Void> written = checkSourceAddress(url).compose(v -> api.beforeRead()).compose(v -> {
            api.quotas().checkRoomFor(Quota.STREAMS, tenant.collectionId());
            if (transcript) {
                api.quotas().checkRoomFor(Quota.INDEXES, tenant.collectionId());
            }
            return api.write(Topics.RTSTREAMS, stream.getId(), stream);
        });
        if (transcript) {
            written = written.compose(v -> writeTranscriptIndex(stream, null, wsConnection, IndexState.RUNNING).mapEmpty());
        }
        ApiContext.respond(ctx, written, v -> ApiJson.stream(stream, null), true);
    }

    /**
     * The SSRF check of a network stream URL (see {@code UrlPolicy}): its host spelling here, then, off
     * the event loop, every address it resolves to. 400 when refused. A host that does not resolve
     * now is accepted — cameras come and go, and the ingest worker checks the address again right
     * before each connection, so nothing unchecked is ever fetched.
     */
    private Future<Void> checkSourceAddress(String url) {
        if (url == null || url.startsWith("/") || url.regionMatches(true, 0, "file:", 0, 5)) {
            return Future.succeededFuture();
        }
        URI uri;
        try {
            uri = api.sources().checkSyntax(url);
        } catch (UrlPolicy.RefusedException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        return api.blocking(() -> {
            try {
                api.sources().checkResolved(uri);
            } catch (UrlPolicy.RefusedException e) {
                if (e.refusal() != UrlPolicy.Refusal.UNRESOLVABLE) {
                    throw ApiError.badRequest(e.getMessage());
                }
            }
            return null;
        });
    }

    private void handleList(RoutingContext ctx) {
        Tenant tenant = api.tenant(ctx);
        int limit = QueryParams.integer(ctx, "limit", 100, 1, MAX_LIST);
        int offset = QueryParams.integer(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        String status = QueryParams.string(ctx, "status");
        if (status != null && !Set.of("connected", "stopped").contains(status)) {
            throw ApiError.badRequest("query parameter 'status' must be connected or stopped");
        }
        String name = QueryParams.string(ctx, "name");
        Comparator<RtStreamSpec> order = ordering(QueryParams.string(ctx, "ordering"));
        ApiContext.respond(ctx, api.beforeRead(), v -> {
            List<RtStreamSpec> matching = api.view().streams().stream()
                    .filter(s -> tenant.owns(s.getCollectionId()))
                    .filter(s -> status == null || status.equals(s.getDesiredState() == DesiredState.STARTED ? "connected" : "stopped"))
                    .filter(s -> name == null || s.getName().toLowerCase(Locale.ROOT).contains(name.toLowerCase(Locale.ROOT)))
                    .sorted(order)
                    .toList();
            JsonArray results = new JsonArray();
            matching.stream().skip(offset).limit(limit)
                    .forEach(s -> results.add(ApiJson.stream(s, api.view().status(s.getId()))));
            return new JsonObject().put("results", results).put("count", matching.size())
                    .put("limit", limit).put("offset", offset);
        }, false);
    }

    private static Comparator<RtStreamSpec> ordering(String ordering) {
        if (ordering == null) {
            return Comparator.comparing(RtStreamSpec::getCreatedAt).reversed();
        }
        Comparator<RtStreamSpec> byField = switch (ordering.replaceFirst("^-", "")) {
            case "created_at" -> Comparator.comparing(RtStreamSpec::getCreatedAt);
            case "updated_at" -> Comparator.comparing(RtStreamSpec::getUpdatedAt);
            case "name" -> Comparator.comparing(RtStreamSpec::getName);
            default -> throw ApiError.badRequest(
                    "query parameter 'ordering' must be created_at, updated_at or name, optionally prefixed with -");
        };
        return ordering.startsWith("-") ? byField.reversed() : byField;
    }

    private void handleGet(RoutingContext ctx) {
        ApiContext.respond(ctx, api.beforeRead(), v -> {
            RtStreamSpec stream = ownedStream(api, ctx);
            return ApiJson.stream(stream, api.view().status(stream.getId()));
        }, false);
    }

    private void handleStatus(RoutingContext ctx) {
        JsonBody body = JsonBody.of(ctx);
        String action = body.choice("action", ACTIONS, null);
        if (action == null && !body.has("action")) {
            body.reject("action", "is required: start or stop");
        }
        body.validate();
        DesiredState desired = "start".equals(action) ? DesiredState.STARTED : DesiredState.STOPPED;
        Future<RtStreamSpec> written = api.beforeRead().compose(v -> {
            RtStreamSpec stream = ownedStream(api, ctx);
            RtStreamSpec updated = RtStreamSpec.newBuilder(stream).setDesiredState(desired)
                    .setUpdatedAt(api.clock().instant()).build();
            return api.write(Topics.RTSTREAMS, updated.getId(), updated).map(x -> updated);
        });
        ApiContext.respond(ctx, written, updated -> ApiJson.stream(updated, api.view().status(updated.getId())), false);
    }

    /** Deletes the stream with its indexes and their alerts (alerts first, so nothing fires half-deleted). */
    private void handleDelete(RoutingContext ctx) {
        Future<JsonObject> done = api.beforeRead().compose(v -> {
            RtStreamSpec stream = ownedStream(api, ctx);
            List<IndexSpec> indexes = indexesOf(api, stream.getId()).toList();
            List<AlertBinding> alerts = api.view().alerts().stream()
                    .filter(a -> a.getRtstreamId().equals(stream.getId())).toList();
            Future<Void> chain = Future.succeededFuture();
            for (AlertBinding alert : alerts) {
                chain = chain.compose(x -> api.write(Topics.ALERTS, alert.getId(), null));
            }
            for (IndexSpec index : indexes) {
                chain = chain.compose(x -> api.write(Topics.INDEXES, index.getId(), null));
            }
            return chain.compose(x -> api.write(Topics.RTSTREAMS, stream.getId(), null))
                    .compose(x -> api.write(Topics.RTSTREAM_STATUS, stream.getId(), null))
                    .map(x -> new JsonObject().put("id", stream.getId()).put("deleted", true)
                            .put("indexes_deleted", indexes.size()).put("alerts_deleted", alerts.size()));
        });
        ApiContext.respond(ctx, done, json -> json, false);
    }

    private void handleTranscription(RoutingContext ctx) {
        JsonBody body = JsonBody.of(ctx);
        String action = body.choice("action", ACTIONS, null);
        if (action == null && !body.has("action")) {
            body.reject("action", "is required: start or stop");
        }
        String engine = body.string("engine", false, 64);
        if (engine != null && !engine.matches("[A-Za-z0-9._-]{1,64}")) {
            body.reject("engine", "must be an engine name (letters, digits, '.', '_', '-')");
        }
        String wsConnection = body.has("ws_connection_id") ? body.string("ws_connection_id", false, 64)
                : body.string("socket_id", false, 64);
        if (wsConnection != null && !Ids.isConnectionId(wsConnection)) {
            body.reject("ws_connection_id", "is not a connection id from the WebSocket's first frame");
        }
        body.validate();
        String chosenEngine = engine == null || DEFAULT_ENGINE_ALIASES.contains(engine.toLowerCase(Locale.ROOT)) ? null : engine;
        IndexState state = "start".equals(action) ? IndexState.RUNNING : IndexState.STOPPED;
        Future<IndexSpec> written = api.beforeRead().compose(v -> {
            RtStreamSpec stream = ownedStream(api, ctx);
            if (transcriptIndexOf(stream) == null) {
                api.quotas().checkRoomFor(Quota.INDEXES, stream.getCollectionId());
            }
            return writeTranscriptIndex(stream, chosenEngine, wsConnection, state);
        });
        ApiContext.respond(ctx, written, index -> new JsonObject()
                .put("status", state == IndexState.RUNNING ? "running" : "stopped")
                .put("engine", index.getEngine() == null ? "default" : index.getEngine())
                .put("rtstream_index_id", index.getId())
                .put("updated_at", index.getUpdatedAt().toString()), false);
    }

    /** Creates or updates the stream's one transcript index. */
    private Future<IndexSpec> writeTranscriptIndex(RtStreamSpec stream, String engine, String wsConnection, IndexState state) {
        Instant now = api.clock().instant();
        IndexSpec existing = transcriptIndexOf(stream);
        IndexSpec.Builder builder = existing == null
                ? IndexSpec.newBuilder().setId(Ids.shortId()).setRtstreamId(stream.getId())
                        .setCollectionId(stream.getCollectionId()).setIndexType(IndexType.TRANSCRIPT)
                        .setName("transcript").setExtractionType("transcript").setExtractionConfig(Map.of())
                        .setCreatedAt(now)
                : IndexSpec.newBuilder(existing);
        if (engine != null) {
            builder.setEngine(engine);
        }
        if (wsConnection != null) {
            builder.setWsConnectionId(wsConnection);
        } else if (existing == null) {
            builder.setWsConnectionId(stream.getWsConnectionId());
        }
        IndexSpec index = builder.setState(state).setUpdatedAt(now).build();
        return api.write(Topics.INDEXES, index.getId(), index).map(v -> index);
    }

    private IndexSpec transcriptIndexOf(RtStreamSpec stream) {
        return api.view().indexes().stream()
                .filter(i -> i.getRtstreamId().equals(stream.getId()) && i.getIndexType() == IndexType.TRANSCRIPT)
                .findFirst().orElse(null);
    }

    static Stream<IndexSpec> indexesOf(ApiContext api, String rtstreamId) {
        return api.view().indexes().stream().filter(i -> i.getRtstreamId().equals(rtstreamId));
    }
}
