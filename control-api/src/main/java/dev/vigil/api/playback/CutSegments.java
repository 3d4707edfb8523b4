package dev.vigil.api.playback;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.vigil.api.http.ApiError;
import dev.vigil.common.storage.SegmentStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A clip's first and last segments cut to its range ({@link SegmentTrimmer}), kept in memory by key and range.
 * Cutting means fetching the whole segment from the store (an S3 round trip) and remuxing it; a player asks
 * for the same two cut parts whenever a clip is opened again or by another viewer of the same alert, and HLS
 * players retry, so each distinct cut is made once while it stays in use: the cache is bounded by bytes
 * ({@code VIGIL_PLAYBACK_CUT_CACHE_MB}; a cut part is tens to hundreds of KB) and forgets parts unused for
 * {@link #IDLE}. Concurrent requests for a part not yet cut share one cut. A failed cut is not kept: the
 * next request tries again. With a bound of 0 every request cuts.
 */
final class CutSegments {

    /** How long a cut part stays after its last request. */
    static final Duration IDLE = Duration.ofMinutes(10);

    /** One cut: the segment's storage key and the range, milliseconds into the segment. */
    record Cut(String key, long fromMs, long toMs) {
    }

    private final SegmentStore store;
    private final Function<Callable<Buffer>, Future<Buffer>> blocking;
    private final AsyncCache<Cut, Buffer> cache;

    /**
     * @param blocking runs a cut off the event loop ({@code ApiContext::blocking})
     * @param maxBytes bound of the parts kept; 0 keeps none
     */
    CutSegments(SegmentStore store, Function<Callable<Buffer>, Future<Buffer>> blocking, long maxBytes) {
        this.store = store;
        this.blocking = blocking;
        this.cache = maxBytes <= 0 ? null : Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Cut cut, Buffer bytes) -> bytes.length())
                .expireAfterAccess(IDLE)
                .buildAsync();
    }

    /** The part of {@code segment} between {@code fromMs} and {@code toMs} (milliseconds into it), as MPEG-TS. */
    Future<Buffer> get(Segment segment, long fromMs, long toMs) {
        Cut cut = new Cut(segment.key(), fromMs, toMs);
        if (cache == null) {
            return blocking.apply(() -> cut(cut));
        }
        BiFunction<Cut, Executor, CompletableFuture<Buffer>> load = (c, executor) ->
                blocking.apply(() -> cut(c)).toCompletionStage().toCompletableFuture();
        CompletableFuture<Buffer> part = cache.get(cut, load);
        if (part.isCompletedExceptionally()) {
            // Caffeine drops a failed cut when it fails, in a callback that may not have run yet: try again now.
            cache.asMap().remove(cut, part);
            part = cache.get(cut, load);
        }
        // Callbacks on the asking request's event loop, whichever request started the cut.
        Context context = Vertx.currentContext();
        return context == null ? Future.fromCompletionStage(part) : Future.fromCompletionStage(part, context);
    }

    /** Parts held now (cut or being cut). */
    long size() {
        return cache == null ? 0 : cache.synchronous().estimatedSize();
    }

    /** Blocking: fetches the whole segment and cuts it. */
    private Buffer cut(Cut cut) throws IOException {
        Path dir = Files.createTempDirectory("vigil-cut-");
        try {
            Path whole = dir.resolve("whole.ts");
            try (InputStream in = store.open(cut.key())) {
                Files.copy(in, whole);
            } catch (NoSuchFileException e) {
                throw ApiError.notFound("recorded media", cut.key());
            } catch (IOException e) {
                throw ApiError.unavailable("recording storage failed: " + e.getMessage(), 5);
            }
            Path out = dir.resolve("cut.ts");
            SegmentTrimmer.trim(whole, out, cut.fromMs(), cut.toMs());
            return Buffer.buffer(Files.readAllBytes(out));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
