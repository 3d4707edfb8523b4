package dev.vigil.standalone.bench.model;

import dev.vigil.api.records.RecordFilter;
import dev.vigil.api.records.RecordsStore;
import dev.vigil.api.records.bench.RecordsCorpus;
import dev.vigil.common.ids.Ids;
import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.DesiredState;
import dev.vigil.schemas.control.MediaType;
import dev.vigil.schemas.control.RtStreamSpec;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code vigil bench --stage model}: what models cost on the alert and search paths, against a fake
 * OpenAI-compatible text model of fixed latency ({@link FixedLatencyModelServer}).
 *
 * <ol>
 *   <li>Judged alerts: a standalone Vigil with {@code VIGIL_MODEL_TEXT} on the fake; {@code events}
 *       judged events (prompts only a model can judge) each with an alert on one transcript index; a
 *       steady rate of transcript records → the signed webhook of every event. Reports record → alert
 *       fired (the router's timestamp) and → webhook received, p50/p99, against the model latency
 *       (target p50 ≤ latency + 50 ms), split around the model (record → the fake's receipt of the call;
 *       the fake's answer → alert fired), and model calls per record (target ≤ 1 whatever the number of
 *       judged events: the judge asks once per record for all of them). The streams are written stopped
 *       ({@link #stoppedStreams}): the bench feeds their index topics itself.</li>
 *   <li>Embedding cost per record of the search vectors ({@link EmbeddingCost}).</li>
 *   <li>Search at scale: {@code searchRecords} transcript records over {@code searchStreams} streams
 *       produced to the index topics, the records store's time to index them by words and to give each
 *       its vector, then searches over HTTP (p50/p99; target p99 ≤ 50 ms over 1M records / 100 streams).</li>
 * </ol>
 */
public final class ModelBench {

    /** Parameters of one run. */
    public record Options(Duration latency, int rate, Duration steady, int events, int embedRecords, int searchRecords,
            int searchStreams, int queries, Duration vectorWait) {
    }

    private static final Pattern SEQ = Pattern.compile("worker number (\\d+)");
    private static final String[] JUDGED_PROMPTS = {"Detect person without helmet", "a worker on the scaffold without a harness",
        "someone is being threatened", "a customer looks lost", "a spill on the floor", "a door left open at night",
        "a person carrying a ladder", "smoke near the loading dock"};
    private static final String MODEL = "bench-judge";
    /** The records-store benchmarks' texts (shared with control-api's RecordsBench). */
    private static final RecordsCorpus CORPUS = new RecordsCorpus();
    /** Warm-up records are numbered from here: their alerts never count. */
    private static final long WARM_UP_SEQ = 1_000_000_000L;

    private final Options options;
    private final PrintWriter out;
    private final Map<Long, Long> sentAt = new ConcurrentHashMap<>();
    private final List<Long> fired = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<Long> received = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Wall-clock time the fake model received the judge's call about each record. */
    private final Map<Long, Long> calledAt = new ConcurrentHashMap<>();
    /** Record sent → the model's call received: index topic, topology, judge topic, worker, model client. */
    private final List<Long> toCall = java.util.Collections.synchronizedList(new ArrayList<>());
    /** The model's answer sent → alert fired: model client, worker, cooldown, notification. */
    private final List<Long> afterAnswer = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong webhooks = new AtomicLong();
    private volatile boolean measuring;

    public ModelBench(Options options, PrintWriter out) {
        this.options = options;
        this.out = out;
    }

    /** Runs the stage on a private standalone Vigil configured by {@code env} (data dir, ports). */
    public void run(Map<String, String> baseEnv) throws Exception {
        String loadBefore = loadAverage();
        try (FixedLatencyModelServer model = FixedLatencyModelServer.start(options.latency(), MODEL, this::onModelCall)) {
            Map<String, String> env = new HashMap<>(baseEnv);
            env.put("VIGIL_MODEL_BASE_URL", model.baseUrl());
            env.put("VIGIL_MODEL_TEXT", MODEL);
            env.put("VIGIL_MODEL_CALLS_PER_MINUTE", "1000000");
            env.put("VIGIL_MODEL_CONCURRENCY", "32");
            // The judged stream, the demo's and the search corpus's streams in one collection.
            env.put("VIGIL_QUOTA_STREAMS", Integer.toString(options.searchStreams() + 10));
            Vertx receiverVertx = Vertx.vertx();
            HttpServer receiver = receiverVertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
                onWebhook(new JsonObject(body), System.currentTimeMillis());
                request.response().setStatusCode(204).end();
            })).listen(0, "127.0.0.1").await();
            try (DemoRun vigil = DemoRun.start(StandaloneConfig.from(env))) {
                RestClient rest = new RestClient(URI.create(vigil.standalone().httpUrl()), vigil.apiKey());
                try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                        new KafkaClients(StandaloneConfig.from(env).common()).producer("vigil-bench-model"),
                        new StringSerializer(), new ByteArraySerializer())) {
                    Target target = Target.create(rest, producer, "http://127.0.0.1:" + receiver.actualPort() + "/hook",
                            options.events());
                    out.printf("Model stage: warming up the judged alert path (model latency %d ms)…%n",
                            options.latency().toMillis()).flush();
                    warmUp(producer, target);
                    out.printf("Model stage: %d records/s for %ds, %d judged events…%n", options.rate(),
                            options.steady().toSeconds(), options.events()).flush();
                    long callsBefore = model.calls();
                    long connectionsBefore = model.connections();
                    long sent = steady(producer, target);
                    long calls = model.calls() - callsBefore;
                    double callsPerRecord = (double) calls / sent;
                    long connections = model.connections() - connectionsBefore;
                    out.printf("Model stage: embedding cost of %d records…%n", options.embedRecords()).flush();
                    EmbeddingCost.Result embedding = EmbeddingCost.measure(options.embedRecords());
                    out.printf("Model stage: search over %d records in %d streams…%n", options.searchRecords(),
                            options.searchStreams()).flush();
                    SearchScale search = searchScale(rest, producer, vigil.standalone().records(), env);
                    report(loadBefore, sent, callsPerRecord, calls, connections, embedding, search);
                }
            } finally {
                receiverVertx.close().await();
            }
        }
    }

    /** The judged stream, its transcript index and one alert per judged event. */
    private record Target(String rtstreamId, String indexId) {

        static Target create(RestClient rest, KafkaProducer<String, byte[]> producer, String callback, int events)
                throws Exception {
            String rid = stoppedStreams(rest, producer, List.of("bench-model")).get(0);
            String index = rest.ok("POST", "/rtstream/" + rid + "/transcription", new JsonObject().put("action", "start"))
                    .getString("rtstream_index_id");
            for (int i = 0; i < events; i++) {
                String prompt = JUDGED_PROMPTS[i % JUDGED_PROMPTS.length] + (i < JUDGED_PROMPTS.length ? "" : " (" + i + ")");
                String event = rest.ok("POST", "/rtstream/event", new JsonObject().put("event_prompt", prompt)
                        .put("label", "judged-" + i)).getString("event_id");
                rest.ok("POST", "/rtstream/" + rid + "/index/" + index + "/alert", new JsonObject().put("event_id", event)
                        .put("callback_url", callback).put("cooldown_s", 0));
            }
            return new Target(rid, index);
        }
    }

    private void warmUp(KafkaProducer<String, byte[]> producer, Target target) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        long seq = WARM_UP_SEQ;
        while (webhooks.get() == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no judged alert arrived within 120 s of the first record");
            }
            send(producer, target, seq++);
            Thread.sleep(200);
        }
        // The records sent while the path was cold are all judged and alerted now: let them drain.
        long seen = -1;
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (webhooks.get() != seen && System.nanoTime() < drainDeadline) {
            seen = webhooks.get();
            Thread.sleep(2_000);
        }
    }

    private long steady(KafkaProducer<String, byte[]> producer, Target target) throws Exception {
        long interval = TimeUnit.SECONDS.toNanos(1) / options.rate();
        long total = Math.max(1, options.rate() * options.steady().toSeconds());
        long expected = total * options.events();
        measuring = true;
        long start = System.nanoTime();
        for (long seq = 0; seq < total; seq++) {
            long wait = start + seq * interval - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            send(producer, target, seq);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30) + options.latency().toNanos() * 4;
        while (received.size() < expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        measuring = false;
        return total;
    }

    /**
     * Streams named {@code names} that exist for the API (indexes, alerts, search) but were never started:
     * written to {@code vigil.rtstreams} as control-api writes them, with the desired state STOPPED. The bench
     * feeds their index topics itself; created through the API they would start, try their (nonexistent)
     * sources and fill the output with reconnect warnings until stopped. Returns their ids once control-api
     * knows every one.
     */
    static List<String> stoppedStreams(RestClient rest, KafkaProducer<String, byte[]> producer, List<String> names)
            throws Exception {
        String topic = Topics.RTSTREAMS.name(Topics.DEFAULT_PREFIX);
        Instant now = Instant.now();
        List<String> ids = new ArrayList<>();
        List<java.util.concurrent.Future<?>> writes = new ArrayList<>();
        for (String name : names) {
            RtStreamSpec stream = RtStreamSpec.newBuilder()
                    .setId(Ids.rtstreamId())
                    .setCollectionId("default")
                    .setName(name)
                    .setUrl("rtsp://127.0.0.1:9/" + name)
                    .setMediaTypes(List.of(MediaType.VIDEO))
                    .setDesiredState(DesiredState.STOPPED)
                    .setCreatedAt(now)
                    .setUpdatedAt(now)
                    .build();
            ids.add(stream.getId());
            writes.add(producer.send(new ProducerRecord<>(topic, stream.getId(),
                    Topics.RTSTREAMS.valueSerde().serializer().serialize(topic, stream))));
        }
        for (java.util.concurrent.Future<?> write : writes) {
            write.get(30, TimeUnit.SECONDS);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (String id : ids) {
            while (rest.call("GET", "/rtstream/" + id, null).statusCode() != 200) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("control-api did not see stream " + id + " within 60 s");
                }
                Thread.sleep(50);
            }
        }
        return ids;
    }

    private void send(KafkaProducer<String, byte[]> producer, Target target, long seq) {
        Instant now = Instant.now();
        TranscriptRecord record = TranscriptRecord.newBuilder().setRtstreamId(target.rtstreamId()).setCollectionId("default")
                .setIndexId(target.indexId()).setStart(now.minusMillis(1_500)).setEnd(now)
                .setText("worker number " + seq + " climbs the scaffold without a helmet").setIsFinal(true).setConfidence(0.9)
                .setEngine("bench").setCaptureTs(now).setEmitTs(now).build();
        String topic = Topics.INDEX_TRANSCRIPT.name(Topics.DEFAULT_PREFIX);
        sentAt.put(seq, now.toEpochMilli());
        producer.send(new ProducerRecord<>(topic, target.rtstreamId(),
                Topics.INDEX_TRANSCRIPT.valueSerde().serializer().serialize(topic, record)));
    }

    private void onWebhook(JsonObject payload, long now) {
        webhooks.incrementAndGet();
        Matcher m = SEQ.matcher(payload.getJsonObject("data", new JsonObject()).getString("text", ""));
        if (!measuring || !m.find()) {
            return;
        }
        long seq = Long.parseLong(m.group(1));
        Long sent = sentAt.get(seq);
        if (sent != null && seq < WARM_UP_SEQ) {
            long firedAt = payload.getLong("timestamp", now);
            fired.add(firedAt - sent);
            received.add(now - sent);
            Long called = calledAt.get(seq);
            if (called != null) {
                toCall.add(called - sent);
                afterAnswer.add(firedAt - called - options.latency().toMillis());
            }
        }
    }

    private void onModelCall(String prompt, long arrivedAt) {
        Matcher m = SEQ.matcher(prompt);
        if (m.find()) {
            calledAt.putIfAbsent(Long.parseLong(m.group(1)), arrivedAt);
        }
    }

    /** Search at scale: numbers for the report. */
    record SearchScale(int records, int streams, long indexed, double wordsSeconds, long embedded, double vectorsSeconds,
            long[] latencies) {
    }

    private SearchScale searchScale(RestClient rest, KafkaProducer<String, byte[]> producer, RecordsStore store,
            Map<String, String> env) throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < options.searchStreams(); i++) {
            names.add("search-" + i);
        }
        List<String> streams = stoppedStreams(rest, producer, names);
        long indexedBefore = store.indexedRecords();
        long embeddedBefore = store.embeddedRecords();
        long t0 = System.nanoTime();
        produceCorpus(env, streams);
        while (store.indexedRecords() - indexedBefore < options.searchRecords()) {
            Thread.sleep(50);
        }
        double words = (System.nanoTime() - t0) / 1e9;
        long vectorDeadline = System.nanoTime() + options.vectorWait().toNanos();
        while (store.embeddedRecords() - embeddedBefore < options.searchRecords() && System.nanoTime() < vectorDeadline) {
            Thread.sleep(100);
        }
        long embedded = store.embeddedRecords() - embeddedBefore;
        double vectors = (System.nanoTime() - t0) / 1e9;
        store.refreshNow();
        Random random = new Random(11);
        int warmup = Math.max(1, options.queries() / 10);
        long[] latencies = new long[options.queries()];
        for (int i = -warmup; i < options.queries(); i++) {
            String rid = streams.get(random.nextInt(streams.size()));
            JsonObject query = new JsonObject().put("query", CORPUS.query(random));
            long t = System.nanoTime();
            rest.ok("POST", "/rtstream/" + rid + "/search", query);
            if (i >= 0) {
                latencies[i] = System.nanoTime() - t;
            }
        }
        Arrays.sort(latencies);
        return new SearchScale(options.searchRecords(), streams.size(), store.indexedRecords() - indexedBefore, words,
                embedded, vectors, latencies);
    }

    private void produceCorpus(Map<String, String> env, List<String> streams) {
        Map<String, Object> config = new HashMap<>(new KafkaClients(StandaloneConfig.from(env).common()).producer("vigil-bench-corpus"));
        // Loading test data, not the alert path: batch for throughput.
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        Random random = new Random(42);
        long t0 = 1_710_000_000_000L;
        Instant now = Instant.now();
        String topic = Topics.INDEX_TRANSCRIPT.name(Topics.DEFAULT_PREFIX);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < options.searchRecords(); i++) {
                String rid = streams.get(i % streams.size());
                Instant start = Instant.ofEpochMilli(t0 + (long) (i / streams.size()) * 2_000L);
                TranscriptRecord r = TranscriptRecord.newBuilder().setRtstreamId(rid).setCollectionId("default")
                        .setIndexId("search-" + rid.substring(rid.length() - 12)).setStart(start).setEnd(start.plusSeconds(2))
                        .setText(CORPUS.sentence(random)).setIsFinal(true).setConfidence(0.9).setEngine("bench")
                        .setCaptureTs(now).setEmitTs(now).build();
                producer.send(new ProducerRecord<>(topic, rid, Topics.INDEX_TRANSCRIPT.valueSerde().serializer().serialize(topic, r)));
            }
            producer.flush();
        }
    }

    private void report(String loadBefore, long sent, double callsPerRecord, long calls, long connections,
            EmbeddingCost.Result embedding, SearchScale search) {
        long latency = options.latency().toMillis();
        out.printf("%nVigil model stage — %d cores, Java %s%n", Runtime.getRuntime().availableProcessors(), Runtime.version());
        out.printf("Load average before: %s, after: %s%n%n", loadBefore, loadAverage());
        out.printf("| measure | value | target |%n|---|---|---|%n");
        out.printf(Locale.ROOT, "| model latency (fake OpenAI-compatible server) | %d ms | |%n", latency);
        out.printf(Locale.ROOT, "| record → judged alert fired, p50 / p99 (%d alerts) | %s / %s ms | p50 ≤ %d ms |%n",
                fired.size(), percentile(fired, 50), percentile(fired, 99), latency + 50);
        out.printf(Locale.ROOT, "| … of which record → model call received (topology, judge topic, worker, client), p50 / p99 | %s / %s ms | |%n",
                percentile(toCall, 50), percentile(toCall, 99));
        out.printf(Locale.ROOT, "| … of which model answer sent → alert fired (client, worker, cooldown), p50 / p99 | %s / %s ms | |%n",
                percentile(afterAnswer, 50), percentile(afterAnswer, 99));
        out.printf(Locale.ROOT, "| record → judged alert webhook received, p50 / p99 | %s / %s ms | |%n",
                percentile(received, 50), percentile(received, 99));
        out.printf(Locale.ROOT, "| model calls per record (%d records, %d judged events on the index) | %.2f | ≤ 1 |%n", sent,
                options.events(), callsPerRecord);
        out.printf(Locale.ROOT, "| model client: HTTP connections opened for %d calls (reused when far fewer) | %d | |%n", calls,
                connections);
        out.printf(Locale.ROOT, "| search embedding per record, before: MiniLM, unique texts one by one | %.2f ms | |%n",
                embedding.miniLmOneByOneMs());
        out.printf(Locale.ROOT, "| search embedding per record: e5, unique texts one by one / in batches of 16 | %.2f / %.2f ms | |%n",
                embedding.oneByOneMs(), embedding.batchedMs());
        out.printf(Locale.ROOT, "| search embedding per record: templated scene descriptions (cache hits %.0f %%) | %.3f ms | |%n",
                embedding.templatedCacheHits() * 100, embedding.templatedMs());
        out.printf(Locale.ROOT, "| records store: %d records indexed by words | %.1f s (%.0f records/s) | |%n", search.indexed(),
                search.wordsSeconds(), search.indexed() / search.wordsSeconds());
        out.printf(Locale.ROOT, "| records store: %d of %d records with their vector | %.1f s (%.0f records/s) | |%n",
                search.embedded(), search.records(), search.vectorsSeconds(), search.embedded() / search.vectorsSeconds());
        long[] l = search.latencies();
        out.printf(Locale.ROOT, "| search over HTTP, %d records / %d streams, p50 / p99 (%d queries) | %.1f / %.1f ms | p99 ≤ 50 ms at 1M / 100 |%n",
                search.records(), search.streams(), l.length, l[Math.max(0, l.length / 2 - 1)] / 1e6,
                l[Math.max(0, (int) Math.ceil(l.length * 0.99) - 1)] / 1e6);
        out.flush();
    }

    private static String percentile(List<Long> samples, double p) {
        List<Long> sorted;
        synchronized (samples) {
            sorted = new ArrayList<>(samples);
        }
        if (sorted.isEmpty()) {
            return "–";
        }
        sorted.sort(null);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return Long.toString(sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1))));
    }

    private static String loadAverage() {
        return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
