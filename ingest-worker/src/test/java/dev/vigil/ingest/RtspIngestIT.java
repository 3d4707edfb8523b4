package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.testing.GstRtspServer;
import dev.vigil.ingest.testing.IngestHarness;
import dev.vigil.schemas.control.DesiredState;
import dev.vigil.schemas.control.IngestState;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live RTSP camera stand-in (GStreamer's RTSP server, H.264 + A-law over RTP/TCP): ingest, a server
 * that dies and comes back, and a server that freezes with its connections open.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class RtspIngestIT {

    @TempDir
    static Path dir;
    static IngestHarness harness;
    GstRtspServer server;

    @BeforeAll
    static void start(TestKafka kafka) throws Exception {
        GstRtspServer.assumeAvailable();
        harness = IngestHarness.create(kafka, 2, Map.of("VIGIL_INGEST_MAX_RETRIES", "0"));
        harness.startWorker("worker-rtsp");
    }

    @AfterAll
    static void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @BeforeEach
    void startServer() throws Exception {
        server = GstRtspServer.start(dir);
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    @Test
    void reconnectsWhenTheServerDiesAndComesBack() throws Exception {
        RtStreamSpec spec = harness.put(IngestHarness.spec(server.url(), 1));
        StreamStatus connected = harness.awaitState(spec.getId(), IngestState.CONNECTED);
        assertThat(connected.getReason()).contains("video h264 640x360").contains("audio pcm_alaw");
        Eventually.await().until(() -> harness.frames.values(spec.getId()).size() >= 2
                && harness.audio.values(spec.getId()).size() >= 2);
        List<AudioChunk> chunks = harness.audio.values(spec.getId());
        assertThat(chunks.get(1).getStartTs()).isEqualTo(chunks.get(0).getStartTs().plusMillis(500));

        server.kill();
        StreamStatus lost = harness.awaitState(spec.getId(), IngestState.RECONNECTING);
        assertThat(lost.getReconnects()).isGreaterThanOrEqualTo(1);
        int framesBefore = harness.frames.values(spec.getId()).size();

        server.restart();
        StreamStatus back = harness.awaitState(spec.getId(), IngestState.CONNECTED);
        assertThat(back.getReconnects()).isGreaterThanOrEqualTo(1);
        Eventually.await().until(() -> harness.frames.values(spec.getId()).size() > framesBefore);
        // The new session numbers its frames from 0 again.
        MediaFrame firstAfter = harness.frames.values(spec.getId()).get(framesBefore);
        assertThat(firstAfter.getSeq()).isZero();

        harness.put(spec, DesiredState.STOPPED);
        harness.awaitState(spec.getId(), IngestState.STOPPED);
    }

    @Test
    void frozenServerIsDetectedAndReconnected() throws Exception {
        RtStreamSpec spec = harness.put(IngestHarness.spec(server.url(), 1));
        harness.awaitState(spec.getId(), IngestState.CONNECTED);
        Eventually.await().until(() -> !harness.frames.values(spec.getId()).isEmpty());

        server.freeze();
        // Nothing arrives any more while the TCP connection stays open: the 2 s read timeout or the
        // 2 s video watchdog closes it, and reconnect attempts time out until the server wakes up.
        StreamStatus stalled = harness.awaitState(spec.getId(), IngestState.RECONNECTING, Duration.ofSeconds(20));
        assertThat(stalled.getReason()).containsAnyOf("no data for", "watchdog: no new video");
        server.thaw();

        harness.awaitState(spec.getId(), IngestState.CONNECTED, Duration.ofSeconds(30));
        int framesBefore = harness.frames.values(spec.getId()).size();
        Eventually.await().until(() -> harness.frames.values(spec.getId()).size() > framesBefore);
        harness.put(spec, DesiredState.STOPPED);
        harness.awaitState(spec.getId(), IngestState.STOPPED);
    }
}
