package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.testing.HttpMediaServer;
import dev.vigil.ingest.testing.IngestHarness;
import dev.vigil.ingest.testing.MediaFiles;
import dev.vigil.schemas.control.IngestState;
import dev.vigil.schemas.control.MediaType;
import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.schemas.control.StreamStatus;
import dev.vigil.schemas.media.MediaFrame;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.Eventually;
import dev.vigil.testkit.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recordings served over the network play at real time under the default pacing (VIGIL_INGEST_PACING
 * = recorded), as files do: a progressive .mp4 over HTTP and a VOD HLS playlist spread their frames
 * over their duration (so 2 s scene windows each get theirs), while a live playlist is not held back
 * and a stream can opt out.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class RecordingPacingIT {

    private static final int CLIP_SECONDS = 6;
    private static final String REAL_TIME = "a recording, played at real time";

    @TempDir
    static Path dir;
    static HttpMediaServer server;
    static IngestHarness harness;

    @BeforeAll
    static void start(TestKafka kafka) throws Exception {
        MediaFiles.assumeFfmpeg();
        MediaFiles.clip(dir, "clip.mp4", CLIP_SECONDS, 640, 360);
        Path hls = Files.createDirectories(dir.resolve("hls"));
        MediaFiles.hlsSegments(hls, 4);
        server = new HttpMediaServer(hls.getParent());
        harness = IngestHarness.create(kafka, 1, Map.of("VIGIL_INGEST_PACING", "recorded", "VIGIL_INGEST_MAX_RETRIES", "1"));
        harness.startWorker("worker-pacing");
    }

    @AfterAll
    static void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void progressiveMp4OverHttpPlaysAtRealTime() {
        RtStreamSpec spec = harness.put(IngestHarness.spec(server.url("/media/clip.mp4"), 1, MediaType.VIDEO));

        StreamStatus connected = harness.awaitState(spec.getId(), IngestState.CONNECTED);
        assertThat(connected.getReason()).endsWith(REAL_TIME);
        StreamStatus ended = harness.awaitState(spec.getId(), IngestState.ENDED, Duration.ofSeconds(60));
        assertThat(ended.getReason()).startsWith("end of the recording");
        // Read at real time: the worker took at least the clip's length (less the first frame's second).
        assertThat(Duration.between(connected.getUpdatedAt(), ended.getUpdatedAt()))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(CLIP_SECONDS - 1));
        Eventually.await().until(() -> harness.frames.values(spec.getId()).size() >= CLIP_SECONDS);
        List<MediaFrame> frames = harness.frames.values(spec.getId());
        // One frame a second, stamped over the clip's duration: a 6 s clip fills three 2 s scene windows.
        assertThat(frames).hasSize(CLIP_SECONDS);
        assertThat(sceneWindows(frames)).isGreaterThanOrEqualTo(CLIP_SECONDS / 2);
        assertThat(frames.get(CLIP_SECONDS - 1).getCaptureTs().toEpochMilli() - frames.get(0).getCaptureTs().toEpochMilli())
                .isBetween(4_900L, 5_100L);
    }

    @Test
    void vodHlsPlaylistPlaysAtRealTime() {
        RtStreamSpec spec = harness.put(IngestHarness.spec(server.url("/media/hls/index.m3u8"), 1, MediaType.VIDEO));

        StreamStatus connected = harness.awaitState(spec.getId(), IngestState.CONNECTED);
        assertThat(connected.getReason()).endsWith(REAL_TIME);
        StreamStatus ended = harness.awaitState(spec.getId(), IngestState.ENDED, Duration.ofSeconds(60));
        assertThat(Duration.between(connected.getUpdatedAt(), ended.getUpdatedAt())).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        Eventually.await().until(() -> harness.frames.values(spec.getId()).size() >= 4);
        assertThat(sceneWindows(harness.frames.values(spec.getId()))).isGreaterThanOrEqualTo(2);
    }

    @Test
    void liveHlsPlaylistIsNotHeldBack() {
        server.appendLiveSegment("live", "hls/seg0.ts");
        server.appendLiveSegment("live", "hls/seg1.ts");
        RtStreamSpec spec = harness.put(IngestHarness.spec(server.url("/live/live.m3u8"), 1, MediaType.VIDEO));

        StreamStatus connected = harness.awaitState(spec.getId(), IngestState.CONNECTED);

        assertThat(connected.getReason()).doesNotContain("real time");
        Eventually.await().until(() -> harness.frames.values(spec.getId()).size() >= 2);
        harness.delete(spec.getId());
    }

    @Test
    void aStreamCanOptOutOfPacing() {
        RtStreamSpec spec = harness.put(RtStreamSpec.newBuilder(IngestHarness.spec(server.url("/media/clip.mp4"), 1,
                MediaType.VIDEO)).setRealtime(false).build());

        StreamStatus connected = harness.awaitState(spec.getId(), IngestState.CONNECTED);

        assertThat(connected.getReason()).doesNotContain("real time");
        harness.awaitState(spec.getId(), IngestState.ENDED, Duration.ofSeconds(60));
        Eventually.await().until(() -> harness.frames.values(spec.getId()).size() >= CLIP_SECONDS);
    }

    /** Distinct epoch-aligned 2 s windows the frames' capture times fall in, as the scene indexer cuts them. */
    private static long sceneWindows(List<MediaFrame> frames) {
        return frames.stream().mapToLong(f -> f.getCaptureTs().toEpochMilli() / 2_000).distinct().count();
    }
}
