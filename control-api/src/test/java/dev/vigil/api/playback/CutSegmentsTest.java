package dev.vigil.api.playback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.http.ApiError;
import dev.vigil.common.storage.LocalSegmentStore;
import dev.vigil.common.storage.SegmentStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cut parts kept by key and range: a real MPEG-TS segment (FFmpeg, 2 s, a key frame every 0.2 s) in a real
 * local store whose reads are counted, cut by the real {@link SegmentTrimmer} on Vert.x worker threads.
 */
class CutSegmentsTest {

    private static final String KEY = "col/rts-1/1000-s1-0.ts";
    private static final Segment SEGMENT = new Segment(KEY, "rts-1", "col", "s1", 0, 1_000, 3_000, 0, true);
    private static Vertx vertx;
    private static Path media;

    @TempDir
    Path root;

    /** A real store whose reads are counted; gate, when set, holds every read until released. */
    private static final class CountingStore implements SegmentStore {
        final LocalSegmentStore local;
        final AtomicInteger opens = new AtomicInteger();
        volatile CountDownLatch gate;

        CountingStore(Path root) throws IOException {
            local = new LocalSegmentStore(root);
        }

        @Override
        public void put(String key, Path file, String contentType) throws IOException {
            local.put(key, file, contentType);
        }

        @Override
        public InputStream open(String key) throws IOException {
            opens.incrementAndGet();
            CountDownLatch g = gate;
            if (g != null) {
                try {
                    g.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return local.open(key);
        }

        @Override
        public long size(String key) throws IOException {
            return local.size(key);
        }

        @Override
        public void delete(String key) throws IOException {
            local.delete(key);
        }

        @Override
        public Optional<URI> presignedGet(String key, Duration ttl) {
            return Optional.empty();
        }

        @Override
        public String describe() {
            return "counting " + local.describe();
        }

        @Override
        public void close() {
            local.close();
        }
    }

    @BeforeAll
    static void generate(@TempDir Path dir) throws Exception {
        vertx = Vertx.vertx();
        media = dir.resolve("segment.ts");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi",
                "-i", "testsrc2=size=160x120:rate=25", "-t", "2", "-c:v", "libx264", "-preset", "ultrafast",
                "-pix_fmt", "yuv420p", "-g", "5", "-keyint_min", "5", "-sc_threshold", "0", "-f", "mpegts", media.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ffmpeg.exitValue()).as(Files.readString(dir.resolve("ffmpeg.log"))).isZero();
    }

    @AfterAll
    static void close() {
        vertx.close().await();
    }

    private CutSegments cuts(SegmentStore store, long maxBytes) {
        return new CutSegments(store, work -> vertx.executeBlocking(work, false), maxBytes);
    }

    private static Buffer await(Future<Buffer> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void cutsEachRangeOnceAndServesItAgainFromMemory() throws Exception {
        CountingStore store = new CountingStore(root);
        store.put(KEY, media, "video/mp2t");
        CutSegments cuts = cuts(store, 8L << 20);

        Buffer first = await(cuts.get(SEGMENT, 400, 1_200));
        Buffer again = await(cuts.get(SEGMENT, 400, 1_200));

        assertThat(first.length()).isPositive().isLessThan((int) Files.size(media));
        assertThat(again.getBytes()).isEqualTo(first.getBytes());
        assertThat(store.opens).hasValue(1);
        assertThat(cuts.size()).isEqualTo(1);

        Buffer other = await(cuts.get(SEGMENT, 0, 1_200));
        assertThat(other.length()).isGreaterThan(first.length());
        assertThat(store.opens).hasValue(2);
    }

    @Test
    void concurrentRequestsForANewCutShareOne() throws Exception {
        CountingStore store = new CountingStore(root);
        store.put(KEY, media, "video/mp2t");
        store.gate = new CountDownLatch(1);
        CutSegments cuts = cuts(store, 8L << 20);

        List<Future<Buffer>> requests = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            requests.add(cuts.get(SEGMENT, 800, 2_000));
        }
        store.gate.countDown();
        byte[] bytes = await(requests.get(0)).getBytes();
        for (Future<Buffer> request : requests) {
            assertThat(await(request).getBytes()).isEqualTo(bytes);
        }
        assertThat(store.opens).hasValue(1);
    }

    @Test
    void aFailedCutIsNotKept() throws Exception {
        CountingStore store = new CountingStore(root);
        CutSegments cuts = cuts(store, 8L << 20);

        Future<Buffer> missing = cuts.get(SEGMENT, 0, 1_000);
        assertThat(missing.toCompletionStage().toCompletableFuture()).failsWithin(Duration.ofSeconds(30))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(404));

        store.put(KEY, media, "video/mp2t");
        assertThat(await(cuts.get(SEGMENT, 0, 1_000)).length()).isPositive();
        assertThat(store.opens).hasValue(2);
    }

    @Test
    void withoutMemoryEveryRequestCuts() throws Exception {
        CountingStore store = new CountingStore(root);
        store.put(KEY, media, "video/mp2t");
        CutSegments cuts = cuts(store, 0);

        Buffer first = await(cuts.get(SEGMENT, 400, 1_200));
        Buffer again = await(cuts.get(SEGMENT, 400, 1_200));

        assertThat(again.getBytes()).isEqualTo(first.getBytes());
        assertThat(store.opens).hasValue(2);
        assertThat(cuts.size()).isZero();
    }
}
