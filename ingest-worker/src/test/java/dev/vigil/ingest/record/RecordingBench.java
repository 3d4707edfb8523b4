package dev.vigil.ingest.record;

import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.net.HostResolver;
import dev.vigil.ingest.IngestWorkerConfig;
import dev.vigil.ingest.source.SourceGuard;
import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.ingest.testing.IngestHarness;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * What recording one stream costs, without Kafka or a store: CPU of the recorder (demux + remux into
 * 4 s MPEG-TS segments, no decoding) per second of media, and the bytes stored per hour.
 *
 * <p>Runs the recorder on the calling thread over a file read as fast as possible ({@code pacing=none}),
 * {@code rounds} times, and reads that thread's CPU time. CPU per real-time stream = CPU seconds per
 * media second. Run (after {@code mvn -B -q test-compile -pl ingest-worker -am}):
 * <pre>
 * cd ingest-worker &amp;&amp; mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.vigil.ingest.record.RecordingBench \
 *     ../standalone/src/main/resources/demo/warehouse.mp4 30
 * </pre>
 */
public final class RecordingBench {

    private RecordingBench() {
    }

    public static void main(String[] args) throws Exception {
        Path clip = Path.of(args.length > 0 ? args[0] : "../standalone/src/main/resources/demo/warehouse.mp4").toAbsolutePath();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        FFmpegFrameGrabber.tryLoad();
        IngestWorkerConfig ingest = IngestWorkerConfig.from(ConfigValues.read(Map.of("VIGIL_INGEST_ALLOW_FILES", "true",
                "VIGIL_INGEST_PACING", "none"), allIngestSettings()));
        RecordingConfig recording = RecordingConfig.defaults();
        SourceGuard guard = new SourceGuard(ingest.sources().policy(HostResolver.system()), ingest.ioTimeout());
        Path spool = Files.createTempDirectory("vigil-recording-bench");
        AtomicLong bytes = new AtomicLong();
        AtomicLong mediaMs = new AtomicLong();
        AtomicLong segments = new AtomicLong();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long warm = 0;
        List<Double> cpuPerRound = new ArrayList<>();
        for (int i = -3; i < rounds; i++) {
            boolean measured = i >= 0;
            RtStreamSpec spec = RtStreamSpec.newBuilder(IngestHarness.spec("file://" + clip + "?loop=false", 1))
                    .setStore(true).build();
            StreamRecorder recorder = new StreamRecorder(spec, ingest, recording, guard, spool, "bench", Long.MIN_VALUE,
                    segment -> {
                        if (measured) {
                            bytes.addAndGet(segment.bytes());
                            mediaMs.addAndGet(segment.record().getEnd().toEpochMilli() - segment.record().getStart().toEpochMilli());
                            segments.incrementAndGet();
                        }
                        try {
                            Files.deleteIfExists(segment.file());
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }, (id, state, reason) -> { });
            long before = mx.getCurrentThreadCpuTime();
            recorder.run();
            long cpu = mx.getCurrentThreadCpuTime() - before;
            if (measured) {
                cpuPerRound.add(cpu / 1e9);
            } else {
                warm += cpu;
            }
        }
        double cpuSeconds = cpuPerRound.stream().mapToDouble(Double::doubleValue).sum();
        double mediaSeconds = mediaMs.get() / 1000.0;
        System.out.printf(Locale.ROOT, "clip %s, %d rounds, %d segments, %.1f s of media (warm-up CPU %.2f s)%n", clip,
                rounds, segments.get(), mediaSeconds, warm / 1e9);
        System.out.printf(Locale.ROOT, "recorder CPU: %.3f s for %.1f s of media = %.2f %% of one core per real-time stream%n",
                cpuSeconds, mediaSeconds, 100 * cpuSeconds / mediaSeconds);
        System.out.printf(Locale.ROOT, "stored: %.1f MB per hour (%.0f kbit/s, source %d bytes)%n",
                bytes.get() / mediaSeconds * 3600 / 1e6, bytes.get() * 8 / mediaSeconds / 1000, Files.size(clip));
    }

    private static List<dev.vigil.common.config.Setting<?>> allIngestSettings() {
        List<dev.vigil.common.config.Setting<?>> all = new ArrayList<>(IngestWorkerConfig.SETTINGS);
        all.addAll(dev.vigil.common.net.SourcePolicyConfig.SETTINGS);
        return all;
    }
}
