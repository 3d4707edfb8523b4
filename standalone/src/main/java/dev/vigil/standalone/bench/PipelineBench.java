package dev.vigil.standalone.bench;

import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.index.TranscriptRecord;
import dev.vigil.standalone.StandaloneConfig;
import dev.vigil.standalone.demo.DemoRun;
import dev.vigil.standalone.demo.RestClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Drives the whole pipeline of a standalone Vigil and measures what users see:
 *
 * <ol>
 *   <li>alert path, steady rate: a transcript record written to {@code vigil.index.transcript} (as the
 *       indexer would) → the alert frame on a WebSocket client, and → the signed webhook at a receiver
 *       (a separate HTTP server);</li>
 *   <li>alert path, burst: as many matching records as fast as possible → alerts per second delivered;</li>
 *   <li>media paths, on the bundled clip through real ingest and indexing: scene window end → scene
 *       record on the WebSocket, end of the utterance → transcript on the WebSocket, audio window end →
 *       audio record on the WebSocket.</li>
 * </ol>
 *
 * Latency = arrival time at the client − the time the cause happened, on one clock (same machine).
 */
public final class PipelineBench {

    /** Parameters of one run. */
    record Options(int rate, Duration steady, int burst, Duration media) {
    }

    private static final Pattern SEQ = Pattern.compile("number (\\d+)");
    private static final long WARM_UP_SEQ = 1_000_000_000L;

    private final Options options;
    private final PrintWriter out;
    private final Map<Long, Long> sentAt = new ConcurrentHashMap<>();
    private final Latencies alertOnSocket = new Latencies("index record → alert on WebSocket");
    private final Latencies alertOnWebhook = new Latencies("index record → webhook received (signed)");
    private final Latencies routerStage = new Latencies("  of which: index record → alert fired (router)");
    private final Latencies socketStage = new Latencies("  of which: alert fired → WebSocket");
    private final Latencies webhookStage = new Latencies("  of which: alert fired → webhook received");
    private final Latencies sceneOnSocket = new Latencies("scene window end → scene_index on WebSocket");
    private final Latencies transcriptOnSocket = new Latencies("end of utterance → transcript on WebSocket");
    private final Latencies audioOnSocket = new Latencies("audio window end → audio_index on WebSocket");
    private final AtomicLong socketAlerts = new AtomicLong();
    private final AtomicLong webhooks = new AtomicLong();
    private final AtomicLong lastSocketAlert = new AtomicLong();
    private final AtomicLong lastWebhook = new AtomicLong();
    private volatile boolean mediaPhase;
    /** Only records of the steady phase count for latency; the burst measures throughput. */
    private volatile boolean steadyPhase;

    PipelineBench(Options options, PrintWriter out) {
        this.options = options;
        this.out = out;
    }

    void run(Map<String, String> env) throws Exception {
        String loadBefore = loadAverage();
        Vertx receiverVertx = Vertx.vertx();
        HttpServer receiver = receiverVertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            long now = System.currentTimeMillis();
            JsonObject payload = new JsonObject(body);
            if (record(payload.getJsonObject("data").getString("text"), now, alertOnWebhook) && steadyPhase) {
                webhookStage.add(now - payload.getLong("timestamp"));
            }
            webhooks.incrementAndGet();
            lastWebhook.set(now);
            request.response().setStatusCode(204).end();
        })).listen(0, "127.0.0.1").await();
        try (DemoRun vigil = DemoRun.start(StandaloneConfig.from(env))) {
            RestClient rest = new RestClient(URI.create(vigil.standalone().httpUrl()), vigil.apiKey());
            String wsUrl = rest.ok("GET", "/collection/default/websocket", null).getString("websocket_url");
            try (SocketProbe socket = SocketProbe.connect(rest.http(), wsUrl, this::onFrame)) {
                String connection = socket.connectionId(Duration.ofSeconds(30));
                AlertTarget target = AlertTarget.create(rest, "http://127.0.0.1:" + receiver.actualPort() + "/hook", connection);
                try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                        new KafkaClients(StandaloneConfig.from(env).common()).producer("vigil-bench"),
                        new StringSerializer(), new ByteArraySerializer())) {
                    out.printf("Warming up the alert path…%n").flush();
                    warmUp(producer, target, rest);
                    out.printf("Alert path: %d records/s for %ds…%n", options.rate(), options.steady().toSeconds()).flush();
                    steady(producer, target);
                    out.printf("Alert path: burst of %d records…%n", options.burst()).flush();
                    double[] rates = burst(producer, target);
                    out.printf("Media paths: the demo clip through ingest and indexing for %ds…%n", options.media().toSeconds()).flush();
                    mediaPhase = true;
                    vigil.setUp(connection);
                    Thread.sleep(options.media().toMillis());
                    report(loadBefore, rates);
                }
            }
        } finally {
            receiverVertx.close().await();
        }
    }

    /** The stream, index, event and alert the synthetic records match. */
    private record AlertTarget(String rtstreamId, String collectionId, String indexId) {

        static AlertTarget create(RestClient rest, String callback, String connection) throws Exception {
            // A stream nobody ingests (stopped at once): its records come from the bench, not from media.
            JsonObject stream = rest.ok("POST", "/rtstream", new JsonObject().put("collection_id", "default")
                    .put("url", "rtsp://127.0.0.1:9/bench").put("name", "bench"));
            String rid = stream.getString("id");
            rest.ok("PATCH", "/rtstream/" + rid + "/status", new JsonObject().put("action", "stop"));
            String index = rest.ok("POST", "/rtstream/" + rid + "/transcription", new JsonObject().put("action", "start"))
                    .getString("rtstream_index_id");
            String event = rest.ok("POST", "/rtstream/event", new JsonObject().put("event_prompt", "bench: intruder")
                    .put("label", "bench").put("condition", "channel == \"transcript\" && transcript_norm.contains(\" intruder \")"))
                    .getString("event_id");
            rest.ok("POST", "/rtstream/" + rid + "/index/" + index + "/alert", new JsonObject().put("event_id", event)
                    .put("callback_url", callback).put("ws_connection_id", connection).put("cooldown_s", 0));
            return new AlertTarget(rid, stream.getString("collection_id", "default"), index);
        }
    }

    private void warmUp(KafkaProducer<String, byte[]> producer, AlertTarget target, RestClient rest) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        long seq = WARM_UP_SEQ; // apart from the measured ones
        while (socketAlerts.get() == 0 || webhooks.get() == 0) {
            if (System.nanoTime() > deadline) {
                String metrics = rest.call("GET", "/metrics", null).body().lines()
                        .filter(l -> l.startsWith("vigil_alert_router") || l.startsWith("vigil_webhook") || l.startsWith("vigil_ws"))
                        .filter(l -> !l.endsWith(" 0.0")).collect(java.util.stream.Collectors.joining("\n"));
                throw new IllegalStateException("no alert arrived within 120 s of the first matching record ("
                        + socketAlerts.get() + " on the WebSocket, " + webhooks.get() + " webhooks); metrics:\n" + metrics);
            }
            send(producer, target, seq++);
            Thread.sleep(200);
        }
        Thread.sleep(1_000);
        clear();
    }

    private void steady(KafkaProducer<String, byte[]> producer, AlertTarget target) throws Exception {
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / options.rate();
        long total = options.rate() * options.steady().toSeconds();
        long start = System.nanoTime();
        steadyPhase = true;
        for (long seq = 0; seq < total; seq++) {
            long due = start + seq * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            send(producer, target, seq);
        }
        awaitDeliveries(total, Duration.ofSeconds(30));
        steadyPhase = false;
    }

    /** @return {alerts per second on the WebSocket, webhooks per second} */
    private double[] burst(KafkaProducer<String, byte[]> producer, AlertTarget target) throws Exception {
        long first = options.rate() * options.steady().toSeconds();
        long socketBefore = socketAlerts.get();
        long hooksBefore = webhooks.get();
        long start = System.currentTimeMillis();
        for (long seq = first; seq < first + options.burst(); seq++) {
            send(producer, target, seq);
        }
        producer.flush();
        awaitDeliveries(socketBefore + options.burst(), Duration.ofSeconds(60), hooksBefore + options.burst());
        double socketRate = (socketAlerts.get() - socketBefore) * 1000.0 / Math.max(1, lastSocketAlert.get() - start);
        double hookRate = (webhooks.get() - hooksBefore) * 1000.0 / Math.max(1, lastWebhook.get() - start);
        return new double[] {socketRate, hookRate, socketAlerts.get() - socketBefore, webhooks.get() - hooksBefore};
    }

    private void awaitDeliveries(long expected, Duration timeout) throws InterruptedException {
        awaitDeliveries(expected, timeout, expected);
    }

    private void awaitDeliveries(long socketExpected, Duration timeout, long hooksExpected) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while ((socketAlerts.get() < socketExpected || webhooks.get() < hooksExpected) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private void send(KafkaProducer<String, byte[]> producer, AlertTarget target, long seq) {
        Instant now = Instant.now();
        TranscriptRecord record = TranscriptRecord.newBuilder()
                .setRtstreamId(target.rtstreamId()).setCollectionId(target.collectionId()).setIndexId(target.indexId())
                .setStart(now.minusMillis(1_500)).setEnd(now).setText("intruder number " + seq).setIsFinal(true)
                .setConfidence(0.9).setEngine("bench").setCaptureTs(now).setEmitTs(now).build();
        String topic = Topics.INDEX_TRANSCRIPT.name(Topics.DEFAULT_PREFIX);
        sentAt.put(seq, now.toEpochMilli());
        producer.send(new ProducerRecord<>(topic, target.rtstreamId(),
                Topics.INDEX_TRANSCRIPT.valueSerde().serializer().serialize(topic, record)));
    }

    private void onFrame(JsonObject frame, long arrival) {
        JsonObject data = frame.getJsonObject("data", new JsonObject());
        switch (frame.getString("channel", "")) {
            case "alert" -> {
                if (record(data.getString("text"), arrival, alertOnSocket)) {
                    Number fired = data.getNumber("timestamp");
                    Long sent = sentAt.get(seqOf(data.getString("text")));
                    if (steadyPhase && fired != null && sent != null) {
                        routerStage.add(fired.longValue() - sent);
                        socketStage.add(arrival - fired.longValue());
                    }
                    socketAlerts.incrementAndGet();
                    lastSocketAlert.set(arrival);
                }
            }
            case "scene_index" -> mediaLatency(data, arrival, sceneOnSocket);
            case "audio_index" -> mediaLatency(data, arrival, audioOnSocket);
            case "transcript" -> {
                if (data.getBoolean("is_final", true)) {
                    mediaLatency(data, arrival, transcriptOnSocket);
                }
            }
            default -> { }
        }
    }

    private void mediaLatency(JsonObject data, long arrival, Latencies latencies) {
        Number end = data.getNumber("end");
        if (mediaPhase && end != null) {
            latencies.add(arrival - end.longValue());
        }
    }

    private static long seqOf(String text) {
        Matcher m = SEQ.matcher(text == null ? "" : text);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Adds the latency of the bench record named in {@code text}; false for other alerts (the demo's). */
    private boolean record(String text, long arrival, Latencies latencies) {
        Matcher m = SEQ.matcher(text == null ? "" : text);
        if (!m.find()) {
            return false;
        }
        Long sent = sentAt.get(Long.parseLong(m.group(1)));
        if (sent != null && steadyPhase) {
            latencies.add(arrival - sent);
        }
        return true;
    }

    private void clear() {
        sentAt.clear();
        socketAlerts.set(0);
        webhooks.set(0);
    }

    private void report(String loadBefore, double[] burst) {
        out.printf("%nVigil pipeline benchmark — %s%n", machine());
        out.printf("Load average before: %s, after: %s%n%n", loadBefore, loadAverage());
        out.println(Latencies.header());
        for (Latencies l : new Latencies[] {alertOnSocket, alertOnWebhook, routerStage, socketStage, webhookStage,
                sceneOnSocket, transcriptOnSocket, audioOnSocket}) {
            out.println(l.row());
        }
        out.printf(Locale.ROOT, "%nSteady alert path: %d records/s for %ds → %d alerts on the WebSocket, %d webhooks "
                        + "(expected %d each).%n", options.rate(), options.steady().toSeconds(), alertOnSocket.count(),
                alertOnWebhook.count(), options.rate() * options.steady().toSeconds());
        out.printf(Locale.ROOT, "Burst of %d matching records: %.0f alerts/s on the WebSocket (%d delivered), %.0f webhooks/s"
                + " (%d delivered).%n", options.burst(), burst[0], (long) burst[2], burst[1], (long) burst[3]);
        out.flush();
    }

    public static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (Exception e) {
            // not Linux
        }
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() >> 30;
        return String.format(Locale.ROOT, "%d cores (%s), %d GiB, Java %s", Runtime.getRuntime().availableProcessors(), cpu,
                memory, Runtime.version());
    }

    public static String loadAverage() {
        return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
