package dev.vigil.ws.bench;

import dev.vigil.common.auth.WsTickets;
import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.ids.Ids;
import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.common.kafka.TopicBootstrap;
import dev.vigil.kafka.embedded.EmbeddedKafka;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.IndexSpec;
import dev.vigil.schemas.control.IndexType;
import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.schemas.index.TranscriptRecord;
import dev.vigil.ws.WsGatewayConfig;
import dev.vigil.ws.WsGatewayService;
import dev.vigil.ws.feed.Channel;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Benchmark of the WebSocket gateway with 1,000 real WebSocket connections, everything in one JVM:
 * an embedded broker, the gateway (one HTTP server, so one event loop holds every connection, as in
 * {@code Main} and the standalone launcher), and the clients (their own Vert.x instance). Client,
 * server and broker share the machine's cores, so the figures are a lower bound for the gateway.
 *
 * <ol>
 *   <li><b>Fan-out throughput</b>: every connection subscribes to one stream; transcript records are
 *       produced to it at a few fixed rates; delivered frames per second, drops, and latency.</li>
 *   <li><b>Latency at 10k messages/s, targeted</b>: each connection gets its own stream and index
 *       ({@code ws_connection_id}); 10,000 records/s are spread over them (10 per connection and
 *       second).</li>
 *   <li><b>Latency at 10k messages/s, fan-out</b>: 10 records/s to the stream all 1,000 subscribe to.</li>
 *   <li><b>Reference</b>: the same fan-out with plain Vert.x (no Kafka, no gateway), to show what a
 *       WebSocket frame costs on this machine with the client in the same JVM.</li>
 * </ol>
 * Each phase also prints the JVM's CPU time per delivered frame (broker, gateway and clients together).
 * Latency is from just before {@code producer.send} to the client's frame handler ("Kafka→client",
 * including the produce and the broker), per message. Bounded: about a minute.
 *
 * <p>Run: {@code cd /work/main && mvn -B -q -o -pl ws-gateway test-compile exec:java
 * -Dexec.mainClass=dev.vigil.ws.bench.WsGatewayBench -Dexec.classpathScope=test}. Options (system
 * properties): {@code bench.connections} (1000), {@code bench.fanout.rates} (records/s, "100,200"),
 * {@code bench.seconds} per phase (5), {@code bench.latency.rate} (10000), {@code bench.phases}
 * ("fanout,targeted,fanout-latency,reference").
 */
public final class WsGatewayBench {

    private static final byte[] SECRET = "bench-ticket-secret-0123456789-abcdefghij".getBytes(StandardCharsets.UTF_8);
    private static final java.util.Set<String> PHASES = java.util.Set.of(
            System.getProperty("bench.phases", "fanout,targeted,fanout-latency,reference").split(","));
    private static final byte[] TEXT_KEY = "\"text\":\"".getBytes(StandardCharsets.US_ASCII);

    /** Send time per sequence number; each phase numbers its records from 0. */
    private final AtomicLongArray sentAt;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong systemFrames = new AtomicLong();
    private volatile LatencyHistogram latencies = new LatencyHistogram();

    private WsGatewayBench(int maxRecords) {
        this.sentAt = new AtomicLongArray(maxRecords);
    }

    public static void main(String[] args) throws Exception {
        int connections = Integer.getInteger("bench.connections", 1_000);
        int[] fanoutRates = Arrays.stream(System.getProperty("bench.fanout.rates", "100,200").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        int seconds = Integer.getInteger("bench.seconds", 5);
        int latencyRate = Integer.getInteger("bench.latency.rate", 10_000);
        System.out.printf("ws-gateway benchmark: %d connections; nproc=%d; Java %s (%s); heap max %d MB; "
                + "load average at start %.2f%n", connections, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), System.getProperty("java.vm.name"), Runtime.getRuntime().maxMemory() >> 20,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("Client, gateway and broker in one JVM on the same cores.");
        int maxRecords = Math.max(latencyRate * seconds * 2, Arrays.stream(fanoutRates).max().orElse(0) * seconds * 2);
        new WsGatewayBench(maxRecords).run(connections, fanoutRates, seconds, latencyRate);
        System.out.printf("Load average at the end: %.2f%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private void run(int connectionCount, int[] fanoutRates, int seconds, int latencyRate) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.forTests()) {
            kafka.start();
            Map<String, String> env = Map.of("VIGIL_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "VIGIL_INSTANCE_ID", "bench", "VIGIL_WS_MAX_CONNECTIONS", "5000");
            CommonConfig common = CommonConfig.fromEnv(env);
            KafkaClients clients = new KafkaClients(common);
            try (Admin admin = Admin.create(clients.admin("bench"))) {
                new TopicBootstrap(admin, common).ensure(Topics.ALL);
            }
            WsGatewayConfig config = WsGatewayConfig.from(ConfigValues.read(env, WsGatewayConfig.SETTINGS));
            Vertx serverVertx = Vertx.vertx();
            Vertx clientVertx = Vertx.vertx();
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            WsGatewayService gateway = new WsGatewayService(serverVertx, common, config, SECRET, registry);
            KafkaProducer<String, byte[]> producer = new KafkaProducer<>(clients.producer("bench"), new StringSerializer(),
                    new ByteArraySerializer());
            try {
                gateway.start();
                Router router = Router.router(serverVertx);
                gateway.mount(router);
                HttpServer server = serverVertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                        .await(10, TimeUnit.SECONDS);
                WebSocketClient client = clientVertx.createWebSocketClient(new WebSocketClientOptions()
                        .setMaxConnections(connectionCount * 2).setMaxFrameSize(65_536));
                List<ClientWebSocket> sockets = connect(client, server.actualPort(), connectionCount);
                List<String> ids = List.copyOf(connectionIds);
                System.out.printf("Connected %d WebSockets (gateway reports %d)%n", sockets.size(), gateway.connections());

                String shared = Ids.rtstreamId();
                subscribeAll(sockets, shared);
                System.out.print("Warm-up (JIT): ");
                fanout(producer, gateway, shared, Math.max(1, fanoutRates[0] / 2), seconds, connectionCount);
                if (PHASES.contains("fanout")) {
                    for (int rate : fanoutRates) {
                        fanout(producer, gateway, shared, rate, seconds, connectionCount);
                    }
                }
                if (PHASES.contains("targeted")) {
                    targeted(producer, gateway, ids, latencyRate, seconds);
                }
                if (PHASES.contains("fanout-latency")) {
                    fanoutLatency(producer, gateway, shared, latencyRate / connectionCount, seconds, connectionCount);
                }
                for (ClientWebSocket socket : sockets) {
                    socket.close();
                }
                if (PHASES.contains("reference")) {
                    floor(serverVertx, client, connectionCount, fanoutRates[0], seconds);
                }
                client.close().await(10, TimeUnit.SECONDS);
            } finally {
                producer.close(Duration.ofSeconds(5));
                gateway.close();
                clientVertx.close().await(10, TimeUnit.SECONDS);
                serverVertx.close().await(10, TimeUnit.SECONDS);
                registry.close();
            }
        }
    }

    private final List<String> connectionIds = new ArrayList<>();

    private List<ClientWebSocket> connect(WebSocketClient client, int port, int count) throws Exception {
        WsTickets tickets = new WsTickets(SECRET, Duration.ofMinutes(10), Clock.systemUTC());
        List<ClientWebSocket> sockets = new ArrayList<>();
        String[] ids = new String[count];
        // 50 handshakes in flight at a time.
        for (int start = 0; start < count; start += 50) {
            List<Future<?>> batch = new ArrayList<>();
            CountDownLatch hellos = new CountDownLatch(Math.min(50, count - start));
            for (int i = start; i < Math.min(count, start + 50); i++) {
                int n = i;
                ClientWebSocket ws = client.webSocket();
                ws.handler(frame -> {
                    if (ids[n] == null) {
                        ids[n] = new JsonObject(frame.toString(StandardCharsets.UTF_8)).getString("connection_id");
                        hellos.countDown();
                    } else {
                        onFrame(frame);
                    }
                });
                sockets.add(ws);
                batch.add(ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                        .setURI("/ws?ticket=" + tickets.issue("bench"))));
            }
            Future.all(batch).await(30, TimeUnit.SECONDS);
            if (!hellos.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("connected frames missing");
            }
        }
        connectionIds.addAll(Arrays.asList(ids));
        return sockets;
    }

    /** Client side, per frame: count it, and take the latency from the sequence number in data.text. */
    private void onFrame(Buffer frame) {
        int seq = sequence(frame);
        if (seq < 0) {
            systemFrames.incrementAndGet(); // a subscribe acknowledgement
            return;
        }
        long sent = sentAt.get(seq);
        latencies.record(System.nanoTime() - sent);
        received.incrementAndGet();
    }

    private static int sequence(Buffer frame) {
        int length = frame.length();
        outer:
        for (int i = 0; i + TEXT_KEY.length < length; i++) {
            for (int j = 0; j < TEXT_KEY.length; j++) {
                if (frame.getByte(i + j) != TEXT_KEY[j]) {
                    continue outer;
                }
            }
            int value = 0;
            for (int k = i + TEXT_KEY.length; k < length; k++) {
                byte b = frame.getByte(k);
                if (b < '0' || b > '9') {
                    return value;
                }
                value = value * 10 + (b - '0');
            }
        }
        return -1;
    }

    private void subscribeAll(List<ClientWebSocket> sockets, String stream) throws Exception {
        String request = new JsonObject().put("action", "subscribe").put("channels", new JsonArray().add("transcript"))
                .put("rtstream_ids", new JsonArray().add(stream)).encode();
        List<Future<Void>> sent = new ArrayList<>();
        for (ClientWebSocket socket : sockets) {
            sent.add(socket.writeTextMessage(request));
        }
        Future.all(sent).await(30, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (systemFrames.get() < sockets.size()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("subscriptions not acknowledged");
            }
            Thread.sleep(10);
        }
    }

    private static byte[] transcript(String stream, String index, int seq) {
        Instant now = Instant.now();
        TranscriptRecord record = TranscriptRecord.newBuilder().setRtstreamId(stream).setCollectionId("bench")
                .setIndexId(index).setStart(now).setEnd(now).setText(Integer.toString(seq)).setIsFinal(true)
                .setEngine("bench").setCaptureTs(now).setEmitTs(now).build();
        return Topics.INDEX_TRANSCRIPT.valueSerde().serializer().serialize("", record);
    }

    /**
     * Produces {@code rate} records/s for {@code seconds}; the record for sequence number {@code seq}
     * goes to {@code streams[seq % n]} / {@code indexes[seq % n]}. Returns the number produced.
     */
    private int produce(KafkaProducer<String, byte[]> producer, String topic, String[] streams, String[] indexes, int rate,
            int seconds) {
        int total = rate * seconds;
        // Send in 1 ms slices: parkNanos cannot pace single sends at 100 µs.
        long sliceNanos = 1_000_000;
        double perSlice = rate / 1_000.0;
        long start = System.nanoTime();
        int seq = 0;
        for (long slice = 0; seq < total; slice++) {
            long due = start + slice * sliceNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int upTo = (int) Math.min(total, Math.floor((slice + 1) * perSlice));
            for (; seq < upTo; seq++) {
                int target = seq % streams.length;
                byte[] value = transcript(streams[target], indexes[target], seq);
                sentAt.set(seq, System.nanoTime());
                producer.send(new ProducerRecord<>(topic, streams[target], value));
            }
        }
        producer.flush();
        return total;
    }

    private long cpuAtReset;

    private void reset() {
        received.set(0);
        latencies = new LatencyHistogram();
        cpuAtReset = processCpuNanos();
    }

    /** CPU time of the whole JVM (broker, gateway and clients) since {@link #reset()}, in ms. */
    private double cpuMillisSinceReset() {
        return (processCpuNanos() - cpuAtReset) / 1e6;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Waits until {@code expected} frames have arrived or nothing arrived for 2 s; returns the end time. */
    private long awaitReceived(long expected) throws InterruptedException {
        long last = -1;
        long lastChange = System.nanoTime();
        while (received.get() < expected && System.nanoTime() - lastChange < TimeUnit.SECONDS.toNanos(2)) {
            Thread.sleep(5);
            long now = received.get();
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            }
        }
        return System.nanoTime();
    }

    private void fanout(KafkaProducer<String, byte[]> producer, WsGatewayService gateway, String stream, int rate,
            int seconds, int connections) throws Exception {
        reset();
        double droppedBefore = gateway.metrics().droppedCount(Channel.TRANSCRIPT);
        String topic = Topics.INDEX_TRANSCRIPT.name(Topics.DEFAULT_PREFIX);
        long start = System.nanoTime();
        int records = produce(producer, topic, new String[] {stream}, new String[] {Ids.shortId()}, rate, seconds);
        long expected = (long) records * connections;
        long end = awaitReceived(expected);
        double elapsed = (end - start) / 1e9;
        double dropped = gateway.metrics().droppedCount(Channel.TRANSCRIPT) - droppedBefore;
        System.out.printf("Fan-out %d records/s x %d subscribers for %d s: delivered %d of %d frames in %.2f s = %.0f frames/s; "
                + "dropped (slow client) %.0f; latency %s; JVM CPU %.1f s (%.1f us per frame)%n", rate, connections, seconds,
                received.get(), expected, elapsed, received.get() / elapsed, dropped, latencies.summary(),
                cpuMillisSinceReset() / 1e3, cpuMillisSinceReset() * 1e3 / Math.max(1, received.get()));
    }

    /**
     * Reference: the same fan-out with plain Vert.x (a server writing one ~200-byte text frame to
     * every socket per tick, no Kafka, no routing) on the same machine, to separate the gateway's
     * cost from the cost of a WebSocket frame here.
     */
    private void floor(Vertx serverVertx, WebSocketClient client, int connections, int rate, int seconds) throws Exception {
        List<io.vertx.core.http.ServerWebSocket> serverSockets = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer plain = serverVertx.createHttpServer().webSocketHandler(serverSockets::add).listen(0, "127.0.0.1")
                .await(10, TimeUnit.SECONDS);
        AtomicLong frames = new AtomicLong();
        List<ClientWebSocket> sockets = new ArrayList<>();
        for (int start = 0; start < connections; start += 50) {
            List<Future<?>> batch = new ArrayList<>();
            for (int i = start; i < Math.min(connections, start + 50); i++) {
                ClientWebSocket ws = client.webSocket();
                ws.handler(b -> frames.incrementAndGet());
                sockets.add(ws);
                batch.add(ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(plain.actualPort()).setURI("/")));
            }
            Future.all(batch).await(30, TimeUnit.SECONDS);
        }
        while (serverSockets.size() < connections) {
            Thread.sleep(10);
        }
        String frame = new JsonObject().put("channel", "transcript").put("rtstream_id", Ids.rtstreamId())
                .put("rtstream_name", "cam 1").put("index_id", Ids.shortId())
                .put("data", new JsonObject().put("text", "12345").put("is_final", true).put("start", 1L).put("end", 2L))
                .encode();
        io.vertx.core.Context loop = serverVertx.getOrCreateContext();
        reset();
        long start = System.nanoTime();
        int records = rate * seconds;
        for (int r = 0; r < records; r++) {
            long due = start + r * (1_000_000_000L / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            loop.runOnContext(v -> {
                for (io.vertx.core.http.ServerWebSocket ws : serverSockets) {
                    if (!ws.writeQueueFull()) {
                        ws.writeTextMessage(frame);
                    }
                }
            });
        }
        long expected = (long) records * connections;
        long lastChange = System.nanoTime();
        long last = -1;
        while (frames.get() < expected && System.nanoTime() - lastChange < TimeUnit.SECONDS.toNanos(2)) {
            Thread.sleep(5);
            if (frames.get() != last) {
                last = frames.get();
                lastChange = System.nanoTime();
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf("Reference, plain Vert.x fan-out %d frames/tick x %d ticks/s for %d s (no Kafka, no gateway): "
                + "%d of %d frames in %.2f s = %.0f frames/s; JVM CPU %.1f s (%.1f us per frame)%n", connections, rate,
                seconds, frames.get(), expected, elapsed, frames.get() / elapsed, cpuMillisSinceReset() / 1e3,
                cpuMillisSinceReset() * 1e3 / Math.max(1, frames.get()));
        for (ClientWebSocket socket : sockets) {
            socket.close();
        }
        plain.close().await(10, TimeUnit.SECONDS);
    }

    private void fanoutLatency(KafkaProducer<String, byte[]> producer, WsGatewayService gateway, String stream,
            int recordsPerSecond, int seconds, int connections) throws Exception {
        reset();
        String topic = Topics.INDEX_TRANSCRIPT.name(Topics.DEFAULT_PREFIX);
        int records = produce(producer, topic, new String[] {stream}, new String[] {Ids.shortId()}, recordsPerSecond,
                seconds * 2);
        awaitReceived((long) records * connections);
        System.out.printf("Latency, fan-out %d records/s x %d subscribers = %d messages/s for %d s: %s%n",
                recordsPerSecond, connections, recordsPerSecond * connections, seconds * 2, latencies.summary());
    }

    private void targeted(KafkaProducer<String, byte[]> producer, WsGatewayService gateway, List<String> connectionIds,
            int rate, int seconds) throws Exception {
        int n = connectionIds.size();
        String[] streams = new String[n];
        String[] indexes = new String[n];
        String indexTopic = Topics.INDEXES.name(Topics.DEFAULT_PREFIX);
        String streamTopic = Topics.RTSTREAMS.name(Topics.DEFAULT_PREFIX);
        Instant now = Instant.now();
        for (int i = 0; i < n; i++) {
            streams[i] = Ids.rtstreamId();
            indexes[i] = Ids.shortId();
            RtStreamSpec stream = RtStreamSpec.newBuilder().setId(streams[i]).setCollectionId("bench").setName("cam " + i)
                    .setUrl("rtsp://bench/" + i).setCreatedAt(now).setUpdatedAt(now).build();
            IndexSpec index = IndexSpec.newBuilder().setId(indexes[i]).setRtstreamId(streams[i]).setCollectionId("bench")
                    .setIndexType(IndexType.TRANSCRIPT).setExtractionConfig(new HashMap<>())
                    .setWsConnectionId(connectionIds.get(i)).setCreatedAt(now).setUpdatedAt(now).build();
            producer.send(new ProducerRecord<>(streamTopic, streams[i],
                    Topics.RTSTREAMS.valueSerde().serializer().serialize(streamTopic, stream)));
            producer.send(new ProducerRecord<>(indexTopic, indexes[i],
                    Topics.INDEXES.valueSerde().serializer().serialize(indexTopic, index)));
        }
        producer.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Arrays.stream(indexes).anyMatch(id -> gateway.directory().index(id) == null)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gateway did not learn the benchmark's indexes");
            }
            Thread.sleep(10);
        }
        reset();
        String topic = Topics.INDEX_TRANSCRIPT.name(Topics.DEFAULT_PREFIX);
        long start = System.nanoTime();
        int records = produce(producer, topic, streams, indexes, rate, seconds * 2);
        long end = awaitReceived(records);
        System.out.printf("Latency, targeted %d records/s spread over %d connections (ws_connection_id) for %d s: "
                + "delivered %d of %d (%.0f messages/s); %s%n", rate, n, seconds * 2, received.get(), records,
                received.get() / ((end - start) / 1e9), latencies.summary());
    }
}
