package dev.vigil.api.playback;

import dev.vigil.api.http.ApiError;
import dev.vigil.api.http.ApiKeyAuth;
import dev.vigil.api.http.JsonBody;
import dev.vigil.api.http.QueryParams;
import dev.vigil.api.http.Tenant;
import dev.vigil.api.resources.ApiContext;
import dev.vigil.common.ids.Ids;
import dev.vigil.common.playback.PlaybackLinks;
import dev.vigil.common.playback.PublicUrl;
import dev.vigil.common.secrets.SignedUrls;
import dev.vigil.common.storage.SegmentStore;
import dev.vigil.schemas.control.DesiredState;
import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.schemas.media.MediaFrame;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Playback of recorded streams, wire-compatible with VideoDB's SDKs ({@code docs/videodb-wire.md} §4.4,
 * §4.5, and {@code playback/DESIGN.md}):
 * <ul>
 *   <li>{@code GET /rtstream/{id}/stream?start&end} (Unix seconds, as {@code generate_stream} and search shots
 *       send them) → {@code stream_url} (HLS VOD playlist) and {@code player_url}, both signed and expiring;</li>
 *   <li>{@code POST /rtstream/{id}/export} → the latest recording session as an MP4 ({@code video_id},
 *       {@code stream_url}, {@code player_url}, {@code name}, {@code duration}), idempotent;
 *       {@code GET /rtstream/{id}/export/{video_id}} the same description again;</li>
 *   <li>under {@code /play/{id}/…} the media itself: the playlist, its segments, the player pages, the
 *       exported MP4 and alert snapshots, each reachable with a signed URL or the API key ({@link MediaAccess}).</li>
 * </ul>
 * Segment bytes come from the {@link SegmentStore} on worker threads, or straight from the store when it can
 * presign URLs (S3). Every client mistake is a 4xx in the usual envelope.
 */
public final class PlaybackResource {

    /** Unix seconds above this are taken for milliseconds (year 5138 in seconds). */
    private static final double MAX_SECONDS = 1e11;
    private static final int MAX_NAME = 200;
    private static final int MAX_PLAYER_TEXT = 200;
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+\\](:\\d{1,5})?");
    private static final int SNAPSHOT_CACHE = 64;
    /** How far from the wanted time a snapshot's frame may be (frames are sampled at 1-5 per second). */
    private static final Duration SNAPSHOT_WINDOW = Duration.ofSeconds(5);
    private static final Pattern STREAM_ID = Pattern.compile("rts-[0-9a-f-]{36}");
    /**
     * Segments in the live playlist: at least three target durations, as RFC 8216 §6.2.2 asks, so a player
     * starting at the live edge (hls.js: three segments back by default, one in the dashboard) has room.
     */
    static final int LIVE_WINDOW = 4;

    private final ApiContext api;
    private final SegmentIndex index;
    private final SegmentStore store;
    private final PlaybackConfig config;
    private final PlaybackLinks links;
    private final Exports exports;
    private final CutSegments cuts;
    private final PlayerPages pages = new PlayerPages();
    private final FrameLookup frames;
    /** Rendered snapshots by URL parameters: a webhook receiver and a dashboard often open the same one. */
    private final Map<String, byte[]> snapshots = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                    return size() > SNAPSHOT_CACHE;
                }
            });

    /**
     * {@code index}, {@code store}: null when this instance has no recording storage (routes answer 503);
     * {@code frames}: null when it reads no frames (snapshots answer 503).
     */
    public PlaybackResource(ApiContext api, SegmentIndex index, SegmentStore store, PlaybackLinks links,
            FrameLookup frames) {
        this.frames = frames;
        this.api = api;
        this.index = index;
        this.store = store;
        this.config = api.config().playback();
        this.links = links;
        this.exports = store == null ? null : new Exports(store);
        this.cuts = store == null ? null : new CutSegments(store, api::blocking, config.cutCacheBytes());
    }

    /** Mounts the API routes (behind the API key) and the media routes (signed or API key). */
    public void mount(Router router, ApiKeyAuth apiKeys) {
        router.get("/rtstream/:rid/stream").handler(ctx -> ApiContext.guarded(ctx, this::handleStream));
        router.post("/rtstream/:rid/export").handler(ctx -> ApiContext.guarded(ctx, this::handleExport));
        router.get("/rtstream/:rid/export/:vid").handler(ctx -> ApiContext.guarded(ctx, this::handleGetExport));
        router.get("/rtstream/:rid/live").handler(ctx -> ApiContext.guarded(ctx, this::handleLive));

        router.route(PlaybackLinks.PREFIX + "/*").handler(new MediaAccess(links.signer(), apiKeys));
        router.get(MediaAccess.ASSETS + ":file").handler(pages::handleAsset);
        router.get("/play/:rid/stream.m3u8").handler(ctx -> ApiContext.guarded(ctx, this::handlePlaylist));
        router.get("/play/:rid/live.m3u8").handler(ctx -> ApiContext.guarded(ctx, this::handleLivePlaylist));
        router.get("/play/:rid/segment.ts").handler(ctx -> ApiContext.guarded(ctx, this::handleSegment));
        router.get("/play/:rid/player").handler(ctx -> ApiContext.guarded(ctx, this::handlePlayer));
        router.get("/play/:rid/snapshot.jpg").handler(ctx -> ApiContext.guarded(ctx, this::handleSnapshot));
        router.get("/play/:rid/export/:file").handler(ctx -> ApiContext.guarded(ctx, this::handleExportFile));
        router.get("/play/:rid/export/:vid/player").handler(ctx -> ApiContext.guarded(ctx, this::handleExportPlayer));
    }

    // ---- API routes -------------------------------------------------------------------------------------

    private void handleStream(RoutingContext ctx) {
        long[] range = rangeSeconds(ctx);
        String title = boundedText(ctx, "player_title");
        String description = boundedText(ctx, "player_description");
        ApiContext.respond(ctx, api.beforeRead(), v -> {
            RtStreamSpec stream = recordedStream(ctx);
            List<ClipPart> segments = segmentsOf(stream, range[0], range[1]);
            String base = base(ctx);
            Duration ttl = config.linkTtl();
            Instant expires = api.clock().instant().plus(ttl);
            long from = segments.get(0).fromMs();
            long to = segments.get(segments.size() - 1).toMs();
            return new JsonObject()
                    .put("stream_url", links.playlist(base, stream.getId(), range[0], range[1], ttl))
                    .put("player_url", links.player(base, stream.getId(), range[0], range[1],
                            title == null ? stream.getName() : title, description, ttl))
                    .put("rtstream_id", stream.getId())
                    .put("start", from / 1000.0)
                    .put("end", to / 1000.0)
                    .put("duration", HlsPlaylist.durationSeconds(segments))
                    .put("segments", segments.size())
                    .put("expires_at", expires.toString());
        }, false);
    }

    /**
     * The live view of a recorded stream (Vigil's own, for the dashboard): {@code stream_url} is a signed live
     * HLS playlist of its newest segments, which players poll; valid for the link TTL.
     */
    private void handleLive(RoutingContext ctx) {
        ApiContext.respond(ctx, api.beforeRead(), v -> {
            RtStreamSpec stream = recordedStream(ctx);
            Segment newest = index.newest(stream.getId()).orElseThrow(() -> noRecording(stream, null));
            Duration ttl = config.linkTtl();
            String path = livePath(stream.getId());
            return new JsonObject()
                    .put("stream_url", base(ctx) + path + "?" + links.signer().sign(path, Map.of(), ttl))
                    .put("rtstream_id", stream.getId())
                    .put("latest_end", newest.endMs() / 1000.0)
                    .put("window", LIVE_WINDOW)
                    .put("expires_at", api.clock().instant().plus(ttl).toString());
        }, false);
    }

    private static String livePath(String rtstreamId) {
        return PlaybackLinks.PREFIX + "/" + rtstreamId + "/live.m3u8";
    }

    private void handleLivePlaylist(RoutingContext ctx) {
        RtStreamSpec stream = mediaStream(ctx);
        Segment newest = index.newest(stream.getId()).orElseThrow(() -> noRecording(stream, null));
        List<Segment> session = index.all(stream.getId()).stream()
                .filter(s -> s.sessionId().equals(newest.sessionId())).toList();
        String base = base(ctx);
        long expires = playlistExpiry(ctx);
        boolean ended = stream.getDesiredState() != DesiredState.STARTED;
        String playlist = HlsPlaylist.writeLive(session, LIVE_WINDOW, ended, p -> segmentUrl(base, stream, p, expires));
        ctx.response()
                .putHeader("Content-Type", "application/vnd.apple.mpegurl")
                // A live playlist changes with every segment: players must fetch it anew each time.
                .putHeader("Cache-Control", "no-store")
                .putHeader("Access-Control-Allow-Origin", "*")
                .end(playlist);
    }

    private void handleExport(RoutingContext ctx) {
        JsonBody body = JsonBody.of(ctx);
        String name = body.string("name", false, MAX_NAME);
        body.validate();
        Future<JsonObject> done = api.beforeRead().compose(v -> {
            RtStreamSpec stream = recordedStream(ctx);
            if (stream.getDesiredState() == DesiredState.STARTED) {
                throw ApiError.conflict("rtstream " + stream.getId() + " is still running: export takes the latest "
                        + "completed recording, so stop the stream first (PATCH /rtstream/{id}/status {\"action\":\"stop\"})");
            }
            Segment newest = index.newest(stream.getId()).orElseThrow(() -> noRecording(stream, null));
            List<Segment> session = index.all(stream.getId()).stream()
                    .filter(s -> s.sessionId().equals(newest.sessionId())).toList();
            String exportName = name == null || name.isBlank() ? stream.getName() + " - Recording" : name;
            String base = base(ctx);
            return api.blocking(() -> exports.exportSession(stream.getCollectionId(), stream.getId(), exportName, session))
                    .recover(e -> Future.failedFuture(e instanceof IOException io
                            ? ApiError.unavailable("recording storage failed: " + io.getMessage(), 5) : e))
                    .map(export -> exportJson(base, stream, export));
        });
        ApiContext.respond(ctx, done, json -> json, false);
    }

    private void handleGetExport(RoutingContext ctx) {
        String videoId = ctx.pathParam("vid");
        Future<JsonObject> done = api.beforeRead().compose(v -> {
            RtStreamSpec stream = recordedStream(ctx);
            if (!Exports.isVideoId(videoId)) {
                throw ApiError.notFound("export", videoId);
            }
            String base = base(ctx);
            return api.blocking(() -> exports.find(stream.getCollectionId(), stream.getId(), videoId))
                    .map(found -> exportJson(base, stream,
                            found.orElseThrow(() -> ApiError.notFound("export", videoId))));
        });
        ApiContext.respond(ctx, done, json -> json, false);
    }

    private JsonObject exportJson(String base, RtStreamSpec stream, Exports.Export export) {
        Duration ttl = config.linkTtl();
        return export.toJson()
                .put("stream_url", links.export(base, stream.getId(), export.videoId(), ttl))
                .put("player_url", links.exportPlayer(base, stream.getId(), export.videoId(), export.name(), ttl))
                .put("expires_at", api.clock().instant().plus(ttl).toString());
    }

    // ---- media routes -----------------------------------------------------------------------------------

    private void handlePlaylist(RoutingContext ctx) {
        long from = QueryParams.wholeNumber(ctx, "start", -1, 0, Long.MAX_VALUE);
        long to = QueryParams.wholeNumber(ctx, "end", -1, 0, Long.MAX_VALUE);
        if (from < 0 || to <= from) {
            throw ApiError.badRequest("query parameters 'start' and 'end' (epoch milliseconds, start before end) are required");
        }
        RtStreamSpec stream = mediaStream(ctx);
        List<ClipPart> segments = segmentsOf(stream, from, to);
        String base = base(ctx);
        long expires = playlistExpiry(ctx);
        String playlist = HlsPlaylist.write(segments, s -> segmentUrl(base, stream, s, expires));
        ctx.response()
                .putHeader("Content-Type", "application/vnd.apple.mpegurl")
                .putHeader("Cache-Control", "private, max-age=60")
                .putHeader("Access-Control-Allow-Origin", "*")
                .end(playlist);
    }

    /** A signed playlist hands its own expiry on to its segments; one fetched with the API key, the link TTL. */
    private long playlistExpiry(RoutingContext ctx) {
        if (MediaAccess.signed(ctx)) {
            return Long.parseLong(ctx.queryParam(SignedUrls.EXPIRES).get(0));
        }
        return api.clock().instant().plus(config.linkTtl()).getEpochSecond();
    }

    /**
     * A whole segment: the store's presigned URL (S3) or this API's signed segment link. A cut one (the clip's
     * first or last) is always served by this API, which cuts it.
     */
    private String segmentUrl(String base, RtStreamSpec stream, ClipPart part, long expiresEpochSeconds) {
        String key = part.segment().key();
        if (part.trimmed()) {
            return links.segmentPart(base, stream.getId(), key, part.offsetFromMs(), part.offsetToMs(), expiresEpochSeconds);
        }
        Duration left = Duration.ofSeconds(Math.max(1, expiresEpochSeconds - api.clock().instant().getEpochSecond()));
        Optional<URI> presigned = store.presignedGet(key, left);
        return presigned.map(URI::toString)
                .orElseGet(() -> links.segment(base, stream.getId(), key, expiresEpochSeconds));
    }

    private void handleSegment(RoutingContext ctx) {
        RtStreamSpec stream = mediaStream(ctx);
        String key = QueryParams.string(ctx, "key");
        Segment segment = key == null ? null : index.byKey(key).orElse(null);
        if (segment == null || !segment.rtstreamId().equals(stream.getId())) {
            throw ApiError.notFound("segment", key);
        }
        long from = QueryParams.wholeNumber(ctx, "from", -1, 0, segment.durationMs());
        long to = QueryParams.wholeNumber(ctx, "to", -1, 1, segment.durationMs());
        if (from >= 0 || to >= 0) {
            sendTrimmed(ctx, segment, Math.max(0, from), to < 0 ? segment.durationMs() : to);
            return;
        }
        Optional<URI> presigned = store.presignedGet(key, Duration.ofMinutes(5));
        if (presigned.isPresent()) {
            ctx.response().setStatusCode(302).putHeader("Location", presigned.get().toString()).end();
            return;
        }
        sendStored(ctx, key, "video/mp2t");
    }

    /** The segment cut to [fromMs, toMs) of its own time ({@link CutSegments}: cut once, then from memory). */
    private void sendTrimmed(RoutingContext ctx, Segment segment, long fromMs, long toMs) {
        if (toMs <= fromMs) {
            throw ApiError.badRequest("query parameters 'from' and 'to' (milliseconds into the segment) must be in order");
        }
        cuts.get(segment, fromMs, toMs).onSuccess(bytes -> ctx.response()
                .putHeader("Content-Type", "video/mp2t")
                .putHeader("Cache-Control", "private, max-age=3600")
                .putHeader("Access-Control-Allow-Origin", "*")
                .end(bytes))
                .onFailure(ctx::fail);
    }

    private void handleExportFile(RoutingContext ctx) {
        String file = ctx.pathParam("file");
        if (!file.endsWith(".mp4") || !Exports.isVideoId(file.substring(0, file.length() - 4))) {
            throw ApiError.notFound("export", file);
        }
        RtStreamSpec stream = mediaStream(ctx);
        sendStored(ctx, Exports.mp4Key(stream.getCollectionId(), stream.getId(), file.substring(0, file.length() - 4)),
                "video/mp4");
    }

    /** What {@link #sendStored} answers: the bytes, and the range they are (null: the whole object). */
    private record Stored(Buffer bytes, ByteRange range, long size) {
    }

    /**
     * Sends a stored object, honouring a single HTTP byte range (206 with {@code Content-Range}; 416 with
     * {@code Content-Range: bytes *}{@code /size} for a range past the end), as video elements and FFmpeg use
     * on an MP4. Read on a worker thread (segments are hundreds of KB, exports bounded by one session).
     */
    private void sendStored(RoutingContext ctx, String key, String contentType) {
        String rangeHeader = ctx.request().getHeader("Range");
        api.<Stored>blocking(() -> {
            try {
                long size = store.size(key);
                Optional<ByteRange> range;
                try {
                    range = ByteRange.parse(rangeHeader, size);
                } catch (ByteRange.Unsatisfiable e) {
                    ctx.response().putHeader("Content-Range", "bytes */" + size);
                    throw new ApiError(416, "range_not_satisfiable", e.getMessage());
                }
                try (InputStream in = store.open(key)) {
                    if (range.isEmpty()) {
                        return new Stored(Buffer.buffer(in.readAllBytes()), null, size);
                    }
                    in.skipNBytes(range.get().first());
                    return new Stored(Buffer.buffer(in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, range.get().length()))),
                            range.get(), size);
                }
            } catch (NoSuchFileException e) {
                throw ApiError.notFound("recorded media", key);
            } catch (IOException e) {
                throw ApiError.unavailable("recording storage failed: " + e.getMessage(), 5);
            }
        }).onSuccess(stored -> {
            var response = ctx.response()
                    .putHeader("Content-Type", contentType)
                    .putHeader("Accept-Ranges", "bytes")
                    .putHeader("Cache-Control", "private, max-age=3600")
                    .putHeader("Access-Control-Allow-Origin", "*");
            if (stored.range() != null) {
                response.setStatusCode(206).putHeader("Content-Range", stored.range().contentRange(stored.size()));
            }
            response.end(stored.bytes());
        }).onFailure(ctx::fail);
    }

    private void handlePlayer(RoutingContext ctx) {
        long from = QueryParams.wholeNumber(ctx, "start", -1, 0, Long.MAX_VALUE);
        long to = QueryParams.wholeNumber(ctx, "end", -1, 0, Long.MAX_VALUE);
        if (from < 0 || to <= from) {
            throw ApiError.badRequest("query parameters 'start' and 'end' (epoch milliseconds, start before end) are required");
        }
        RtStreamSpec stream = mediaStream(ctx);
        String title = Optional.ofNullable(QueryParams.string(ctx, "title")).orElse(stream.getName());
        String description = QueryParams.string(ctx, "description");
        long expires = playlistExpiry(ctx);
        String playlist = base(ctx) + PlaybackLinks.playlistPath(stream.getId()) + "?" + links.signer().signUntil(
                PlaybackLinks.playlistPath(stream.getId()), java.util.Map.of("start", Long.toString(from), "end",
                        Long.toString(to)), expires);
        pages.sendPlayer(ctx, title, description, playlist, "hls", Instant.ofEpochMilli(from));
    }

    /**
     * The frame captured nearest {@code at} (epoch ms) with {@code boxes} drawn, rendered here on demand from
     * {@code vigil.media.frames} (see playback/DESIGN.md): no recording needed, the frames topic's retention
     * bounds it.
     */
    private void handleSnapshot(RoutingContext ctx) {
        long at = QueryParams.wholeNumber(ctx, "at", -1, 0, Long.MAX_VALUE);
        if (at < 0) {
            throw ApiError.badRequest("query parameter 'at' (epoch milliseconds of the frame) is required");
        }
        List<SnapshotRenderer.Box> boxes;
        String rawBoxes = ctx.queryParam("boxes").isEmpty() ? null : ctx.queryParam("boxes").get(0);
        if (rawBoxes != null && rawBoxes.length() > SnapshotRenderer.MAX_BOXES * 40) {
            throw ApiError.badRequest("query parameter 'boxes' is too long");
        }
        try {
            boxes = SnapshotRenderer.parse(rawBoxes);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("query parameter 'boxes': " + e.getMessage());
        }
        RtStreamSpec stream = snapshotStream(ctx);
        if (frames == null) {
            throw new ApiError(503, "unavailable", "this instance reads no frames, so it renders no snapshots");
        }
        String cacheKey = stream.getId() + "|" + at + "|" + rawBoxes;
        byte[] cached = snapshots.get(cacheKey);
        Future<byte[]> jpeg = cached != null ? Future.succeededFuture(cached) : api.blocking(() -> {
            MediaFrame frame = frames.nearest(stream.getId(), at, SNAPSHOT_WINDOW).orElseThrow(() -> new ApiError(404,
                    "no_frame", "no frame of rtstream " + stream.getId() + " within " + SNAPSHOT_WINDOW.toSeconds() + " s of "
                            + Instant.ofEpochMilli(at) + " in the frames topic (frames are kept for hours, not days)"));
            byte[] bytes = new byte[frame.getData().remaining()];
            frame.getData().duplicate().get(bytes);
            byte[] rendered = SnapshotRenderer.render(bytes, boxes);
            snapshots.put(cacheKey, rendered);
            return rendered;
        });
        jpeg.onSuccess(bytes -> ctx.response()
                .putHeader("Content-Type", "image/jpeg")
                .putHeader("Cache-Control", "private, max-age=3600")
                .putHeader("Access-Control-Allow-Origin", "*")
                .end(Buffer.buffer(bytes)))
                .onFailure(ctx::fail);
    }

    /** As {@link #mediaStream}, without needing a recording: snapshots come from the frames topic. */
    private RtStreamSpec snapshotStream(RoutingContext ctx) {
        String rid = ctx.pathParam("rid");
        RtStreamSpec stream = rid != null && STREAM_ID.matcher(rid).matches() ? api.view().stream(rid) : null;
        if (stream == null || (!MediaAccess.signed(ctx) && !Tenant.of(ctx).owns(stream.getCollectionId()))) {
            throw ApiError.notFound("rtstream", rid);
        }
        return stream;
    }

    private void handleExportPlayer(RoutingContext ctx) {
        String videoId = ctx.pathParam("vid");
        if (!Exports.isVideoId(videoId)) {
            throw ApiError.notFound("export", videoId);
        }
        RtStreamSpec stream = mediaStream(ctx);
        String title = Optional.ofNullable(QueryParams.string(ctx, "title")).orElse(stream.getName() + " - Recording");
        long expires = playlistExpiry(ctx);
        String path = PlaybackLinks.exportPath(stream.getId(), videoId);
        String mp4 = base(ctx) + path + "?" + links.signer().signUntil(path, java.util.Map.of(), expires);
        pages.sendPlayer(ctx, title, null, mp4, "mp4", null);
    }

    // ---- shared checks ----------------------------------------------------------------------------------

    /** The caller's stream {@code rid}, which must record (store=true) on an instance with storage. */
    private RtStreamSpec recordedStream(RoutingContext ctx) {
        String rid = ctx.pathParam("rid");
        RtStreamSpec stream = Ids.isRtstreamId(rid) ? api.view().stream(rid) : null;
        Tenant tenant = api.tenant(ctx);
        if (stream == null || !tenant.owns(stream.getCollectionId())) {
            throw ApiError.notFound("rtstream", rid);
        }
        return checkRecorded(stream);
    }

    /**
     * The stream of a media request: any existing stream when the URL is signed (the signature names it),
     * the caller's own with the API key.
     */
    private RtStreamSpec mediaStream(RoutingContext ctx) {
        String rid = ctx.pathParam("rid");
        RtStreamSpec stream = rid != null && STREAM_ID.matcher(rid).matches() ? api.view().stream(rid) : null;
        if (stream == null || (!MediaAccess.signed(ctx) && !Tenant.of(ctx).owns(stream.getCollectionId()))) {
            throw ApiError.notFound("rtstream", rid);
        }
        return checkRecorded(stream);
    }

    private RtStreamSpec checkRecorded(RtStreamSpec stream) {
        if (store == null || index == null) {
            throw new ApiError(503, "recording_unavailable",
                    "this instance has no recording storage configured, so it cannot play back or export recordings");
        }
        if (!stream.getStore()) {
            throw new ApiError(409, "not_recorded", "rtstream " + stream.getId() + " is not recorded: create it with "
                    + "\"store\": true to play back or export it");
        }
        return stream;
    }

    private List<ClipPart> segmentsOf(RtStreamSpec stream, long fromMs, long toMs) {
        List<ClipPart> segments = HlsPlaylist.select(index.overlapping(stream.getId(), fromMs, toMs), fromMs, toMs);
        if (segments.isEmpty()) {
            throw noRecording(stream, new long[] {fromMs, toMs});
        }
        return segments;
    }

    private ApiError noRecording(RtStreamSpec stream, long[] range) {
        List<Segment> all = index.all(stream.getId());
        String recorded = all.isEmpty() ? "nothing of it is recorded yet"
                : "its recording covers " + Instant.ofEpochMilli(all.get(0).startMs()) + " to "
                        + Instant.ofEpochMilli(all.get(all.size() - 1).endMs()) + " (Unix seconds "
                        + all.get(0).startMs() / 1000 + " to " + (all.get(all.size() - 1).endMs() + 999) / 1000 + ")";
        String asked = range == null ? "" : " between " + Instant.ofEpochMilli(range[0]) + " and " + Instant.ofEpochMilli(range[1]);
        return new ApiError(404, "no_recording", "no recording of rtstream " + stream.getId() + asked + ": " + recorded);
    }

    /** start and end (Unix seconds, integer or fraction) as epoch milliseconds, checked. */
    private long[] rangeSeconds(RoutingContext ctx) {
        double start = seconds(ctx, "start");
        double end = seconds(ctx, "end");
        if (end <= start) {
            throw ApiError.badRequest("'start' must be before 'end' (got start " + start + ", end " + end + ")");
        }
        long from = Math.round(start * 1000);
        long to = Math.round(end * 1000);
        if (to - from > config.maxRange().toMillis()) {
            throw ApiError.badRequest("the range is longer than " + config.maxRange().toSeconds()
                    + " s (VIGIL_PLAYBACK_MAX_RANGE); ask for a shorter one");
        }
        return new long[] {from, to};
    }

    private static double seconds(RoutingContext ctx, String name) {
        String raw = QueryParams.string(ctx, name);
        if (raw == null) {
            throw ApiError.badRequest("query parameters 'start' and 'end' are required: Unix timestamps in seconds");
        }
        double value;
        try {
            value = Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("query parameter '" + name + "' must be a Unix timestamp in seconds");
        }
        if (!Double.isFinite(value) || value < 0) {
            throw ApiError.badRequest("query parameter '" + name + "' must be a Unix timestamp in seconds, not negative");
        }
        if (value > MAX_SECONDS) {
            throw ApiError.badRequest("query parameter '" + name + "' looks like milliseconds: send Unix seconds, as "
                    + "VideoDB's generate_stream does");
        }
        return value;
    }

    private static String boundedText(RoutingContext ctx, String name) {
        List<String> values = ctx.queryParam(name);
        if (values.isEmpty() || values.get(0).isBlank()) {
            return null;
        }
        String value = values.get(0);
        if (value.length() > MAX_PLAYER_TEXT) {
            throw ApiError.badRequest("query parameter '" + name + "' is longer than " + MAX_PLAYER_TEXT + " characters");
        }
        return value;
    }

    /** The public base URL: configured (VIGIL_API_PUBLIC_URL), or this request's scheme and Host. */
    private String base(RoutingContext ctx) {
        return PublicUrl.base(config.publicUrl()).orElseGet(() -> {
            String host = ctx.request().authority() == null ? null : ctx.request().authority().toString();
            if (host == null || !HOST.matcher(host).matches()) {
                throw ApiError.badRequest("the Host header is missing or malformed; it names the server in the links");
            }
            // Behind a TLS-terminating proxy the request arrives as http; X-Forwarded-Proto says what the client used.
            boolean secure = ctx.request().isSSL() || "https".equalsIgnoreCase(ctx.request().getHeader("X-Forwarded-Proto"));
            return (secure ? "https://" : "http://") + host;
        });
    }
}
