package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.testing.HttpMediaServer;
import dev.vigil.ingest.testing.IngestHarness;
import dev.vigil.ingest.testing.MediaFiles;
import dev.vigil.ingest.testing.SilentServer;
import dev.vigil.schemas.control.DesiredState;
import dev.vigil.schemas.control.IngestState;
import dev.vigil.schemas.control.MediaType;
import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.schemas.control.StreamStatus;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.Eventually;
import dev.vigil.testkit.TestKafka;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Twenty broken sources at once: every one ends in a clear status with a reason, after bounded
 * retries, and once they are stopped the worker is back to the threads it had before.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class BadInputIT {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BadInputIT.class);

    @TempDir
    static Path dir;
    static IngestHarness harness;
    static IngestWorkerService worker;
    static HttpMediaServer http;
    static SilentServer blackHole;
    static SilentServer stalling;

    @BeforeAll
    static void start(TestKafka kafka) throws Exception {
        MediaFiles.assumeFfmpeg();
        MediaFiles.clip(dir, "good.mp4", 1, 320, 240);
        Path ts = MediaFiles.clip(dir, "clip.ts", 3, 640, 360);
        MediaFiles.truncated(ts, dir.resolve("truncated.ts"), 60_000);
        MediaFiles.truncated(dir.resolve("good.mp4"), dir.resolve("truncated.mp4"), 1_000);
        MediaFiles.audioOnly(dir, "audio.mp3", 1);
        MediaFiles.unknownCodecWav(dir.resolve("unknown.wav"));
        byte[] noise = new byte[50_000];
        new Random(7).nextBytes(noise);
        Files.write(dir.resolve("noise.mp4"), noise);
        Files.writeString(dir.resolve("notes.bin"), "not media\n".repeat(100));
        Files.writeString(dir.resolve("subtitles.srt"), "1\n00:00:00,000 --> 00:00:01,000\nhello\n");
        http = new HttpMediaServer(dir);
        blackHole = SilentServer.blackHole();
        stalling = SilentServer.stallingHttp(Arrays.copyOf(Files.readAllBytes(ts), 40_000));
        harness = IngestHarness.create(kafka, 3, Map.of(
                "VIGIL_INGEST_IO_TIMEOUT", "1s",
                "VIGIL_INGEST_BACKOFF_MIN", "100ms",
                "VIGIL_INGEST_BACKOFF_MAX", "200ms",
                "VIGIL_INGEST_MAX_RETRIES", "2"));
        worker = harness.startWorker("worker-bad");
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {harness, http, blackHole, stalling}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void everyBrokenSourceEndsInAClearStatusWithoutLeakingThreads() throws Exception {
        // Warm up first (FFmpeg, JavaCPP, the producer): the baseline is the worker at rest.
        RtStreamSpec good = harness.put(IngestHarness.spec(dir.resolve("good.mp4").toString(), 1));
        harness.awaitState(good.getId(), IngestState.ENDED);
        Eventually.await().until(() -> !FileIngestIT.threadAlive(good.getId()));
        List<String> before = workerThreads();
        int baseline = before.size();

        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String hole = "127.0.0.1:" + blackHole.port();
        Map<String, String> expectations = new LinkedHashMap<>();
        Map<String, RtStreamSpec> streams = new LinkedHashMap<>();
        // name → (url, expected reason fragment)
        Object[][] cases = {
            {"rtsp refused", "rtsp://127.0.0.1:" + closedPort + "/live", "gave up after 2 retries: cannot open"},
            {"rtmp refused", "rtmp://127.0.0.1:" + closedPort + "/app/key", "gave up after 2 retries"},
            {"http refused", "http://127.0.0.1:" + closedPort + "/clip.ts", "cannot open: source unreachable"},
            {"unknown host", "rtsp://no-such-host.invalid/live", "gave up after 2 retries"},
            {"rtsp silent", "rtsp://" + hole + "/live", "gave up after 2 retries"},
            {"http silent", "http://" + hole + "/clip.ts", "gave up after 2 retries"},
            {"rtmp silent", "rtmp://" + hole + "/app/key", "gave up after 2 retries"},
            {"hls silent", "http://" + hole + "/live/index.m3u8", "gave up after 2 retries"},
            {"http 404", http.url("/media/missing.ts"), "cannot open: source rejected the request"},
            {"http text", http.url("/text"), "cannot open: unsupported media"},
            {"hls 404", http.url("/media/missing.m3u8"), "cannot open: source rejected the request"},
            {"http stalls", "http://127.0.0.1:" + stalling.port() + "/clip.ts", "no data for"},
            {"noise file", dir.resolve("noise.mp4").toString(), "cannot open: unsupported media"},
            {"truncated mp4", dir.resolve("truncated.mp4").toString(), "no decodable media"},
            {"text file", dir.resolve("notes.bin").toString(), "cannot open"},
            {"missing file", dir.resolve("missing.mp4").toString(), "no such file"},
            {"unknown codec", dir.resolve("unknown.wav").toString(), "cannot open: unsupported media"},
            {"subtitles only", dir.resolve("subtitles.srt").toString(), "cannot open: unsupported media"},
            {"unsupported scheme", "ftp://127.0.0.1/clip.mp4", "unsupported URL scheme"},
            {"no video in audio file", dir.resolve("audio.mp3").toString(), "has no video stream"},
        };
        assertThat(cases.length).isEqualTo(20);
        for (Object[] c : cases) {
            MediaType[] types = c[0].equals("no video in audio file") ? new MediaType[] {MediaType.VIDEO} : new MediaType[0];
            RtStreamSpec spec = harness.put(IngestHarness.spec((String) c[1], 1, types));
            streams.put((String) c[0], spec);
            expectations.put((String) c[0], (String) c[2]);
        }
        // The truncated MPEG-TS plays what it has, then ends.
        RtStreamSpec truncatedTs = harness.put(IngestHarness.spec(dir.resolve("truncated.ts").toString(), 1));

        Eventually.within(Duration.ofSeconds(60)).alias("every broken stream reaches ERROR").until(() ->
                streams.values().stream().allMatch(s -> harness.status(s.getId()) != null
                        && harness.status(s.getId()).getState() == IngestState.ERROR));
        StreamStatus ended = harness.awaitState(truncatedTs.getId(), IngestState.ENDED);
        assertThat(ended.getReason()).isEqualTo("end of file");
        assertThat(harness.frames.values(truncatedTs.getId())).isNotEmpty();

        SoftAssertions soft = new SoftAssertions();
        streams.forEach((name, spec) -> {
            StreamStatus status = harness.status(spec.getId());
            soft.assertThat(status.getReason()).as(name).contains(expectations.get(name));
            soft.assertThat(status.getWorkerId()).as(name).isEqualTo("worker-bad");
            // Network sources were retried (bounded), files and permanent errors were not.
            long reconnects = status.getReconnects();
            soft.assertThat(reconnects).as(name + " reconnects").isLessThanOrEqualTo(2);
            if (!name.equals("http stalls")) {
                // (The stalling server does send the start of a real stream before it goes quiet.)
                soft.assertThat(harness.frames.values(spec.getId())).as(name + " frames").isEmpty();
            }
        });
        soft.assertAll();
        assertThat(harness.status(streams.get("rtsp refused").getId()).getReconnects()).isEqualTo(2);
        assertThat(harness.status(streams.get("missing file").getId()).getReconnects()).isZero();
        assertThat(harness.status(streams.get("http 404").getId()).getReconnects()).isEqualTo(2);

        for (RtStreamSpec spec : streams.values()) {
            harness.put(spec, DesiredState.STOPPED);
        }
        harness.put(truncatedTs, DesiredState.STOPPED);
        for (RtStreamSpec spec : streams.values()) {
            harness.awaitState(spec.getId(), IngestState.STOPPED);
        }
        Eventually.await().alias("worker threads back to the baseline of " + baseline)
                .conditionEvaluationListener(c -> {
                    if (c.getRemainingTimeInMS() <= 100) {
                        List<String> extra = new ArrayList<>(workerThreads());
                        before.forEach(extra::remove);
                        log.warn("Threads beyond the baseline: {}", extra);
                    }
                })
                .until(() -> workerThreads().size() <= baseline);
        assertThat(workerThreads()).noneMatch(name -> name.startsWith("vigil-ingest-rts-"));
        assertThat(worker.isReady()).isTrue();
    }

    /**
     * Live threads of the JVM except the test's own: its servers' pools (Vert.x starts those lazily as
     * connections come, which says nothing about the worker) and Awaitility's condition thread.
     */
    private static List<String> workerThreads() {
        Set<Thread> threads = Thread.getAllStackTraces().keySet();
        return new ArrayList<>(threads.stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> !n.startsWith("vert.x-") && !n.startsWith("test-") && !n.startsWith("awaitility"))
                .sorted().collect(Collectors.toList()));
    }
}
