package dev.vigil.api.records;

import dev.vigil.api.http.ApiError;
import dev.vigil.api.http.QueryParams;
import dev.vigil.api.http.JsonBody;
import dev.vigil.api.http.Tenant;
import dev.vigil.api.resources.ApiContext;
import dev.vigil.common.ids.Ids;
import dev.vigil.schemas.control.IndexSpec;
import dev.vigil.schemas.control.RtStreamSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;

/**
 * The records and search endpoints of docs/videodb-wire.md, served from the {@link RecordsStore}:
 * {@code GET /rtstream/{rid}/transcription}, {@code GET /rtstream/{rid}/index/scene/{iid}},
 * {@code POST /rtstream/{rid}/search} and {@code POST /rtstream/collection/{cid}/search}.
 *
 * <p>A stream or index the caller does not own answers exactly like the control resources do for
 * unknown ids (404 {@code not_found}, "rtstream '…' not found"), so ids of other tenants cannot be
 * probed. Every query is also filtered by the caller's collection. Bad parameters are 400s; a store
 * that is not running or is saturated is a 503.
 */
public final class RecordsResource {

    static final int DEFAULT_PAGE_SIZE = 100;
    static final int MAX_PAGE_SIZE = 1000;
    static final int DEFAULT_RESULTS = 10;
    static final int MAX_RESULTS = 1000;
    /** Latest accepted time, 3000-01-01 in Unix seconds: anything later is a unit mistake (ms for s). */
    static final double MAX_SECONDS = 32_503_680_000d;
    /** The Node SDK's index types and Vigil's own names, to the channels they search. */
    private static final Map<String, Set<Channel>> INDEX_TYPES = Map.of(
            "spoken_word", EnumSet.of(Channel.TRANSCRIPT, Channel.AUDIO_INDEX),
            "transcript", EnumSet.of(Channel.TRANSCRIPT),
            "audio", EnumSet.of(Channel.AUDIO_INDEX),
            "scene", EnumSet.of(Channel.SCENE_INDEX),
            "visual", EnumSet.of(Channel.SCENE_INDEX));

    private final Vertx vertx;
    private final ApiContext api;
    private final RecordsStore store;

    /** {@code store} null: the routes exist (for the API document) and answer 503. */
    public RecordsResource(Vertx vertx, ApiContext api, RecordsStore store) {
        this.vertx = vertx;
        this.api = api;
        this.store = store;
    }

    public void mount(Router router) {
        router.get("/rtstream/:rid/transcription").handler(ctx -> ApiContext.guarded(ctx, this::handleTranscription));
        router.get("/rtstream/:rid/index/scene/:iid").handler(ctx -> ApiContext.guarded(ctx, this::handleSceneRecords));
        // The literal 'collection' route first, so 'collection' is never taken for a stream id.
        router.post("/rtstream/collection/:cid/search").handler(ctx -> ApiContext.guarded(ctx, this::handleCollectionSearch));
        router.post("/rtstream/:rid/search").handler(ctx -> ApiContext.guarded(ctx, this::handleStreamSearch));
    }

    private void handleTranscription(RoutingContext ctx) {
        Paging paging = Paging.of(ctx);
        Future<RecordPage> page = api.beforeRead().compose(v -> {
            RtStreamSpec stream = ownedStream(ctx);
            RecordFilter filter = RecordFilter.stream(stream.getCollectionId(), stream.getId())
                    .withChannels(Set.of(Channel.TRANSCRIPT))
                    .withWindow(paging.fromMs(), paging.toMs(), paging.sinceMs());
            return fromStore(() -> store().list(filter, paging.page(), paging.pageSize()));
        });
        ApiContext.respond(ctx, page, RecordsJson::transcription, false);
    }

    private void handleSceneRecords(RoutingContext ctx) {
        Paging paging = Paging.of(ctx);
        Future<RecordPage> page = api.beforeRead().compose(v -> {
            RtStreamSpec stream = ownedStream(ctx);
            IndexSpec index = ownedIndex(stream, ctx.pathParam("iid"));
            RecordFilter filter = RecordFilter.stream(stream.getCollectionId(), stream.getId())
                    .withIndex(index.getId())
                    .withWindow(paging.fromMs(), paging.toMs(), paging.sinceMs());
            return fromStore(() -> store().list(filter, paging.page(), paging.pageSize()));
        });
        ApiContext.respond(ctx, page, RecordsJson::scenes, false);
    }

    private void handleStreamSearch(RoutingContext ctx) {
        SearchRequest request = SearchRequest.of(ctx);
        Future<List<SearchHit>> hits = api.beforeRead().compose(v -> {
            RtStreamSpec stream = ownedStream(ctx);
            RecordFilter filter = RecordFilter.stream(stream.getCollectionId(), stream.getId())
                    .withChannels(request.channels());
            if (request.indexId() != null) {
                filter = filter.withIndex(ownedIndex(stream, request.indexId()).getId());
            }
            return search(filter, request);
        });
        ApiContext.respond(ctx, hits, this::render, false);
    }

    private void handleCollectionSearch(RoutingContext ctx) {
        Tenant tenant = api.tenant(ctx);
        String cid = ctx.pathParam("cid");
        if (!tenant.addresses(cid)) {
            throw ApiError.notFound("collection", cid);
        }
        SearchRequest request = SearchRequest.of(ctx);
        Future<List<SearchHit>> hits = api.beforeRead().compose(v -> {
            // Only streams that exist now: records of a deleted stream stay in the index until the
            // topics' retention drops them, but are never shown.
            Set<String> streams = api.view().streams().stream()
                    .filter(s -> tenant.owns(s.getCollectionId()))
                    .map(RtStreamSpec::getId)
                    .collect(Collectors.toSet());
            RecordFilter filter = new RecordFilter(tenant.collectionId(), streams, null, request.channels(), null, null, null);
            if (request.indexId() != null) {
                IndexSpec index = Ids.isShortId(request.indexId()) ? api.view().index(request.indexId()) : null;
                if (index == null || !streams.contains(index.getRtstreamId())) {
                    throw ApiError.notFound("index", request.indexId());
                }
                filter = filter.withIndex(index.getId());
            }
            return search(filter, request);
        });
        ApiContext.respond(ctx, hits, this::render, false);
    }

    private Future<List<SearchHit>> search(RecordFilter filter, SearchRequest request) {
        return fromStore(() -> store().search(filter, request.query(), request.limit(), request.minScore(),
                request.dynamicPercentage()));
    }

    private JsonObject render(List<SearchHit> hits) {
        return RecordsJson.results(hits, api.view()::stream, api.view()::index);
    }

    /** The stream {@code rid} if it exists and belongs to the caller; else 404 (as StreamResource answers). */
    private RtStreamSpec ownedStream(RoutingContext ctx) {
        String rid = ctx.pathParam("rid");
        RtStreamSpec stream = Ids.isRtstreamId(rid) ? api.view().stream(rid) : null;
        if (stream == null || !api.tenant(ctx).owns(stream.getCollectionId())) {
            throw ApiError.notFound("rtstream", rid);
        }
        return stream;
    }

    /** The index {@code iid} of {@code stream}; else 404 (as IndexResource answers). */
    private IndexSpec ownedIndex(RtStreamSpec stream, String iid) {
        IndexSpec index = Ids.isShortId(iid) ? api.view().index(iid) : null;
        if (index == null || !index.getRtstreamId().equals(stream.getId())) {
            throw ApiError.notFound("index", iid);
        }
        return index;
    }

    private RecordsStore store() {
        if (store == null) {
            throw new ApiError(503, "unavailable", "the records store is not running on this instance");
        }
        return store;
    }

    /** Runs a store call; its failures become the API's errors (400 bad query, 503 busy or stopped). */
    private <T> Future<T> fromStore(java.util.function.Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> stage;
        try {
            stage = call.get();
        } catch (RejectedExecutionException e) {
            return Future.failedFuture(busy());
        }
        return Future.fromCompletionStage(stage, vertx.getOrCreateContext()).recover(e -> Future.failedFuture(toApiError(e)));
    }

    static Throwable toApiError(Throwable failure) {
        Throwable e = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (e instanceof BadQueryException bad) {
            return ApiError.badRequest(bad.getMessage());
        }
        if (e instanceof RejectedExecutionException) {
            return busy();
        }
        if (e instanceof IllegalStateException && "records store is not running".equals(e.getMessage())) {
            return new ApiError(503, "unavailable", "the records store is not running on this instance");
        }
        return e;
    }

    private static ApiError busy() {
        return new ApiError(503, "busy", "too many record queries in flight; retry shortly");
    }

    /** Page and time window of a listing, from the query string (times in Unix seconds). */
    record Paging(int page, int pageSize, Long fromMs, Long toMs, Long sinceMs) {
        static Paging of(RoutingContext ctx) {
            int page = (int) QueryParams.wholeNumber(ctx, "page", 1, 1, RecordsStore.MAX_WINDOW);
            int pageSize = (int) QueryParams.wholeNumber(ctx, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
            Long from = epochMillis(ctx, "start");
            Long to = epochMillis(ctx, "end");
            if (from != null && to != null && from > to) {
                throw ApiError.badRequest("query parameter 'start' must not be after 'end'");
            }
            return new Paging(page, pageSize, from, to, epochMillis(ctx, "since"));
        }
    }

    /** A time in Unix seconds (integer or decimal) as epoch milliseconds, or null when absent. */
    static Long epochMillis(RoutingContext ctx, String name) {
        String raw = QueryParams.string(ctx, name);
        if (raw == null) {
            return null;
        }
        double seconds;
        try {
            seconds = Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("query parameter '" + name + "' must be a time in Unix seconds, e.g. 1710000000.5");
        }
        if (Double.isNaN(seconds) || seconds < 0 || seconds > MAX_SECONDS || raw.toLowerCase(Locale.ROOT).contains("x")) {
            throw ApiError.badRequest("query parameter '" + name + "' must be a time in Unix seconds between 0 and "
                    + (long) MAX_SECONDS);
        }
        return Math.round(seconds * 1000);
    }

    /** A search body: VideoDB's keys, validated together so one 400 lists every mistake. */
    record SearchRequest(String query, String indexId, Set<Channel> channels, int limit, double minScore,
            Double dynamicPercentage) {
        static SearchRequest of(RoutingContext ctx) {
            JsonBody body = JsonBody.of(ctx);
            // JsonBody accepted the body, so it is empty or a JSON object; its filter is read raw (a list).
            JsonObject raw = body.has("filter") ? ctx.body().asJsonObject() : null;
            String query = body.string("query", true, SearchText.MAX_CHARS);
            String indexId = body.string("scene_index_id", false, 64);
            if (indexId == null && !body.has("scene_index_id")) {
                indexId = body.string("index_id", false, 64);
            }
            Integer limit = body.integer("result_threshold", DEFAULT_RESULTS, 1, MAX_RESULTS);
            Double score = body.number("score_threshold", 0.0, 0.0, 1.0);
            Double dynamic = body.number("dynamic_score_percentage", null, 0.0, 100.0);
            String type = body.choice("index_type", INDEX_TYPES.keySet(), null);
            body.bool("stitch", null);
            body.bool("rerank", null);
            body.object("rerank_params");
            if (raw != null) {
                Object filter = raw.getValue("filter");
                if (!(filter instanceof JsonArray array && array.isEmpty())) {
                    body.reject("filter", "is not supported: send an empty list or leave it out");
                }
            }
            body.validate();
            double minScore = score == null ? 0 : score;
            Set<Channel> channels = type == null ? Set.of() : INDEX_TYPES.get(type);
            return new SearchRequest(query, indexId, channels, limit == null ? DEFAULT_RESULTS : limit, minScore,
                    dynamic);
        }
    }
}
