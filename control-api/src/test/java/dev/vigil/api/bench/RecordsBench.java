package dev.vigil.api.bench;

import dev.vigil.testkit.TestSecrets;
import dev.vigil.api.ControlApiConfig;
import dev.vigil.api.ControlApiService;
import dev.vigil.api.records.RecordFilter;
import dev.vigil.api.records.RecordsStore;
import dev.vigil.api.records.bench.RecordsCorpus;
import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.common.kafka.TopicBootstrap;
import dev.vigil.kafka.embedded.EmbeddedKafka;
import dev.vigil.schemas.TopicDef;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.index.AudioRecord;
import dev.vigil.schemas.index.SceneRecord;
import dev.vigil.schemas.index.TranscriptRecord;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The records store at scale (issue 9): a million transcript, scene and audio records produced to
 * the index topics of an embedded broker, then
 * <ol>
 *   <li>indexing: a control API starts on an empty records directory and rebuilds the index from the
 *       topics; the time until it reports ready (every record read and searchable) gives the rate;</li>
 *   <li>freshness: single records with a unique word are produced while the API runs, and the store
 *       is polled until a search finds each one (produce acknowledged → searchable);</li>
 *   <li>search latency over real HTTP ({@code POST /rtstream/{id}/search}, one request at a time,
 *       random stream, one to four words from the corpus vocabulary), the same on the whole
 *       collection, and a transcription page ({@code GET /rtstream/{id}/transcription?since=…});</li>
 *   <li>index size on disk after the final commit, and the time a restart on that index takes to be
 *       ready again (it resumes from the offsets in the commit).</li>
 * </ol>
 * The texts come from {@link RecordsCorpus} (shared with {@code vigil bench --stage model}): pools of
 * {@code distinct} transcript sentences (and half / a quarter as many scene / sound descriptions) drawn
 * with a skewed choice and fixed seeds, so runs compare and each distinct text is embedded once (the
 * embedder's cache by text); every search is hybrid, queried with corpus words and with paraphrases.
 *
 * <p>Run it (from the repository root; prints a Markdown table with the machine facts):
 * <pre>
 * MAVEN_OPTS=-Xmx2g mvn -B -q -pl control-api -am test-compile -DskipTests -Dmaven.test.skip=false
 * MAVEN_OPTS=-Xmx2g mvn -B -q -pl control-api exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.vigil.api.bench.RecordsBench \
 *     -Dexec.args="records=1000000 streams=100 queries=1000 warmup=200 freshness=50 distinct=6000 vectorwait=600"
 * </pre>
 * (offline, name the plugin in full: {@code org.codehaus.mojo:exec-maven-plugin:3.5.1:java}), or with
 * {@code dependency:build-classpath} and plain {@code java} as {@link ControlApiBench} shows. Every
 * argument is optional ({@code key=value}); the defaults are those shown above.
 */
public final class RecordsBench {

    private static final String KEY = "bench-key-0123456789abcdef";
    private static final String TICKET_SECRET = "bench-ticket-secret-0123456789-abcdefghij";
    private static final String COLLECTION = "bench";
    private static final long T0 = 1_710_000_000_000L;

    private RecordsBench() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable e) {
            // Printed now and the JVM stopped: the API's threads would otherwise keep exec:java waiting, silent.
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        Map<String, Integer> options = new HashMap<>(Map.of("records", 1_000_000, "streams", 100, "queries", 1000,
                "warmup", 200, "freshness", 50, "distinct", RecordsCorpus.DEFAULT_DISTINCT, "vectorwait", 600));
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length != 2 || !options.containsKey(kv[0])) {
                throw new IllegalArgumentException("unknown argument '" + arg + "'; known: " + options.keySet() + " as key=value");
            }
            options.put(kv[0], Integer.parseInt(kv[1]));
        }
        int records = options.get("records");
        int streamCount = options.get("streams");
        int queries = options.get("queries");
        int warmup = options.get("warmup");
        int freshnessSamples = options.get("freshness");
        RecordsCorpus corpus = new RecordsCorpus(options.get("distinct"));
        String loadBefore = loadAverage();
        List<String> lines = new ArrayList<>();
        List<String> backlog = new ArrayList<>();
        Path work = Files.createTempDirectory("vigil-records-bench-");
        try (EmbeddedKafka broker = EmbeddedKafka.forTests().start()) {
            String prefix = "bench-vigil.";
            Map<String, String> env = env(broker, prefix, work.resolve("records-setup"));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                new TopicBootstrap(admin, CommonConfig.fromEnv(env)).ensure(Topics.ALL);
            }
            // 1. Streams through the API (the records endpoints check ownership against them).
            List<String> streams = new ArrayList<>();
            Vertx clientVertx = Vertx.vertx();
            WebClient client = WebClient.create(clientVertx);
            try {
            try (Instance setup = start(env)) {
                for (int i = 0; i < streamCount; i++) {
                    HttpResponse<Buffer> r = client.post(setup.port(), "127.0.0.1", "/rtstream").putHeader("x-access-token", KEY)
                            .sendJsonObject(new JsonObject().put("url", "rtsp://camera.example.com/" + i).put("name", "cam-" + i))
                            .await(30, TimeUnit.SECONDS);
                    streams.add(r.bodyAsJsonObject().getJsonObject("data").getString("id"));
                }
            }

            // 2. The records, produced as fast as the broker takes them.
            long producedIn = produce(broker, prefix, streams, records, corpus);
            lines.add(row("produce " + records + " records to the index topics (" + corpus.distinctTexts() + " distinct texts)",
                    producedIn, records));

            // 3. Rebuild: a fresh records directory, time to ready (every record searchable by words).
            Map<String, String> benchEnv = env(broker, prefix, work.resolve("records"));
            long started = System.nanoTime();
            Instance api = start(benchEnv);
            RecordsStore store = api.service().records();
            long nextSample = 0;
            while (!api.service().isReady()) {
                nextSample = sampleBacklog(store, started, nextSample, backlog);
                Thread.sleep(20);
            }
            long indexedIn = System.nanoTime() - started;
            lines.add(row("index " + store.indexedRecords() + " records from the topics (start → ready)", indexedIn,
                    store.indexedRecords()));
            // 3b. Vectors: the embedding thread runs behind the feed; time until every record has its vector.
            // Every record is queued, embedded from the cache or left to the scan by the time the store is
            // ready; the scan runs every 2 s, so wait for one that finds nothing (or give up at vectorwait).
            Thread.sleep(2_500);
            long vectorDeadline = started + TimeUnit.SECONDS.toNanos(options.get("vectorwait"));
            while (store.embeddingBacklog() > 0 && System.nanoTime() < vectorDeadline) {
                nextSample = sampleBacklog(store, started, nextSample, backlog);
                Thread.sleep(50);
            }
            long embeddedIn = System.nanoTime() - started;
            long left = store.embeddingBacklog();
            lines.add(row("embed " + store.embeddedRecords() + " records (start → every vector in; "
                    + store.deferredEmbeddings() + " via the missing-vector scan" + (left > 0 ? "; GAVE UP with " + left
                    + " still queued" : "") + ")", embeddedIn, store.embeddedRecords()));
            store.refreshNow();
            String memory = memory();

            // 4. Freshness: produce → searchable.
            long[] freshness = freshness(broker, prefix, store, streams.get(0), freshnessSamples);

            // 5. Search and listing latency over HTTP, one request at a time.
            Random random = new Random(7);
            int port = api.port();
            Map<String, long[]> latencies = new java.util.LinkedHashMap<>();
            IntFunction<String> oneStream = i -> "/rtstream/" + streams.get(random.nextInt(streams.size())) + "/search";
            IntFunction<String> collection = i -> "/rtstream/collection/default/search";
            // Query embeddings are cached by text like record texts; a query never seen before pays the model run.
            IntFunction<String> keyword = i -> corpus.keywordQuery(random);
            IntFunction<String> paraphrase = i -> corpus.paraphraseQuery(random);
            IntFunction<String> unseen = i -> corpus.paraphraseQuery(random) + " " + corpus.keywordQuery(random) + " " + i;
            latencies.put("one stream, keyword query", search(client, port, warmup, queries, oneStream, keyword));
            latencies.put("one stream, paraphrase query", search(client, port, warmup / 5, queries, oneStream, paraphrase));
            latencies.put("collection (" + streamCount + " streams), keyword query",
                    search(client, port, warmup / 5, queries, collection, keyword));
            latencies.put("collection (" + streamCount + " streams), paraphrase query",
                    search(client, port, warmup / 5, queries, collection, paraphrase));
            latencies.put("collection (" + streamCount + " streams), never-seen query (pays its embedding)",
                    search(client, port, 0, Math.max(1, queries / 5), collection, i -> unseen.apply(i + warmup)));
            long span = (long) records / streamCount * 2_000L;
            long[] listing = measure(warmup / 5, Math.max(1, queries / 3), i -> client.get(port, "127.0.0.1",
                    "/rtstream/" + streams.get(random.nextInt(streams.size())) + "/transcription?page_size=100&since="
                            + String.format(Locale.ROOT, "%.3f", (T0 + (long) (random.nextDouble() * span)) / 1000.0)).putHeader("x-access-token", KEY).send());
            latencies.put("GET /rtstream/{id}/transcription?since=… (page of 100)", listing);
            // The store alone (no HTTP, no JSON), to show what the transport adds.
            RecordFilter all = new RecordFilter(COLLECTION, new java.util.HashSet<>(streams), null, java.util.Set.of(), null,
                    null, null);
            long[] direct = new long[queries];
            for (int i = -warmup / 5; i < queries; i++) {
                long t = System.nanoTime();
                store.search(all, corpus.query(random), 10, 0).get(30, TimeUnit.SECONDS);
                if (i >= 0) {
                    direct[i] = System.nanoTime() - t;
                }
            }
            Arrays.sort(direct);
            latencies.put("RecordsStore.search, collection, keyword or paraphrase (no HTTP)", direct);
            long documents = store.documents();
            api.close();
            long size = directorySize(work.resolve("records"));

            // 6. Restart on the committed index.
            started = System.nanoTime();
            Instance again = start(benchEnv);
            while (!again.service().isReady()) {
                Thread.sleep(20);
            }
            long restartIn = System.nanoTime() - started;
            again.close();
            System.out.println(report(lines, backlog, memory, records, streamCount, documents, size, restartIn, freshness,
                    latencies, loadBefore, loadAverage()));
            } finally {
                // Non-daemon event-loop threads would keep the JVM (and exec:java) alive after a failure.
                client.close();
                clientVertx.close().await(10, TimeUnit.SECONDS);
            }
        } finally {
            deleteTree(work);
        }
    }

    /** Every 10 s: records indexed, with vectors, and waiting for one (the vector backlog over time). */
    private static long sampleBacklog(RecordsStore store, long started, long next, List<String> samples) {
        long elapsed = System.nanoTime() - started;
        if (elapsed < next) {
            return next;
        }
        samples.add(String.format(Locale.ROOT, "| %.0f s | %d | %d | %d | %d |", elapsed / 1e9, store.indexedRecords(),
                store.embeddedRecords(), store.embeddingBacklog(), store.deferredEmbeddings()));
        return next + TimeUnit.SECONDS.toNanos(10);
    }

    private static long[] search(WebClient client, int port, int warmup, int total, IntFunction<String> path,
            IntFunction<String> query) throws Exception {
        return measure(warmup, total, i -> client.post(port, "127.0.0.1", path.apply(i)).putHeader("x-access-token", KEY)
                .sendJsonObject(new JsonObject().put("query", query.apply(i))));
    }

    /** Heap in use after a full GC and the process's resident set. */
    private static String memory() {
        System.gc();
        java.lang.management.MemoryUsage heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        String rss = "unknown";
        try {
            rss = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                    .map(l -> l.substring(6).trim()).findFirst().orElse("unknown");
        } catch (IOException | RuntimeException e) {
            // not Linux: RSS unknown
        }
        return String.format(Locale.ROOT, "heap after GC %d MiB (of %d MiB max), RSS %s (broker, model and API in one JVM)",
                heap.getUsed() / 1048576, heap.getMax() / 1048576, rss);
    }

    /** A control API on its own Vert.x instance and HTTP port. */
    private record Instance(Vertx vertx, ControlApiService service, HttpServer server) implements AutoCloseable {
        int port() {
            return server.actualPort();
        }

        @Override
        public void close() throws Exception {
            server.close().await(10, TimeUnit.SECONDS);
            service.close();
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    private static Map<String, String> env(EmbeddedKafka broker, String prefix, Path recordsDir) {
        Map<String, String> env = new HashMap<>();
        env.put("VIGIL_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("VIGIL_TOPIC_PREFIX", prefix);
        env.put("VIGIL_TOPIC_PARTITIONS", "3");
        env.put("VIGIL_API_KEYS", KEY + "=" + COLLECTION);
        env.put("VIGIL_WS_TICKET_SECRET", TICKET_SECRET);
        env.put("VIGIL_SECRETS_KEYS", TestSecrets.KEYS);
        env.put("VIGIL_API_READ_BARRIER", "false");
        env.put("VIGIL_RECORDS_DIR", recordsDir.toString());
        // One request at a time as fast as answers come: above the default 100 a second per key (429).
        env.put("VIGIL_QUOTA_REQUESTS_PER_SECOND", "1000000");
        return env;
    }

    private static Instance start(Map<String, String> env) throws Exception {
        Vertx vertx = Vertx.vertx();
        ControlApiService service = new ControlApiService(vertx, CommonConfig.fromEnv(env),
                ControlApiConfig.from(ConfigValues.read(env, ControlApiConfig.SETTINGS)),
                TICKET_SECRET.getBytes(StandardCharsets.UTF_8));
        service.start();
        Router router = Router.router(vertx);
        service.mount(router);
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        return new Instance(vertx, service, server);
    }

    /** Produces {@code count} records round-robin over the streams: 70 % transcript, 20 % scene, 10 % audio. */
    private static long produce(EmbeddedKafka broker, String prefix, List<String> streams, int count, RecordsCorpus corpus) {
        Map<String, Object> config = new HashMap<>(new KafkaClients(CommonConfig.fromEnv(Map.of(
                "VIGIL_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers()))).producer("records-bench"));
        // Loading test data, not the alert path: batch for throughput.
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        Random random = new Random(42);
        Instant now = Instant.now();
        long started = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                String rid = streams.get(i % streams.size());
                long start = T0 + (long) (i / streams.size()) * 2_000L;
                Instant s = Instant.ofEpochMilli(start);
                Instant e = Instant.ofEpochMilli(start + 2_000);
                int kind = random.nextInt(10);
                if (kind < 7) {
                    send(producer, prefix, Topics.INDEX_TRANSCRIPT, rid, TranscriptRecord.newBuilder().setRtstreamId(rid)
                            .setCollectionId(COLLECTION).setIndexId("t" + rid.substring(rid.length() - 15)).setStart(s).setEnd(e)
                            .setText(corpus.sentence(random)).setConfidence(0.9).setEngine("bench").setCaptureTs(now).setEmitTs(now).build());
                } else if (kind < 9) {
                    RecordsCorpus.Text scene = corpus.scene(random);
                    send(producer, prefix, Topics.INDEX_SCENE, rid, SceneRecord.newBuilder().setRtstreamId(rid)
                            .setCollectionId(COLLECTION).setIndexId("s" + rid.substring(rid.length() - 15)).setStart(s).setEnd(e)
                            .setText(scene.text()).setLabels(scene.labels()).setEngine("bench").setCaptureTs(now).setEmitTs(now)
                            .build());
                } else {
                    RecordsCorpus.Text sound = corpus.sound(random);
                    send(producer, prefix, Topics.INDEX_AUDIO, rid, AudioRecord.newBuilder().setRtstreamId(rid)
                            .setCollectionId(COLLECTION).setIndexId("a" + rid.substring(rid.length() - 15)).setStart(s).setEnd(e)
                            .setText(sound.text()).setLabels(sound.labels()).setEngine("bench")
                            .setCaptureTs(now).setEmitTs(now).build());
                }
            }
            producer.flush();
        }
        return System.nanoTime() - started;
    }

    private static <V> void send(KafkaProducer<byte[], byte[]> producer, String prefix, TopicDef<String, V> def, String key, V value) {
        String topic = def.name(prefix);
        producer.send(new ProducerRecord<>(topic, def.keySerde().serializer().serialize(topic, key),
                def.valueSerde().serializer().serialize(topic, value)));
    }

    private static long[] freshness(EmbeddedKafka broker, String prefix, RecordsStore store, String rid, int samples)
            throws Exception {
        Map<String, Object> config = new KafkaClients(CommonConfig.fromEnv(Map.of(
                "VIGIL_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers()))).producer("records-bench-fresh");
        long[] latencies = new long[samples];
        RecordFilter filter = RecordFilter.stream(COLLECTION, rid);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < samples; i++) {
                String word = "fresh" + Integer.toString(i, 36) + "x" + Long.toString(System.nanoTime(), 36);
                Instant now = Instant.now();
                String topic = Topics.INDEX_TRANSCRIPT.name(prefix);
                long sent = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, Topics.INDEX_TRANSCRIPT.keySerde().serializer().serialize(topic, rid),
                        Topics.INDEX_TRANSCRIPT.valueSerde().serializer().serialize(topic, TranscriptRecord.newBuilder()
                                .setRtstreamId(rid).setCollectionId(COLLECTION).setIndexId("fresh")
                                .setStart(now).setEnd(now.plusSeconds(1)).setText("the word is " + word).setEngine("bench")
                                .setCaptureTs(now).setEmitTs(now).build()))).get();
                while (store.search(filter, word, 1, 0).get(30, TimeUnit.SECONDS).isEmpty()) {
                    if (System.nanoTime() - sent > TimeUnit.SECONDS.toNanos(30)) {
                        throw new IllegalStateException("record not searchable within 30 s");
                    }
                    Thread.sleep(1);
                }
                latencies[i] = System.nanoTime() - sent;
            }
        }
        Arrays.sort(latencies);
        return latencies;
    }

    private static long[] measure(int warmup, int total, IntFunction<io.vertx.core.Future<HttpResponse<Buffer>>> request)
            throws Exception {
        long[] latencies = new long[total];
        for (int i = -warmup; i < total; i++) {
            long t = System.nanoTime();
            HttpResponse<Buffer> r = request.apply(i).await(30, TimeUnit.SECONDS);
            if (r.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.bodyAsString());
            }
            if (i >= 0) {
                latencies[i] = System.nanoTime() - t;
            }
        }
        Arrays.sort(latencies);
        return latencies;
    }

    private static double percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    private static String row(String what, long nanos, long count) {
        return String.format(Locale.ROOT, "| %s | %.1f s | %.0f records/s |", what, nanos / 1e9, count / (nanos / 1e9));
    }

    private static String latencyRow(String what, long[] sorted) {
        return String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f |", what, sorted.length, percentile(sorted, 50),
                percentile(sorted, 95), percentile(sorted, 99), percentile(sorted, 100));
    }

    private static String report(List<String> lines, List<String> backlog, String memory, int records, int streams,
            long documents, long size, long restartIn, long[] freshness, Map<String, long[]> latencies, String loadBefore,
            String loadAfter) {
        StringBuilder b = new StringBuilder();
        b.append("\nVigil records store benchmark, ").append(Instant.now()).append('\n');
        b.append(String.format(Locale.ROOT, "machine: nproc=%d, cpu=%s, Java %s (%s), %s %s, max heap %d MiB%n",
                Runtime.getRuntime().availableProcessors(), cpuModel(), System.getProperty("java.version"),
                System.getProperty("java.vm.name"), System.getProperty("os.name"), System.getProperty("os.arch"),
                Runtime.getRuntime().maxMemory() / (1024 * 1024)));
        b.append(String.format(Locale.ROOT, "load average (1/5/15 min) before: %s, after: %s%n", loadBefore, loadAfter));
        b.append(String.format(Locale.ROOT, "setup: one embedded Kafka broker in this JVM, 3 partitions per topic; %d records over "
                + "%d streams (70%% transcript, 20%% scene, 10%% audio); searches one at a time over HTTP (Vert.x WebClient), "
                + "hybrid (BM25 + e5 vectors) as every search is%n%n", records, streams));
        b.append("| phase | time | rate |\n|---|---:|---:|\n");
        lines.forEach(l -> b.append(l).append('\n'));
        b.append(String.format(Locale.ROOT, "| restart on the committed index (start → ready) | %.1f s | |%n", restartIn / 1e9));
        b.append(String.format(Locale.ROOT, "%nindex: %d documents, %.1f MiB on disk (%.0f bytes/record); %s%n%n", documents,
                size / 1048576.0, (double) size / Math.max(1, documents), memory));
        b.append("| since start | indexed | with vector | vector backlog | via the scan |\n|---:|---:|---:|---:|---:|\n");
        backlog.forEach(l -> b.append(l).append('\n'));
        b.append("\n| latency | samples | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |\n|---|---:|---:|---:|---:|---:|\n");
        b.append(latencyRow("freshness: produce acked → found by search", freshness)).append('\n');
        latencies.forEach((what, sorted) -> b.append(latencyRow(what, sorted)).append('\n'));
        return b.toString();
    }

    private static long directorySize(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void deleteTree(Path path) {
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp directory
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
