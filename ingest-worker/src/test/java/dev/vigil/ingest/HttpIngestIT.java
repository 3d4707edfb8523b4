package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.testing.HttpMediaServer;
import dev.vigil.ingest.testing.IngestHarness;
import dev.vigil.ingest.testing.MediaFiles;
import dev.vigil.schemas.control.DesiredState;
import dev.vigil.schemas.control.IngestState;
import dev.vigil.schemas.control.MediaType;
import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.schemas.control.StreamStatus;
import dev.vigil.schemas.media.AudioChunk;
import dev.vigil.schemas.media.MediaFrame;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.Eventually;
import dev.vigil.testkit.TestKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Sources served over HTTP by a real (Vert.x) server: a progressive MPEG-TS file and a live HLS playlist. */
@ExtendWith(EmbeddedKafkaExtension.class)
class HttpIngestIT {

    @TempDir
    static Path dir;
    static HttpMediaServer server;
    static IngestHarness harness;

    @BeforeAll
    static void start(TestKafka kafka) throws Exception {
        MediaFiles.assumeFfmpeg();
        MediaFiles.clip(dir, "clip.ts", 3, 640, 360);
        MediaFiles.hlsSegments(dir, 5);
        server = new HttpMediaServer(dir);
        harness = IngestHarness.create(kafka, 2, Map.of("VIGIL_INGEST_MAX_RETRIES", "1"));
        harness.startWorker("worker-http");
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
    void progressiveHttpStreamIsIngestedToItsEnd() {
        RtStreamSpec spec = harness.put(IngestHarness.spec(server.url("/media/clip.ts"), 1));

        harness.awaitState(spec.getId(), IngestState.CONNECTED);
        // A recording over HTTP (it has a duration) read to its end is over, not a lost connection.
        assertThat(harness.awaitState(spec.getId(), IngestState.ENDED).getReason()).startsWith("end of the recording");
        Eventually.await().until(() -> harness.frames.values(spec.getId()).size() >= 3);
        List<MediaFrame> frames = harness.frames.values(spec.getId());
        assertThat(frames).extracting(MediaFrame::getSeq).containsExactly(0L, 1L, 2L);
        // MPEG-TS starts its clock at 1.4 s; pts_ms counts from the start of the stream.
        assertThat(frames.get(0).getPtsMs()).isBetween(0L, 100L);
        assertThat(frames.get(2).getPtsMs() - frames.get(0).getPtsMs()).isBetween(1_960L, 2_040L);
        Eventually.await().until(() -> harness.audio.values(spec.getId()).stream()
                .mapToInt(AudioChunk::getDurationMs).sum() >= 2_900);
    }

    @Test
    void liveHlsFollowsSegmentsAppendedWhileIngesting() throws Exception {
        server.appendLiveSegment("growing", "seg0.ts");
        server.appendLiveSegment("growing", "seg1.ts");
        RtStreamSpec spec = harness.put(IngestHarness.spec(server.url("/live/growing.m3u8"), 1, MediaType.VIDEO));
        harness.awaitState(spec.getId(), IngestState.CONNECTED);
        Eventually.await().until(() -> harness.frames.values(spec.getId()).size() >= 2);

        for (int i = 2; i < 5; i++) {
            server.appendLiveSegment("growing", "seg" + i + ".ts");
            int expected = i + 1;
            Eventually.await().alias("frames of segment " + i)
                    .until(() -> harness.frames.values(spec.getId()).size() >= expected);
        }
        List<MediaFrame> frames = harness.frames.values(spec.getId());
        // One frame per second of stream time across the five segments, in one session: no reconnect.
        assertThat(frames).extracting(MediaFrame::getSeq).startsWith(0L, 1L, 2L, 3L, 4L);
        assertThat(frames.get(4).getPtsMs() - frames.get(0).getPtsMs()).isBetween(3_900L, 4_100L);
        assertThat(harness.states(spec.getId())).doesNotContain(IngestState.RECONNECTING);

        harness.put(spec, DesiredState.STOPPED);
        harness.awaitState(spec.getId(), IngestState.STOPPED, Duration.ofSeconds(10));
        // FFmpeg was waiting for the next segment when the stop came: the thread still ends at once.
        Eventually.within(Duration.ofSeconds(5)).until(() -> !FileIngestIT.threadAlive(spec.getId()));
    }

    @Test
    void livePlaylistThatStopsGrowingTripsTheWatchdog() {
        server.appendLiveSegment("stuck", "seg0.ts");
        server.appendLiveSegment("stuck", "seg1.ts");
        RtStreamSpec spec = harness.put(IngestHarness.spec(server.url("/live/stuck.m3u8"), 1, MediaType.VIDEO));
        harness.awaitState(spec.getId(), IngestState.CONNECTED);

        // FFmpeg's HLS demuxer would wait for a third segment forever; the 2 s watchdog ends the wait.
        StreamStatus stalled = harness.awaitState(spec.getId(), IngestState.RECONNECTING, Duration.ofSeconds(20));
        assertThat(stalled.getReason()).startsWith("watchdog: no new video for");
        // The reconnect finds the same stuck playlist: after the one retry allowed here it gives up.
        StreamStatus failed = harness.awaitState(spec.getId(), IngestState.ERROR, Duration.ofSeconds(30));
        assertThat(failed.getReason()).startsWith("gave up after 1 retry: watchdog: no new video");
        Eventually.await().until(() -> !FileIngestIT.threadAlive(spec.getId()));
    }
}
