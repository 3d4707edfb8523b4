package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Local files: what comes out on the media topics, pacing, looping, and the stream's life cycle. */
@ExtendWith(EmbeddedKafkaExtension.class)
class FileIngestIT {

    @TempDir
    static Path dir;
    static Path clip;
    static Path smallClip;
    static IngestHarness harness;
    static IngestWorkerService worker;

    @BeforeAll
    static void start(TestKafka kafka) throws Exception {
        MediaFiles.assumeFfmpeg();
        clip = MediaFiles.clip(dir, "clip.mp4", 3, 640, 360);
        smallClip = MediaFiles.clip(dir, "small.mp4", 1, 320, 240);
        harness = IngestHarness.create(kafka, 3, Map.of("VIGIL_INGEST_MAX_WIDTH", "320"));
        worker = harness.startWorker("worker-files");
    }

    @AfterAll
    static void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private static List<MediaFrame> frames(String id) {
        return harness.frames.values(id);
    }

    private static List<AudioChunk> chunks(String id) {
        return harness.audio.values(id);
    }

    @Test
    void fileYieldsTheSampledFramesAndContiguousAudio() {
        RtStreamSpec spec = harness.put(IngestHarness.spec(clip.toString(), 2));

        StreamStatus ended = harness.awaitState(spec.getId(), IngestState.ENDED);
        assertThat(ended.getReason()).isEqualTo("end of file");
        assertThat(ended.getWorkerId()).isEqualTo("worker-files");
        assertThat(harness.states(spec.getId()))
                .containsExactly(IngestState.CONNECTING, IngestState.CONNECTED, IngestState.ENDED);
        Eventually.await().until(() -> frames(spec.getId()).size() >= 6);
        Eventually.await().until(() -> chunks(spec.getId()).stream().mapToInt(AudioChunk::getDurationMs).sum() >= 2_900);

        // 3 s at 2 frames per second of stream time, on the 25 fps grid: 0, 520, 1000, 1520, 2000, 2520 ms.
        List<MediaFrame> frames = frames(spec.getId());
        assertThat(frames).extracting(MediaFrame::getSeq).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(frames).extracting(MediaFrame::getPtsMs).containsExactly(0L, 520L, 1_000L, 1_520L, 2_000L, 2_520L);
        MediaFrame first = frames.get(0);
        for (MediaFrame frame : frames) {
            assertThat(frame.getWidth()).isEqualTo(320);
            assertThat(frame.getHeight()).isEqualTo(180);
            assertThat(frame.getCollectionId()).isEqualTo("default");
            ByteBuffer data = frame.getData();
            assertThat(data.remaining()).isBetween(1_000, 100_000);
            assertThat(data.get(0)).isEqualTo((byte) 0xFF);
            assertThat(data.get(1)).isEqualTo((byte) 0xD8);
            // A file's capture times follow its own clock, even when read faster than real time.
            assertThat(frame.getCaptureTs().toEpochMilli() - first.getCaptureTs().toEpochMilli())
                    .isCloseTo(frame.getPtsMs() - first.getPtsMs(), within(2L));
        }

        List<AudioChunk> chunks = chunks(spec.getId());
        assertThat(chunks).extracting(AudioChunk::getSeq)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, chunks.size()).boxed().toList());
        for (int i = 0; i < chunks.size(); i++) {
            AudioChunk chunk = chunks.get(i);
            assertThat(chunk.getSampleRate()).isEqualTo(16_000);
            assertThat(chunk.getChannels()).isEqualTo(1);
            // 32 bytes per millisecond; a last, shorter chunk states its length rounded down.
            assertThat(chunk.getData().remaining() / 32).isEqualTo(chunk.getDurationMs());
            if (i < chunks.size() - 1) {
                assertThat(chunk.getDurationMs()).isEqualTo(500);
                assertThat(chunks.get(i + 1).getStartTs()).isEqualTo(chunk.getStartTs().plusMillis(500));
            }
        }
        int total = chunks.stream().mapToInt(AudioChunk::getDurationMs).sum();
        assertThat(total).isBetween(2_950, 3_050);
        // Audio and video share the file's clock: the first chunk starts with the first frame.
        assertThat(chunks.get(0).getStartTs().toEpochMilli()).isCloseTo(first.getCaptureTs().toEpochMilli(), within(50L));
        assertThat(worker.streams()).doesNotContainKey("none");
    }

    @Test
    void sampleRateIsCappedByTheWorker() {
        RtStreamSpec spec = harness.put(IngestHarness.spec(smallClip.toString(), 1_000, MediaType.VIDEO));
        harness.awaitState(spec.getId(), IngestState.ENDED);
        // VIGIL_INGEST_MAX_SAMPLE_RATE defaults to 5: one second gives 5 frames, not 25.
        Eventually.await().until(() -> frames(spec.getId()).size() >= 5);
        assertThat(frames(spec.getId())).hasSize(5);
        assertThat(chunks(spec.getId())).isEmpty();
        // 320x240 fits the 320 px limit: not scaled.
        assertThat(frames(spec.getId()).get(0).getWidth()).isEqualTo(320);
        assertThat(frames(spec.getId()).get(0).getHeight()).isEqualTo(240);
    }

    @Test
    void audioOnlyStreamsWriteNoFrames() {
        RtStreamSpec spec = harness.put(IngestHarness.spec(smallClip.toString(), 1, MediaType.AUDIO));
        harness.awaitState(spec.getId(), IngestState.ENDED);
        Eventually.await().until(() -> chunks(spec.getId()).size() >= 2);
        assertThat(frames(spec.getId())).isEmpty();
    }

    @Test
    void loopingFileGoesOnWithOneTimeline() {
        RtStreamSpec spec = harness.put(IngestHarness.spec(smallClip.toUri() + "?loop=true", 2));
        harness.awaitState(spec.getId(), IngestState.CONNECTED);
        Eventually.await().until(() -> frames(spec.getId()).size() >= 8);

        List<MediaFrame> frames = frames(spec.getId()).subList(0, 8);
        assertThat(frames).extracting(MediaFrame::getSeq).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        // Each pass continues where the last one ended (the 1 s clip's AAC track runs ~20 ms longer
        // than its video), so the times keep growing by about 500 ms per frame.
        for (int i = 0; i < frames.size(); i++) {
            assertThat(frames.get(i).getPtsMs()).isCloseTo(500L * i, within(100L));
        }
        List<AudioChunk> chunks = chunks(spec.getId());
        for (int i = 0; i + 1 < chunks.size(); i++) {
            assertThat(chunks.get(i + 1).getStartTs()).isEqualTo(chunks.get(i).getStartTs().plusMillis(500));
        }

        harness.put(spec, DesiredState.STOPPED);
        StreamStatus stopped = harness.awaitState(spec.getId(), IngestState.STOPPED);
        assertThat(stopped.getReason()).isEqualTo("stopped by request");
        Eventually.await().until(() -> !worker.streams().containsKey(spec.getId()) && !threadAlive(spec.getId()));
    }

    @Test
    void pacedFilePlaysAtRealTime() throws Exception {
        try (IngestHarness paced = IngestHarness.create(harness.kafka, 1, Map.of("VIGIL_INGEST_PACING", "files"))) {
            paced.startWorker("worker-paced");
            long begin = System.nanoTime();
            RtStreamSpec spec = paced.put(IngestHarness.spec(clip.toString(), 1));
            paced.awaitState(spec.getId(), IngestState.ENDED);
            // Never faster than the clip's 3 s (read as fast as possible it takes well under 1 s).
            assertThat(Duration.ofNanos(System.nanoTime() - begin)).isGreaterThanOrEqualTo(Duration.ofMillis(2_900));
            Eventually.await().until(() -> paced.frames.values(spec.getId()).size() == 3);
        }
    }

    @Test
    void stopStartAndDeleteFollowTheSpec() {
        RtStreamSpec spec = harness.put(IngestHarness.spec(smallClip.toUri() + "?loop=true", 1));
        harness.awaitState(spec.getId(), IngestState.CONNECTED);

        RtStreamSpec stopped = harness.put(spec, DesiredState.STOPPED);
        harness.awaitState(spec.getId(), IngestState.STOPPED);
        long framesWhenStopped = frames(spec.getId()).size();

        harness.put(stopped, DesiredState.STARTED);
        harness.awaitState(spec.getId(), IngestState.CONNECTED);
        Eventually.await().until(() -> frames(spec.getId()).size() > framesWhenStopped);

        harness.delete(spec.getId());
        // Deleted: the status is removed (tombstone) and the worker lets go of the stream.
        Eventually.await().until(() -> harness.statuses.latest(spec.getId()).isEmpty());
        Eventually.await().until(() -> !worker.streams().containsKey(spec.getId()) && !threadAlive(spec.getId()));
    }

    @Test
    void changingTheUrlRestartsTheStream() {
        RtStreamSpec spec = harness.put(IngestHarness.spec(smallClip.toUri() + "?loop=true", 1, MediaType.VIDEO));
        Eventually.await().until(() -> !frames(spec.getId()).isEmpty());
        assertThat(frames(spec.getId()).get(0).getHeight()).isEqualTo(240);

        harness.put(RtStreamSpec.newBuilder(spec).setUrl(clip.toUri() + "?loop=true")
                .setUpdatedAt(java.time.Instant.now()).build());
        Eventually.await().until(() -> frames(spec.getId()).stream().anyMatch(f -> f.getHeight() == 180));
        // A new session: its frames count from 0 again.
        assertThat(frames(spec.getId()).stream().filter(f -> f.getHeight() == 180).findFirst().orElseThrow().getSeq()).isZero();
        harness.put(spec, DesiredState.STOPPED);
        harness.awaitState(spec.getId(), IngestState.STOPPED);
    }

    @Test
    void endedStreamRestartsOnANewStartRequest() {
        RtStreamSpec spec = harness.put(IngestHarness.spec(smallClip.toString(), 1, MediaType.VIDEO));
        harness.awaitState(spec.getId(), IngestState.ENDED);
        Eventually.await().until(() -> frames(spec.getId()).size() == 1);

        // control-api answers PATCH {"action":"start"} by rewriting the spec with a new update time.
        harness.put(spec, DesiredState.STARTED);
        Eventually.await().until(() -> harness.states(spec.getId()).stream().filter(s -> s == IngestState.ENDED).count() == 2);
        Eventually.await().until(() -> frames(spec.getId()).size() == 2);
    }

    static boolean threadAlive(String rtstreamId) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("vigil-ingest-" + rtstreamId) && t.isAlive());
    }
}
