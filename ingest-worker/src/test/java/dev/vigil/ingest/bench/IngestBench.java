package dev.vigil.ingest.bench;

import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.ids.Ids;
import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.common.kafka.TopicBootstrap;
import dev.vigil.common.ops.MeterRegistries;
import dev.vigil.ingest.IngestWorkerConfig;
import dev.vigil.ingest.IngestWorkerService;
import dev.vigil.ingest.testing.MediaFiles;
import dev.vigil.kafka.embedded.EmbeddedKafka;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.DesiredState;
import dev.vigil.schemas.control.IngestState;
import dev.vigil.schemas.control.MediaType;
import dev.vigil.schemas.control.RtStreamSpec;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * How many live 640x360 streams one worker keeps at real time on this machine.
 *
 * <p>Starts an embedded broker and one {@link IngestWorkerService}, generates a 10 s 640x360 25 fps
 * H.264 + AAC clip (ffmpeg CLI), and starts N streams on it, each its own looping file played at real
 * time (its own grabber, decoder and thread), sampling 1 frame/s as JPEG q80 plus 16 kHz audio in
 * 500 ms chunks. After a warm-up it measures, over a fixed window:
 * <ul>
 *   <li>CPU per stream: CPU time of the stream threads ({@code vigil-ingest-rts-*}: demux, decode,
 *       scale, JPEG, resample) and of the whole process (also the embedded broker), per stream, in %
 *       of one core;</li>
 *   <li>streams that stayed real-time: at least 98 % of the expected frames written (the stream keeps
 *       its source's rate) and its media read at most 1 s after it was due at p99 (no growing backlog);</li>
 *   <li>capture→Kafka-ack lag: p50/p99 over all frames and chunks in the window (from histogram
 *       bucket deltas, so the warm-up is excluded).</li>
 * </ul>
 *
 * <p>Run (after {@code mvn -B -q test-compile -pl ingest-worker}):
 * <pre>
 * cd ingest-worker &amp;&amp; mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -Xmx1g -Dorg.bytedeco.javacpp.cachedir=$HOME/.cache/vigil/javacpp -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *     dev.vigil.ingest.bench.IngestBench [streams=24] [measureSeconds=60] [warmupSeconds=20] [decodeSkipping=true]
 * </pre>
 * Bounded: it stops after warm-up plus measurement and prints one report.
 */
public final class IngestBench {

    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(20),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300),
        Duration.ofMillis(500), Duration.ofMillis(750), Duration.ofSeconds(1), Duration.ofSeconds(2),
        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private IngestBench() {
    }

    public static void main(String[] args) throws Exception {
        int streams = args.length > 0 ? Integer.parseInt(args[0]) : 24;
        int measureSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int warmupSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        // "false" measures full decoding (every picture), for a before/after of decode skipping.
        String decodeSkipping = args.length > 3 ? args[3] : "true";
        Path dir = Files.createTempDirectory("vigil-ingest-bench-");
        Path clip = MediaFiles.clip(dir, "clip640.mp4", 10, 640, 360);

        try (EmbeddedKafka broker = EmbeddedKafka.forTests().start()) {
            Map<String, String> env = new HashMap<>(Map.of(
                    "VIGIL_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "VIGIL_INSTANCE_ID", "bench",
                    "VIGIL_INGEST_ALLOW_FILES", "true",
                    "VIGIL_INGEST_PACING", "files",
                    "VIGIL_INGEST_DECODE_SKIPPING", decodeSkipping));
            ConfigValues values = ConfigValues.read(env, IngestWorkerConfig.allSettings());
            CommonConfig common = CommonConfig.from(values, env);
            KafkaClients clients = new KafkaClients(common);
            try (Admin admin = Admin.create(clients.admin("bench"))) {
                new TopicBootstrap(admin, common).ensure(Topics.ALL);
            }
            PrometheusMeterRegistry registry = MeterRegistries.prometheus("bench");
            registry.config().meterFilter(new MeterFilter() {
                @Override
                public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                    return id.getName().startsWith("vigil.ingest")
                            ? DistributionStatisticConfig.builder().serviceLevelObjectives(nanos(BUCKETS)).build().merge(config)
                            : config;
                }
            });
            IngestWorkerService worker = new IngestWorkerService(common, IngestWorkerConfig.from(values), registry);
            worker.start();
            List<String> ids = new ArrayList<>();
            try (KafkaProducer<byte[], byte[]> specs = new KafkaProducer<>(clients.producer("bench-specs"),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < streams; i++) {
                    RtStreamSpec spec = spec(clip.toUri() + "?loop=true");
                    ids.add(spec.getId());
                    String topic = Topics.RTSTREAMS.name(common.topicPrefix());
                    specs.send(new ProducerRecord<>(topic, Topics.RTSTREAMS.keySerde().serializer().serialize(topic, spec.getId()),
                            Topics.RTSTREAMS.valueSerde().serializer().serialize(topic, spec))).get();
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (worker.streams().values().stream().filter(s -> s.orElse(null) == IngestState.CONNECTED).count() < streams) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("streams did not all connect: " + worker.streams());
                }
                Thread.sleep(100);
            }
            System.out.printf(Locale.ROOT, "%d streams connected; warming up %d s%n", streams, warmupSeconds);
            Thread.sleep(warmupSeconds * 1000L);

            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            Canary canary = new Canary();
            long gcBefore = gcMillis();
            Snapshot before = Snapshot.take(registry, ids, threads, os);
            canary.start();
            Thread.sleep(measureSeconds * 1000L);
            Snapshot after = Snapshot.take(registry, ids, threads, os);
            canary.interrupt();
            canary.join();
            report(streams, measureSeconds, decodeSkipping, before, after, os);
            System.out.printf(Locale.ROOT, "scheduling canary (a thread sleeping 20 ms, how much later it woke): p50 %d ms, "
                    + "p99 %d ms, max %d ms; GC time in window: %d ms%n", canary.quantile(0.5), canary.quantile(0.99),
                    canary.quantile(1.0), gcMillis() - gcBefore);
            worker.close();
        }
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
    }

    /**
     * Tells the machine's share in a bad result apart from the worker's: how late a thread that only
     * sleeps wakes up (run-queue delay on a busy machine, GC pauses).
     */
    private static final class Canary extends Thread {
        private final List<Long> oversleepMillis = new ArrayList<>();

        Canary() {
            super("bench-canary");
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                long begin = System.nanoTime();
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
                synchronized (oversleepMillis) {
                    oversleepMillis.add(Math.max(0, (System.nanoTime() - begin) / 1_000_000 - 20));
                }
            }
        }

        long quantile(double q) {
            synchronized (oversleepMillis) {
                List<Long> sorted = new ArrayList<>(oversleepMillis);
                sorted.sort(null);
                return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
            }
        }
    }

    private static RtStreamSpec spec(String url) {
        Instant now = Instant.now();
        return RtStreamSpec.newBuilder().setId(Ids.rtstreamId()).setCollectionId("default").setName("bench").setUrl(url)
                .setMediaTypes(List.of(MediaType.VIDEO, MediaType.AUDIO)).setSampleRate(1)
                .setDesiredState(DesiredState.STARTED).setCreatedAt(now).setUpdatedAt(now).build();
    }

    private static double[] nanos(Duration[] durations) {
        double[] out = new double[durations.length];
        for (int i = 0; i < durations.length; i++) {
            out[i] = durations[i].toNanos();
        }
        return out;
    }

    /** Cumulative counters at one instant. */
    private record Snapshot(long nanos, long streamCpu, long processCpu, Map<String, Double> frames,
            Map<String, double[]> lateness, double[] lag, double lagCount) {

        static Snapshot take(PrometheusMeterRegistry registry, List<String> ids, ThreadMXBean threads,
                com.sun.management.OperatingSystemMXBean os) {
            long streamCpu = 0;
            for (long id : threads.getAllThreadIds()) {
                java.lang.management.ThreadInfo info = threads.getThreadInfo(id);
                if (info != null && info.getThreadName().startsWith("vigil-ingest-rts-")) {
                    streamCpu += Math.max(0, threads.getThreadCpuTime(id));
                }
            }
            Map<String, Double> frames = new HashMap<>();
            Map<String, double[]> lateness = new HashMap<>();
            double[] lag = new double[BUCKETS.length + 1];
            double lagCount = 0;
            for (String id : ids) {
                frames.put(id, registry.get("vigil.ingest.frames.produced").tag("rtstream", id).counter().count());
                lateness.put(id, buckets(registry.get("vigil.ingest.pacing.lateness").tag("rtstream", id).timer()));
                for (Timer t : registry.get("vigil.ingest.capture.ack.lag").tag("rtstream", id).timers()) {
                    double[] b = buckets(t);
                    for (int i = 0; i < b.length; i++) {
                        lag[i] += b[i];
                    }
                    lagCount += t.count();
                }
            }
            return new Snapshot(System.nanoTime(), streamCpu, os.getProcessCpuTime(), frames, lateness, lag, lagCount);
        }

        /** Cumulative counts at each bucket bound, plus the total count last. */
        private static double[] buckets(Timer timer) {
            CountAtBucket[] counts = timer.takeSnapshot().histogramCounts();
            double[] out = new double[BUCKETS.length + 1];
            for (int i = 0; i < BUCKETS.length; i++) {
                for (CountAtBucket c : counts) {
                    if (Math.abs(c.bucket(TimeUnit.NANOSECONDS) - BUCKETS[i].toNanos()) < 1) {
                        out[i] = c.count();
                    }
                }
            }
            out[BUCKETS.length] = timer.count();
            return out;
        }
    }

    private static void report(int streams, int seconds, String decodeSkipping, Snapshot a, Snapshot b,
            com.sun.management.OperatingSystemMXBean os) {
        double wall = (b.nanos - a.nanos) / 1e9;
        double streamCores = (b.streamCpu - a.streamCpu) / 1e9 / wall;
        double processCores = (b.processCpu - a.processCpu) / 1e9 / wall;
        int realTime = 0;
        double minFrames = Double.MAX_VALUE;
        List<Duration> p99s = new ArrayList<>();
        double lateTotal = 0;
        double lateOver500 = 0;
        for (String id : a.frames.keySet()) {
            double frames = b.frames.get(id) - a.frames.get(id);
            double[] la = a.lateness.get(id);
            double[] lb = b.lateness.get(id);
            double total = lb[BUCKETS.length] - la[BUCKETS.length];
            int i500 = index(Duration.ofMillis(500));
            lateTotal += total;
            lateOver500 += total - (lb[i500] - la[i500]);
            Duration p99 = quantileBound(la, lb, total, 0.99);
            p99s.add(p99);
            minFrames = Math.min(minFrames, frames);
            if (frames >= 0.98 * wall && p99.compareTo(Duration.ofSeconds(1)) <= 0) {
                realTime++;
            }
        }
        p99s.sort(null);
        double lagTotal = b.lagCount - a.lagCount;
        System.out.println("=== IngestBench ===");
        System.out.printf(Locale.ROOT, "machine: %d cores (nproc), Java %s, load average at end %.1f%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), os.getSystemLoadAverage());
        System.out.printf(Locale.ROOT, "streams: %d x 640x360 25 fps H.264+AAC (key frame every 1 s), looping files at real time, 1 frame/s "
                + "JPEG q80 + 16 kHz audio; decode skipping %s%n", streams, decodeSkipping);
        System.out.printf(Locale.ROOT, "window: %.1f s after warm-up%n", wall);
        System.out.printf(Locale.ROOT, "CPU per stream: %.2f %% of a core in stream threads; %.2f %% for the whole process (incl. embedded broker)%n",
                100 * streamCores / streams, 100 * processCores / streams);
        System.out.printf(Locale.ROOT, "real-time streams: %d of %d (kept the source's rate: >= 98 %% of the expected frames, "
                + "and read their media at most 1 s after it was due at p99); fewest frames of a stream: %.0f in %.0f s%n",
                realTime, streams, minFrames, wall);
        System.out.printf(Locale.ROOT, "pacing lateness p99 per stream: min <= %d ms, median <= %d ms, max <= %d ms; "
                + "media read > 500 ms late: %.2f %%%n", p99s.get(0).toMillis(), p99s.get(p99s.size() / 2).toMillis(),
                p99s.get(p99s.size() - 1).toMillis(), 100 * lateOver500 / Math.max(1, lateTotal));
        System.out.printf(Locale.ROOT, "capture->Kafka ack lag over %.0f records: p50 <= %s, p99 <= %s, share <= 1 s: %.3f %%%n",
                lagTotal, quantile(a.lag, b.lag, lagTotal, 0.5), quantile(a.lag, b.lag, lagTotal, 0.99),
                100 * (b.lag[index(Duration.ofSeconds(1))] - a.lag[index(Duration.ofSeconds(1))]) / Math.max(1, lagTotal));
    }

    private static int index(Duration bucket) {
        for (int i = 0; i < BUCKETS.length; i++) {
            if (BUCKETS[i].equals(bucket)) {
                return i;
            }
        }
        throw new IllegalArgumentException(bucket.toString());
    }

    /** The smallest bucket bound under which at least {@code q} of the window's samples fall. */
    private static String quantile(double[] a, double[] b, double total, double q) {
        Duration bound = quantileBound(a, b, total, q);
        return bound.equals(Duration.ofDays(1)) ? "> " + BUCKETS[BUCKETS.length - 1].toSeconds() + " s" : bound.toMillis() + " ms";
    }

    private static Duration quantileBound(double[] a, double[] b, double total, double q) {
        for (int i = 0; i < BUCKETS.length; i++) {
            if (b[i] - a[i] >= q * total) {
                return BUCKETS[i];
            }
        }
        return Duration.ofDays(1);
    }
}
