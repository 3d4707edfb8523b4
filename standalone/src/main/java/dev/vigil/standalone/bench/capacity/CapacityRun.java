package dev.vigil.standalone.bench.capacity;

import dev.vigil.standalone.StandaloneConfig;
import dev.vigil.standalone.bench.Latencies;
import dev.vigil.standalone.bench.PipelineBench;
import dev.vigil.standalone.bench.SocketProbe;
import dev.vigil.standalone.demo.DemoClip;
import dev.vigil.standalone.demo.DemoRun;
import dev.vigil.standalone.demo.RestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One capacity run: a fresh standalone Vigil (its own embedded broker on free ports and temporary data
 * directory, or an external broker with topics of its own prefix), {@code N} looping streams of one
 * source, each with a transcript, a scene index (2 s windows, 2 frames) and an audio index (2 s),
 * sampled at 2 frames/s, all targeting one WebSocket client. After a warm-up (every stream has
 * delivered a scene record, then the given warm-up, 30 s by default) it measures for the given duration: CPU by thread group,
 * latency from the window's (utterance's) end to its arrival on the WebSocket, windows due and
 * emitted, frames late or dropped, lane backlog, heap after GC and RSS.
 *
 * <p>Ingest only: the streams get no index, warm-up waits for every stream's first frame written,
 * and the run counts frames and audio chunks written against those due in real time. Recorded: the
 * streams have {@code store=true}; warm-up also waits for one stored segment per stream, and the run
 * counts segments and bytes stored.
 */
final class CapacityRun {

    /** How the runs are set up: the caller's environment, the source (null: the demo clip), an external broker. */
    record Setup(Map<String, String> environment, String source, String kafka, CapacityOptions.Mode mode, Duration warmup,
            PrintWriter out) {
    }

    static final int SAMPLE_RATE = 2;
    static final int WINDOW_SECONDS = 2;
    private static final Duration BACKLOG_EVERY = Duration.ofSeconds(5);
    private static final int SLICES = 4;

    private final Setup setup;
    private final int streams;
    private final Duration duration;
    private final boolean soak;
    private final Map<String, AtomicLong> sceneRecordsByStream = new ConcurrentHashMap<>();
    private final Latencies scene = new Latencies("scene window end → scene_index on WebSocket");
    private final Latencies transcript = new Latencies("end of utterance → transcript on WebSocket");
    private final Latencies audio = new Latencies("audio window end → audio_index on WebSocket");
    private final List<Latencies> sceneSlices = new ArrayList<>();
    private final AtomicLong sceneWindows = new AtomicLong();
    /** Records of a window already received (same stream, index and end): counted once, reported apart. */
    private final Set<String> seenWindows = ConcurrentHashMap.newKeySet();
    private final AtomicLong repeats = new AtomicLong();
    private volatile long measureFromMs = Long.MAX_VALUE;
    private volatile long measureToMs = Long.MAX_VALUE;

    CapacityRun(Setup setup, int streams, Duration duration, boolean soak) {
        this.setup = setup;
        this.streams = streams;
        this.duration = duration;
        this.soak = soak;
        for (int i = 0; i < SLICES; i++) {
            sceneSlices.add(new Latencies("slice " + i));
        }
    }

    CapacityResult run() throws Exception {
        Path dataDir = Files.createTempDirectory("vigil-capacity");
        try {
            return run(dataDir);
        } finally {
            try (var files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private CapacityResult run(Path dataDir) throws Exception {
        PrintWriter out = setup.out();
        try (DemoRun vigil = DemoRun.start(StandaloneConfig.from(environment(dataDir)))) {
            RestClient rest = new RestClient(URI.create(vigil.standalone().httpUrl()), vigil.apiKey());
            String wsUrl = rest.ok("GET", "/collection/default/websocket", null).getString("websocket_url");
            try (SocketProbe socket = SocketProbe.connect(rest.http(), wsUrl, this::onFrame)) {
                String connection = socket.connectionId(Duration.ofSeconds(30));
                String url = sourceUrl(dataDir);
                for (int i = 0; i < streams; i++) {
                    createStream(rest, url, connection, i);
                }
                out.printf("%d streams of %s started (%s); warming up (every stream's first record, then %ds)…%n", streams,
                        describeSource(), setup.mode().describe(), setup.warmup().toSeconds()).flush();
                awaitEveryStream(rest, Duration.ofSeconds(120 + 2L * streams));
                Thread.sleep(setup.warmup().toMillis());
                return measure(rest);
            }
        }
    }

    private Map<String, String> environment(Path dataDir) throws IOException {
        // The caller's VIGIL_* settings apply (to try a tuning), except where the run needs its own.
        Map<String, String> env = new HashMap<>(setup.environment());
        DemoRun.DEMO_DEFAULTS.forEach(env::putIfAbsent);
        env.put("VIGIL_DATA_DIR", dataDir.toString());
        env.put("VIGIL_HTTP_HOST", "127.0.0.1");
        env.put("VIGIL_HTTP_PORT", "0");
        if (setup.kafka() == null) {
            env.put("VIGIL_KAFKA_EMBEDDED", "true");
            env.put("VIGIL_KAFKA_EMBEDDED_PORT", Integer.toString(freePort()));
            env.put("VIGIL_KAFKA_EMBEDDED_CONTROLLER_PORT", Integer.toString(freePort()));
        } else {
            // Topics of this run only: an earlier run's streams and records must not come back.
            env.put("VIGIL_KAFKA_EMBEDDED", "false");
            env.put("VIGIL_KAFKA_BOOTSTRAP_SERVERS", setup.kafka());
            env.put("VIGIL_TOPIC_PREFIX", "vigil-capacity-" + System.currentTimeMillis() + ".");
        }
        return env;
    }

    private String sourceUrl(Path dataDir) {
        if (setup.source() == null) {
            return DemoClip.extractTo(dataDir.resolve("clip")).toUri() + "?loop=true";
        }
        if (setup.source().contains("://") && !setup.source().startsWith("file:")) {
            return setup.source();
        }
        Path file = setup.source().startsWith("file:") ? Path.of(URI.create(setup.source())) : Path.of(setup.source());
        return file.toAbsolutePath().toUri() + "?loop=true";
    }

    private String describeSource() {
        return setup.source() == null ? "the demo clip (480x360, 10 fps, 20 s, looping)" : setup.source();
    }

    /**
     * A stream at 2 frames/s with the three indexes of the demo, every record targeted at the bench's
     * socket; ingest only: no index; recorded: {@code store=true}.
     */
    private void createStream(RestClient rest, String url, String ws, int i) throws IOException, InterruptedException {
        String rid = rest.ok("POST", "/rtstream", new JsonObject().put("collection_id", "default").put("url", url)
                .put("name", "capacity " + i).put("media_types", new JsonArray().add("video").add("audio"))
                .put("sample_rate", SAMPLE_RATE).put("store", setup.mode().record())).getString("id");
        sceneRecordsByStream.put(rid, new AtomicLong());
        if (setup.mode().ingestOnly()) {
            return;
        }
        rest.ok("POST", "/rtstream/" + rid + "/transcription", new JsonObject().put("action", "start").put("ws_connection_id", ws));
        rest.ok("POST", "/rtstream/" + rid + "/index/scene", new JsonObject().put("extraction_type", "time")
                .put("extraction_config", new JsonObject().put("time", WINDOW_SECONDS).put("frame_count", 2))
                .put("prompt", "Describe the scene").put("name", "capacity visuals").put("ws_connection_id", ws));
        rest.ok("POST", "/rtstream/" + rid + "/index/scene", new JsonObject().put("extraction_type", "transcript")
                .put("extraction_config", new JsonObject().put("segmenter", "time").put("segmentation_value", WINDOW_SECONDS))
                .put("prompt", "Describe the sounds").put("name", "capacity audio").put("ws_connection_id", ws));
    }

    /**
     * Until every stream works: has delivered a scene record (ingest only: written a frame) and, when
     * recorded, the streams have stored a segment each.
     */
    private void awaitEveryStream(RestClient rest, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            PrometheusSample sample = setup.mode().ingestOnly() || setup.mode().record() ? scrape(rest) : null;
            long silent = setup.mode().ingestOnly()
                    ? sceneRecordsByStream.keySet().stream()
                            .filter(rid -> sample.sum("vigil_ingest_frames_produced_total", "rtstream", rid) == 0).count()
                    : sceneRecordsByStream.values().stream().filter(c -> c.get() == 0).count();
            long segments = setup.mode().record() ? Math.round(sample.sum("vigil_recording_segments_stored_total")) : streams;
            if (silent == 0 && segments >= streams) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(silent > 0
                        ? silent + " of " + streams + " streams delivered no " + (setup.mode().ingestOnly() ? "frame" : "scene record")
                                + " within " + timeout.toSeconds() + " s"
                        : "only " + segments + " recorded segments stored for " + streams + " streams within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(200);
        }
    }

    private CapacityResult measure(RestClient rest) throws Exception {
        String loadBefore = PipelineBench.loadAverage();
        List<long[]> backlog = new ArrayList<>();
        List<long[]> heap = new ArrayList<>();
        PrometheusSample metricsBefore = scrape(rest);
        ThreadGroups.Snapshot cpuBefore = ThreadGroups.Snapshot.take();
        long start = System.currentTimeMillis();
        measureFromMs = start;
        measureToMs = start + duration.toMillis();
        long nextBacklog = start;
        long nextHeap = start + 60_000;
        setup.out().printf("Measuring for %ds…%n", duration.toSeconds()).flush();
        while (true) {
            long now = System.currentTimeMillis();
            if (now >= measureToMs) {
                break;
            }
            if (now >= nextBacklog) {
                PrometheusSample sample = scrape(rest);
                backlog.add(new long[] {(now - start) / 1000, lane(sample, "vision"), lane(sample, "speech")});
                nextBacklog += BACKLOG_EVERY.toMillis();
            }
            if (soak && now >= nextHeap) {
                long[] h = {(now - start) / 60_000, heapAfterGc()};
                heap.add(h);
                setup.out().printf("  minute %d: heap after GC %d MiB, RSS %d MiB, scene p95 so far %d ms%n", h[0], h[1] >> 20,
                        rss() >> 20, scene.percentile(95)).flush();
                nextHeap += 60_000;
            }
            Thread.sleep(Math.max(1, Math.min(Math.min(nextBacklog, soak ? nextHeap : Long.MAX_VALUE), measureToMs) - now));
        }
        ThreadGroups.Snapshot cpuAfter = ThreadGroups.Snapshot.take();
        PrometheusSample metricsAfter = scrape(rest);
        // Records of windows that ended inside the measurement may still be on their way.
        Thread.sleep(3_000);
        String loadAfter = PipelineBench.loadAverage();
        heap.add(new long[] {duration.toMinutes(), heapAfterGc()});
        long due = setup.mode().ingestOnly() ? 0 : streams * (duration.toSeconds() / WINDOW_SECONDS);
        return new CapacityResult(streams, duration, describeSource(), setup.mode(), mediaDue(), loadBefore, loadAfter,
                ThreadGroups.Usage.between(cpuBefore, cpuAfter), scene, transcript, audio,
                sceneSlices.stream().map(l -> l.percentile(95)).toList(), sceneWindows.get(), due, repeats.get(),
                media(metricsBefore, metricsAfter), backlog, heap, rss(),
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax());
    }

    /** Sampled frames and audio chunks the streams owe in real time over the measurement. */
    private CapacityResult.Due mediaDue() {
        Duration chunk = dev.vigil.common.config.ConfigValues.read(setup.environment(),
                List.of(dev.vigil.ingest.IngestWorkerConfig.AUDIO_CHUNK)).get(dev.vigil.ingest.IngestWorkerConfig.AUDIO_CHUNK);
        return new CapacityResult.Due(streams * duration.toMillis() * SAMPLE_RATE / 1000,
                streams * duration.toMillis() / Math.max(1, chunk.toMillis()));
    }

    private static CapacityResult.Media media(PrometheusSample before, PrometheusSample after) {
        return new CapacityResult.Media(
                delta(before, after, s -> s.sum("vigil_ingest_frames_produced_total")),
                delta(before, after, s -> s.sum("vigil_ingest_frames_dropped_total")),
                delta(before, after, s -> s.countAbove("vigil_ingest_pacing_lateness_seconds", 0.1)),
                delta(before, after, s -> s.countAbove("vigil_ingest_pacing_lateness_seconds", 1.0)),
                delta(before, after, s -> s.sum("vigil_ingest_audio_chunks_produced_total")),
                delta(before, after, s -> s.sum("vigil_ingest_audio_chunks_dropped_total")),
                delta(before, after, s -> s.sum("vigil_indexer_frames_late_total")),
                delta(before, after, s -> s.sum("vigil_indexer_media_stale_total")),
                delta(before, after, s -> s.sum("vigil_indexer_jobs_dropped_total")),
                delta(before, after, s -> s.sum("vigil_recording_segments_stored_total")),
                delta(before, after, s -> s.sum("vigil_recording_bytes_stored_total")),
                delta(before, after, s -> s.sum("vigil_recording_segments_dropped_total")),
                delta(before, after, s -> s.sum("vigil_recording_store_failures_total")));
    }

    private static long delta(PrometheusSample before, PrometheusSample after,
            java.util.function.ToDoubleFunction<PrometheusSample> value) {
        return Math.round(value.applyAsDouble(after) - value.applyAsDouble(before));
    }

    private static long lane(PrometheusSample sample, String lane) {
        return Math.round(sample.sum("vigil_indexer_lane_backlog", "lane", lane));
    }

    private static PrometheusSample scrape(RestClient rest) throws IOException, InterruptedException {
        return PrometheusSample.parse(rest.call("GET", "/metrics", null).body());
    }

    private void onFrame(JsonObject frame, long arrival) {
        JsonObject data = frame.getJsonObject("data", new JsonObject());
        if (!seenWindows.add(frame.getString("channel", "") + '|' + frame.getString("rtstream_id", "") + '|'
                + frame.getString("index_id", "") + '|' + data.getValue("end") + '|' + data.getValue("text"))) {
            if (data.getValue("end") != null && data.getLong("end") >= measureFromMs && data.getLong("end") <= measureToMs) {
                repeats.incrementAndGet();
            }
            return;
        }
        switch (frame.getString("channel", "")) {
            case "scene_index" -> {
                AtomicLong count = sceneRecordsByStream.get(frame.getString("rtstream_id", ""));
                if (count != null) {
                    count.incrementAndGet();
                }
                Long end = latency(data, arrival, scene);
                if (end != null) {
                    sceneWindows.incrementAndGet();
                    int slice = (int) ((end - measureFromMs) * SLICES / Math.max(1, measureToMs - measureFromMs));
                    sceneSlices.get(Math.min(SLICES - 1, slice)).add(arrival - end);
                }
            }
            case "audio_index" -> latency(data, arrival, audio);
            case "transcript" -> {
                if (data.getBoolean("is_final", true)) {
                    latency(data, arrival, transcript);
                }
            }
            default -> { }
        }
    }

    /** Adds the latency of a record whose window ended inside the measurement; its end, else null. */
    private Long latency(JsonObject data, long arrival, Latencies latencies) {
        Number end = data.getNumber("end");
        if (end == null || end.longValue() < measureFromMs || end.longValue() > measureToMs) {
            return null;
        }
        latencies.add(arrival - end.longValue());
        return end.longValue();
    }

    /** Heap in use right after a full collection: what the live data needs. */
    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Resident set size of this process (Linux), or -1. */
    static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
