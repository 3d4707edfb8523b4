package dev.vigil.ingest.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.common.storage.SegmentStore;
import dev.vigil.ingest.IngestWorkerService;
import dev.vigil.ingest.testing.IngestHarness;
import dev.vigil.ingest.testing.MediaFiles;
import dev.vigil.ingest.testing.TopicTail;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.IngestState;
import dev.vigil.schemas.control.RecordingState;
import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.schemas.control.StreamStatus;
import dev.vigil.schemas.media.RecordingSegment;
import dev.vigil.storage.SegmentStores;
import dev.vigil.storage.StorageConfig;
import dev.vigil.storage.testing.S3TestServer;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.Eventually;
import dev.vigil.testkit.TestKafka;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recording on the real broker, with real FFmpeg on a generated H.264 + AAC clip, into the local
 * directory and into a real S3-compatible server (S3Proxy): segments in the store and on the index topic,
 * playable by ffprobe and spanning the recorded time; a restart starts a new session without overlap;
 * retention deletes object and index entry; an unsupported codec is reported; an unreachable store
 * degrades the recording while frames and audio keep flowing.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class RecordingIT {

    @TempDir
    static Path dir;
    static Path clip;
    static S3TestServer s3;

    @BeforeAll
    static void media() throws Exception {
        MediaFiles.assumeFfmpeg();
        clip = MediaFiles.clip(dir, "clip.mp4", 12, 640, 360);
        s3 = S3TestServer.start();
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (s3 != null) {
            s3.close();
        }
    }

    private static RtStreamSpec recorded(String url) {
        RtStreamSpec spec = IngestHarness.spec(url, 1);
        return RtStreamSpec.newBuilder(spec).setStore(true).build();
    }

    private static Map<String, String> localStore(String name) {
        return Map.of("VIGIL_STORAGE_DIR", dir.resolve(name).toString(), "VIGIL_RECORDING_SEGMENT", "2s");
    }

    @Test
    void recordsAFileIntoPlayableSegmentsInTheLocalStore(TestKafka kafka) throws Exception {
        // The default segment length (4 s).
        recordsAFileIntoPlayableSegments(kafka, Map.of("VIGIL_STORAGE_DIR", dir.resolve("local").toString()), 4);
    }

    @Test
    void recordsAFileIntoPlayableSegmentsInAnS3Bucket(TestKafka kafka) throws Exception {
        Map<String, String> env = new HashMap<>(s3.env(s3.createBucket("vigil-recording-it")));
        env.put("VIGIL_RECORDING_SEGMENT", "2s");
        recordsAFileIntoPlayableSegments(kafka, env, 2);
    }

    private void recordsAFileIntoPlayableSegments(TestKafka kafka, Map<String, String> env, int segmentSeconds)
            throws Exception {
        try (IngestHarness harness = IngestHarness.create(kafka, 2, Map.of());
                TopicTail<RecordingSegment> index = segments(kafka, harness);
                SegmentStore store = SegmentStores.open(storage(env))) {
            harness.startRecordingWorker("worker-rec", env);
            RtStreamSpec spec = harness.put(recorded("file://" + clip + "?loop=false"));

            harness.awaitState(spec.getId(), IngestState.ENDED);
            Eventually.within(Duration.ofSeconds(30)).alias("segments spanning the 12 s clip")
                    .until(() -> span(index, spec.getId()) >= 11_000);
            List<RecordingSegment> segments = values(index, spec.getId());
            assertThat(segments).hasSizeBetween(12 / segmentSeconds - 1, 12 / segmentSeconds + 1);
            assertThat(segments).extracting(RecordingSegment::getSessionId).containsOnly(segments.get(0).getSessionId());
            assertThat(segments).extracting(RecordingSegment::getDiscontinuity).containsExactlyElementsOf(
                    segments.stream().map(s -> s.getSeq() == 0).toList());
            assertThat(segments.get(0).getVideoCodec()).isEqualTo("h264");
            assertThat(segments.get(0).getAudioCodec()).isEqualTo("aac");
            assertThat(segments.get(0).getWidth()).isEqualTo(640);
            assertThat(segments.get(0).getKey()).matches("default/" + spec.getId() + "/\\d{13}-[0-9a-f]{12}-0\\.ts");
            for (int i = 1; i < segments.size(); i++) {
                assertThat(segments.get(i).getStart().toEpochMilli())
                        .isCloseTo(segments.get(i - 1).getEnd().toEpochMilli(), within(100L));
            }
            // Every indexed segment is in the store, with the indexed size; ffprobe reads it.
            Path all = dir.resolve(spec.getId() + "-all.ts");
            try (OutputStream out = Files.newOutputStream(all)) {
                for (RecordingSegment s : segments) {
                    assertThat(store.size(s.getKey())).isEqualTo(s.getBytes());
                    try (InputStream in = store.open(s.getKey())) {
                        in.transferTo(out);
                    }
                }
            }
            Path first = dir.resolve(spec.getId() + "-0.ts");
            try (InputStream in = store.open(segments.get(0).getKey())) {
                Files.copy(in, first);
            }
            Probe probe = probe(first);
            assertThat(probe.codecs).containsExactly("h264", "aac");
            assertThat(probe.duration).isCloseTo(segmentSeconds, within(0.6));
            // Concatenated, the segments play as one clip as long as the source.
            assertThat(probe(all).duration).isCloseTo(12.0, within(1.0));
            assertThat(segments.get(segments.size() - 1).getEnd().toEpochMilli() - segments.get(0).getStart().toEpochMilli())
                    .isCloseTo(12_000L, within(1_000L));
            StreamStatus status = harness.status(spec.getId());
            assertThat(status.getRecording()).isEqualTo(RecordingState.RECORDING);
            assertThat(status.getRecordingReason()).contains("h264").contains("aac");
        }
    }

    @Test
    void aLoopingFileIsRecordedAtRealTimeUnderTheDefaultPacing(TestKafka kafka) throws Exception {
        Map<String, String> env = new HashMap<>(localStore("default-pacing"));
        env.put("VIGIL_INGEST_PACING", "recorded");
        env.put("VIGIL_RECORDING_SEGMENT", "1s");
        try (IngestHarness harness = IngestHarness.create(kafka, 2, env);
                TopicTail<RecordingSegment> index = segments(kafka, harness)) {
            harness.startRecordingWorker("worker-pacing", Map.of());
            RtStreamSpec spec = harness.put(recorded("file://" + clip + "?loop=true"));
            Eventually.within(Duration.ofSeconds(30)).until(() -> values(index, spec.getId()).size() >= 3);
            long seenAt = System.currentTimeMillis();

            // Read at real time, no segment can end after the moment it was seen in the index (audio read
            // ahead of the video it is interleaved with: up to about a second); read unpaced, the 12 s clip
            // loops in a moment and the media clock puts segment ends minutes ahead.
            assertThat(values(index, spec.getId())).allSatisfy(segment ->
                    assertThat(segment.getEnd().toEpochMilli()).isLessThanOrEqualTo(seenAt + 2_000));
        }
    }

    @Test
    void aRestartedWorkerStartsANewSessionAfterTheLastSegment(TestKafka kafka) throws Exception {
        Map<String, String> env = new HashMap<>(localStore("restart"));
        env.put("VIGIL_INGEST_PACING", "files");
        env.put("VIGIL_RECORDING_SEGMENT", "1s");
        try (IngestHarness harness = IngestHarness.create(kafka, 2, env);
                TopicTail<RecordingSegment> index = segments(kafka, harness)) {
            IngestWorkerService first = harness.startRecordingWorker("worker-a", Map.of());
            RtStreamSpec spec = harness.put(recorded("file://" + clip + "?loop=true"));
            Eventually.within(Duration.ofSeconds(30)).until(() -> values(index, spec.getId()).size() >= 3);
            first.close();
            List<RecordingSegment> before = values(index, spec.getId());
            String firstSession = before.get(0).getSessionId();
            assertThat(before).extracting(RecordingSegment::getSessionId).containsOnly(firstSession);

            harness.startRecordingWorker("worker-b", Map.of());
            Eventually.within(Duration.ofSeconds(30)).alias("segments of a second session")
                    .until(() -> values(index, spec.getId()).stream().filter(s -> !s.getSessionId().equals(firstSession)).count() >= 2);
            List<RecordingSegment> after = values(index, spec.getId()).stream()
                    .filter(s -> !s.getSessionId().equals(firstSession)).toList();
            long previousEnd = before.stream().mapToLong(s -> s.getEnd().toEpochMilli()).max().orElseThrow();
            assertThat(after.get(0).getSeq()).isZero();
            assertThat(after.get(0).getDiscontinuity()).isTrue();
            assertThat(after.get(0).getWorkerId()).isEqualTo("worker-b");
            assertThat(after.get(0).getStart().toEpochMilli()).isGreaterThanOrEqualTo(previousEnd);
        }
    }

    @Test
    void retentionDeletesTheOldestSegmentsBeyondTheSizeLimitObjectFirst(TestKafka kafka) throws Exception {
        retentionBySize(kafka, new HashMap<>(localStore("retention")));
    }

    @Test
    void retentionDeletesTheOldestSegmentsBeyondTheSizeLimitInAnS3Bucket(TestKafka kafka) throws Exception {
        retentionBySize(kafka, new HashMap<>(s3.env(s3.createBucket("vigil-retention-it"))));
    }

    private void retentionBySize(TestKafka kafka, Map<String, String> env) throws Exception {
        env.put("VIGIL_RECORDING_SEGMENT", "1s");
        env.put("VIGIL_RECORDING_MAX_BYTES_PER_STREAM", "300KB");
        try (IngestHarness harness = IngestHarness.create(kafka, 2, Map.of());
                TopicTail<RecordingSegment> index = segments(kafka, harness);
                SegmentStore store = SegmentStores.open(storage(env))) {
            harness.startRecordingWorker("worker-retention", env);
            RtStreamSpec spec = harness.put(recorded("file://" + clip + "?loop=false"));
            harness.awaitState(spec.getId(), IngestState.ENDED);
            Eventually.within(Duration.ofSeconds(30)).alias("tombstones of the oldest segments")
                    .until(() -> !tombstoned(index, spec.getId()).isEmpty()
                            && live(index, spec.getId()).stream().mapToLong(RecordingSegment::getBytes).sum() <= 300 * 1024);
            List<String> deleted = tombstoned(index, spec.getId());
            List<RecordingSegment> kept = live(index, spec.getId());
            assertThat(kept).isNotEmpty();
            for (String key : deleted) {
                assertThatThrownBy(() -> store.size(key)).as(key).isInstanceOf(NoSuchFileException.class);
            }
            for (RecordingSegment s : kept) {
                assertThat(store.size(s.getKey())).isEqualTo(s.getBytes());
            }
            // The oldest went: every deleted segment starts before every kept one.
            long oldestKept = kept.stream().mapToLong(s -> s.getStart().toEpochMilli()).min().orElseThrow();
            assertThat(values(index, spec.getId()).stream().filter(s -> deleted.contains(s.getKey())))
                    .allSatisfy(s -> assertThat(s.getStart().toEpochMilli()).isLessThan(oldestKept));

            // Deleting the stream deletes its recording.
            harness.delete(spec.getId());
            Eventually.within(Duration.ofSeconds(30)).alias("every segment tombstoned")
                    .until(() -> live(index, spec.getId()).isEmpty());
            for (RecordingSegment s : kept) {
                assertThatThrownBy(() -> store.size(s.getKey())).isInstanceOf(NoSuchFileException.class);
            }
        }
    }

    @Test
    void retentionDeletesSegmentsPastTheirAge(TestKafka kafka) throws Exception {
        Path shortClip = MediaFiles.clip(dir, "short.mp4", 3, 320, 240);
        Map<String, String> env = new HashMap<>(localStore("age"));
        env.put("VIGIL_RECORDING_SEGMENT", "1s");
        env.put("VIGIL_RECORDING_RETENTION", "2s");
        try (IngestHarness harness = IngestHarness.create(kafka, 2, Map.of());
                TopicTail<RecordingSegment> index = segments(kafka, harness)) {
            harness.startRecordingWorker("worker-age", env);
            RtStreamSpec spec = harness.put(recorded("file://" + shortClip + "?loop=false"));
            Eventually.within(Duration.ofSeconds(30)).until(() -> values(index, spec.getId()).size() >= 2);
            Eventually.within(Duration.ofSeconds(30)).alias("all segments aged out")
                    .until(() -> live(index, spec.getId()).isEmpty());
            assertThat(tombstoned(index, spec.getId())).hasSameSizeAs(values(index, spec.getId()));
        }
    }

    @Test
    void aCodecThatCannotBeRemuxedMakesTheRecordingUnsupportedWhileIndexingGoesOn(TestKafka kafka) throws Exception {
        Path mjpeg = dir.resolve("camera.avi");
        run(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=10",
                "-t", "3", "-c:v", "mjpeg", mjpeg.toString()));
        try (IngestHarness harness = IngestHarness.create(kafka, 2, Map.of())) {
            harness.startRecordingWorker("worker-mjpeg", localStore("mjpeg"));
            RtStreamSpec spec = harness.put(recorded("file://" + mjpeg + "?loop=false"));
            Eventually.within(Duration.ofSeconds(30)).alias("recording UNSUPPORTED").until(() -> {
                StreamStatus s = harness.status(spec.getId());
                return s != null && s.getRecording() == RecordingState.UNSUPPORTED;
            });
            assertThat(harness.status(spec.getId()).getRecordingReason()).contains("mjpeg").contains("re-encoding");
            Eventually.within(Duration.ofSeconds(30)).until(() -> !harness.frames.values(spec.getId()).isEmpty());
        }
    }

    @Test
    void anUnreachableStoreDegradesTheRecordingWhileFramesAndAudioKeepFlowing(TestKafka kafka) throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Map<String, String> env = new HashMap<>(s3.env("vigil-unreachable"));
        env.put("VIGIL_STORAGE_S3_ENDPOINT", "http://127.0.0.1:" + closedPort);
        env.put("VIGIL_RECORDING_SEGMENT", "1s");
        env.put("VIGIL_INGEST_PACING", "files");
        try (IngestHarness harness = IngestHarness.create(kafka, 2, env);
                TopicTail<RecordingSegment> index = segments(kafka, harness)) {
            harness.startRecordingWorker("worker-degraded", Map.of());
            RtStreamSpec spec = harness.put(recorded("file://" + clip + "?loop=true"));
            Eventually.within(Duration.ofSeconds(30)).alias("recording DEGRADED").until(() -> {
                StreamStatus s = harness.status(spec.getId());
                return s != null && s.getRecording() == RecordingState.DEGRADED;
            });
            StreamStatus degraded = harness.status(spec.getId());
            assertThat(degraded.getState()).isEqualTo(IngestState.CONNECTED);
            assertThat(degraded.getRecordingReason()).contains("segment store unavailable");
            int frames = harness.frames.values(spec.getId()).size();
            int chunks = harness.audio.values(spec.getId()).size();
            // Real-time pacing: 3 more seconds of media arrive while the store keeps failing.
            Eventually.within(Duration.ofSeconds(30)).alias("frames and audio still flowing")
                    .until(() -> harness.frames.values(spec.getId()).size() >= frames + 3
                            && harness.audio.values(spec.getId()).size() >= chunks + 6);
            assertThat(harness.registry("worker-degraded").get("vigil.recording.store.failures").counter().count())
                    .isGreaterThanOrEqualTo(1);
            assertThat(values(index, spec.getId())).as("nothing indexed that is not stored").isEmpty();
        }
    }

    @Test
    void aStoreThatComesBackGetsTheWaitingSegmentsAndTheRecordingRecovers(TestKafka kafka) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> env = new HashMap<>(s3.env("vigil-comes-back"));
        env.put("VIGIL_STORAGE_S3_ENDPOINT", "http://127.0.0.1:" + port);
        env.put("VIGIL_RECORDING_SEGMENT", "1s");
        env.put("VIGIL_INGEST_PACING", "files");
        try (IngestHarness harness = IngestHarness.create(kafka, 2, env);
                TopicTail<RecordingSegment> index = segments(kafka, harness)) {
            harness.startRecordingWorker("worker-recovers", Map.of());
            RtStreamSpec spec = harness.put(recorded("file://" + clip + "?loop=true"));
            Eventually.within(Duration.ofSeconds(30)).alias("recording DEGRADED").until(() -> {
                StreamStatus s = harness.status(spec.getId());
                return s != null && s.getRecording() == RecordingState.DEGRADED;
            });
            try (S3TestServer late = S3TestServer.start(port); SegmentStore store = SegmentStores.open(storage(env))) {
                late.createBucket("vigil-comes-back");
                Eventually.within(Duration.ofSeconds(60)).alias("segments stored after the store came back")
                        .until(() -> values(index, spec.getId()).size() >= 3);
                Eventually.within(Duration.ofSeconds(30)).alias("recording RECORDING again").until(() ->
                        harness.status(spec.getId()).getRecording() == RecordingState.RECORDING);
                // The first segments waited in the spool and were stored once the store answered.
                List<RecordingSegment> stored = values(index, spec.getId());
                assertThat(stored.get(0).getSeq()).isZero();
                for (RecordingSegment s : stored) {
                    assertThat(store.size(s.getKey())).isEqualTo(s.getBytes());
                }
            }
        }
    }

    // --- helpers ---

    private static StorageConfig storage(Map<String, String> env) {
        return StorageConfig.from(dev.vigil.common.config.ConfigValues.read(env, StorageConfig.SETTINGS));
    }

    private static TopicTail<RecordingSegment> segments(TestKafka kafka, IngestHarness harness) {
        return new TopicTail<>(kafka.bootstrapServers(), harness.prefix, Topics.RECORDING_SEGMENTS);
    }

    /** Every segment ever indexed for the stream (tombstoned or not), by start. */
    private static List<RecordingSegment> values(TopicTail<RecordingSegment> index, String id) {
        List<RecordingSegment> out = new ArrayList<>();
        for (TopicTail.Entry<RecordingSegment> e : index.entries()) {
            e.value().filter(s -> s.getRtstreamId().equals(id)).ifPresent(out::add);
        }
        out.sort(Comparator.comparing(RecordingSegment::getStart));
        return out;
    }

    private static List<String> tombstoned(TopicTail<RecordingSegment> index, String id) {
        return index.entries().stream().filter(e -> e.value().isEmpty() && e.key().contains("/" + id + "/"))
                .map(TopicTail.Entry::key).toList();
    }

    private static List<RecordingSegment> live(TopicTail<RecordingSegment> index, String id) {
        List<String> gone = tombstoned(index, id);
        return values(index, id).stream().filter(s -> !gone.contains(s.getKey())).toList();
    }

    private static long span(TopicTail<RecordingSegment> index, String id) {
        List<RecordingSegment> s = values(index, id);
        return s.isEmpty() ? 0 : s.get(s.size() - 1).getEnd().toEpochMilli() - s.get(0).getStart().toEpochMilli();
    }

    private record Probe(List<String> codecs, double duration) {
    }

    private static Probe probe(Path file) throws Exception {
        String out = run(List.of("ffprobe", "-v", "error", "-show_entries", "stream=codec_name:format=duration",
                "-of", "default=noprint_wrappers=1", file.toString()));
        List<String> codecs = new ArrayList<>();
        Matcher m = Pattern.compile("codec_name=(\\w+)").matcher(out);
        while (m.find()) {
            codecs.add(m.group(1));
        }
        Matcher d = Pattern.compile("duration=([0-9.]+)").matcher(out);
        assertThat(d.find()).as("ffprobe output: " + out).isTrue();
        // MPEG-TS lists its streams twice: in the program and on their own.
        return new Probe(codecs.stream().distinct().toList(), Double.parseDouble(d.group(1)));
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
        return out;
    }
}
