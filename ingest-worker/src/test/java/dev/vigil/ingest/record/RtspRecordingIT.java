package dev.vigil.ingest.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.common.storage.LocalSegmentStore;
import dev.vigil.ingest.testing.GstRtspServer;
import dev.vigil.ingest.testing.IngestHarness;
import dev.vigil.ingest.testing.TopicTail;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.IngestState;
import dev.vigil.schemas.control.RecordingState;
import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.schemas.control.StreamStatus;
import dev.vigil.schemas.media.RecordingSegment;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.Eventually;
import dev.vigil.testkit.TestKafka;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live RTSP camera (GStreamer's RTSP server: H.264 with a key frame a second, 8 kHz A-law audio):
 * the video is recorded as it arrives, the A-law audio (not storable without re-encoding) is left out
 * and the status says so, and the segments' wall-clock times are the arrival times.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class RtspRecordingIT {

    @TempDir
    Path dir;

    @Test
    void recordsALiveCameraAsItArrivesLeavingOutAudioItCannotStore(TestKafka kafka) throws Exception {
        GstRtspServer.assumeAvailable();
        try (GstRtspServer server = GstRtspServer.start(dir);
                IngestHarness harness = IngestHarness.create(kafka, 2, Map.of());
                TopicTail<RecordingSegment> index = new TopicTail<>(kafka.bootstrapServers(), harness.prefix,
                        Topics.RECORDING_SEGMENTS)) {
            Path store = dir.resolve("store");
            harness.startRecordingWorker("worker-rtsp", Map.of("VIGIL_STORAGE_DIR", store.toString(),
                    "VIGIL_RECORDING_SEGMENT", "1s"));
            long started = System.currentTimeMillis();
            RtStreamSpec spec = harness.put(RtStreamSpec.newBuilder(IngestHarness.spec(server.url(), 1)).setStore(true).build());
            harness.awaitState(spec.getId(), IngestState.CONNECTED);
            Eventually.within(Duration.ofSeconds(40)).alias("4 segments of the live stream")
                    .until(() -> segments(index, spec.getId()).size() >= 4);
            long now = System.currentTimeMillis();

            List<RecordingSegment> segments = segments(index, spec.getId());
            assertThat(segments).extracting(RecordingSegment::getVideoCodec).containsOnly("h264");
            assertThat(segments).extracting(RecordingSegment::getAudioCodec).containsOnly((String) null);
            // Live: recorded at arrival, so the times lie between the start of the test and now.
            assertThat(segments.get(0).getStart().toEpochMilli()).isBetween(started, now);
            assertThat(segments.get(segments.size() - 1).getEnd().toEpochMilli()).isLessThanOrEqualTo(now + 1000);
            for (RecordingSegment s : segments) {
                assertThat(s.getEnd().toEpochMilli() - s.getStart().toEpochMilli()).isCloseTo(1000L, within(400L));
            }
            StreamStatus status = harness.status(spec.getId());
            assertThat(status.getRecording()).isEqualTo(RecordingState.RECORDING);
            assertThat(status.getRecordingReason()).contains("h264").contains("audio pcm_alaw not recorded");

            Path all = dir.resolve("all.ts");
            LocalSegmentStore files = new LocalSegmentStore(store);
            try (OutputStream out = Files.newOutputStream(all)) {
                for (RecordingSegment s : segments) {
                    try (InputStream in = files.open(s.getKey())) {
                        in.transferTo(out);
                    }
                }
            }
            long spanMs = segments.get(segments.size() - 1).getEnd().toEpochMilli() - segments.get(0).getStart().toEpochMilli();
            String probe = run(List.of("ffprobe", "-v", "error", "-show_entries", "stream=codec_name:format=duration",
                    "-of", "default=noprint_wrappers=1", all.toString()));
            assertThat(probe).contains("codec_name=h264").doesNotContain("codec_name=pcm_alaw");
            double seconds = Double.parseDouble(probe.replaceAll("(?s).*duration=([0-9.]+).*", "$1"));
            assertThat(seconds).isCloseTo(spanMs / 1000.0, within(1.0));
        }
    }

    private static List<RecordingSegment> segments(TopicTail<RecordingSegment> index, String id) {
        return index.entries().stream().flatMap(e -> e.value().stream()).filter(s -> s.getRtstreamId().equals(id))
                .sorted(Comparator.comparing(RecordingSegment::getStart)).toList();
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
