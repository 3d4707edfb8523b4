package dev.vigil.api.bench;

import dev.vigil.testkit.TestSecrets;
import dev.vigil.api.ControlApiConfig;
import dev.vigil.api.ControlApiService;
import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.kafka.TopicBootstrap;
import dev.vigil.kafka.embedded.EmbeddedKafka;
import dev.vigil.schemas.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Throughput and latency of the control API's hottest calls against a real (embedded) broker:
 * {@code POST /rtstream}, {@code GET /rtstream/{id}} with the read barrier on (the default: one
 * ListOffsets round trip per read) and the same GET on a second instance with
 * {@code VIGIL_API_READ_BARRIER=false}. Both instances share one set of topics on one
 * {@link EmbeddedKafka#forTests()} broker in this JVM; a Vert.x {@link WebClient} keeps a fixed number
 * of requests in flight. A bounded number of requests per phase, each phase after a warm-up.
 *
 * <p>Run it (from the repository root; prints a Markdown table with the machine facts):
 * <pre>
 * mvn -B -q -pl control-api test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.vigil.api.bench.ControlApiBench \
 *     -Dexec.args="creates=4000 reads=20000 concurrency=16 warmup=1000"
 * </pre>
 * (offline, where the {@code exec:} prefix cannot be resolved, name the plugin in full:
 * {@code org.codehaus.mojo:exec-maven-plugin:3.5.1:java}), or, without Maven in the measured JVM:
 * <pre>
 * mvn -B -q -pl control-api test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/cp.txt
 * java -cp control-api/target/test-classes:control-api/target/classes:$(cat /tmp/cp.txt) \
 *     dev.vigil.api.bench.ControlApiBench concurrency=8
 * </pre>
 * Every argument is optional ({@code key=value}); the defaults are those shown above.
 */
public final class ControlApiBench {

    private static final String KEY = "bench-key-0123456789abcdef";
    private static final String TICKET_SECRET = "bench-ticket-secret-0123456789-abcdefghij";
    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(5);

    private ControlApiBench() {
    }

    /** One measured phase. */
    record Result(String operation, int requests, int errors, double seconds, long[] latenciesNanos) {
        double throughput() {
            return requests / seconds;
        }

        double percentileMillis(double p) {
            if (latenciesNanos.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(p / 100.0 * latenciesNanos.length);
            return latenciesNanos[Math.max(0, Math.min(latenciesNanos.length - 1, rank - 1))] / 1e6;
        }
    }

    /** A control API on its own Vert.x instance and HTTP port. */
    private record Instance(Vertx vertx, ControlApiService service, HttpServer server) implements AutoCloseable {
        @Override
        public void close() throws TimeoutException {
            server.close().await(10, TimeUnit.SECONDS);
            service.close();
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, Integer> options = new HashMap<>(Map.of("creates", 4000, "reads", 20_000, "concurrency", 16, "warmup", 1000));
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length != 2 || !options.containsKey(kv[0])) {
                throw new IllegalArgumentException("unknown argument '" + arg + "'; known: " + options.keySet() + " as key=value");
            }
            options.put(kv[0], Integer.parseInt(kv[1]));
        }
        int creates = options.get("creates");
        int reads = options.get("reads");
        int concurrency = options.get("concurrency");
        int warmup = options.get("warmup");

        String loadBefore = loadAverage();
        List<Result> results = new ArrayList<>();
        try (EmbeddedKafka broker = EmbeddedKafka.forTests().start()) {
            String prefix = "bench-vigil.";
            Map<String, String> env = env(broker, prefix, Map.of());
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                new TopicBootstrap(admin, CommonConfig.fromEnv(env)).ensure(Topics.ALL);
            }
            Vertx clientVertx = Vertx.vertx();
            WebClient client = WebClient.create(clientVertx, new WebClientOptions().setKeepAlive(true),
                    new PoolOptions().setHttp1MaxSize(concurrency));
            try (Instance barrierOn = start(env);
                    Instance barrierOff = start(env(broker, prefix, Map.of("VIGIL_API_READ_BARRIER", "false")))) {
                int onPort = barrierOn.server().actualPort();
                int offPort = barrierOff.server().actualPort();
                ConcurrentLinkedQueue<String> created = new ConcurrentLinkedQueue<>();
                IntFunction<Future<HttpResponse<Buffer>>> create = i -> client.post(onPort, "127.0.0.1", "/rtstream")
                        .putHeader("x-access-token", KEY).putHeader("Content-Type", "application/json")
                        .sendBuffer(Buffer.buffer(new JsonObject().put("url", "rtsp://camera.example.com/" + i)
                                .put("name", "bench-" + i).encode()))
                        .onSuccess(r -> {
                            if (r.statusCode() == 201) {
                                created.add(r.bodyAsJsonObject().getJsonObject("data").getString("id"));
                            }
                        });
                results.add(measure("POST /rtstream (create)", create, 201, creates, warmup, concurrency));

                String[] ids = created.toArray(String[]::new);
                Random random = new Random(42);
                results.add(measure("GET /rtstream/{id}, read barrier on", i -> client
                        .get(onPort, "127.0.0.1", "/rtstream/" + ids[random.nextInt(ids.length)])
                        .putHeader("x-access-token", KEY).send(), 200, reads, warmup, concurrency));
                results.add(measure("GET /rtstream/{id}, read barrier off", i -> client
                        .get(offPort, "127.0.0.1", "/rtstream/" + ids[random.nextInt(ids.length)])
                        .putHeader("x-access-token", KEY).send(), 200, reads, warmup, concurrency));
            } finally {
                client.close();
                clientVertx.close().await(10, TimeUnit.SECONDS);
            }
        }
        System.out.println(table(results, concurrency, warmup, loadBefore, loadAverage()));
    }

    private static Map<String, String> env(EmbeddedKafka broker, String prefix, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("VIGIL_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("VIGIL_TOPIC_PREFIX", prefix);
        env.put("VIGIL_TOPIC_PARTITIONS", "3");
        env.put("VIGIL_API_KEYS", KEY + "=bench");
        env.put("VIGIL_WS_TICKET_SECRET", TICKET_SECRET);
        env.put("VIGIL_SECRETS_KEYS", TestSecrets.KEYS);
        env.putAll(extra);
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

    /**
     * Sends {@code warmup} unrecorded requests, then {@code total} recorded ones, keeping
     * {@code concurrency} in flight: each completion starts the next request.
     */
    private static Result measure(String operation, IntFunction<Future<HttpResponse<Buffer>>> request, int expectedStatus,
            int total, int warmup, int concurrency) throws InterruptedException {
        run(request, expectedStatus, warmup, concurrency, new long[warmup]);
        long[] latencies = new long[total];
        long started = System.nanoTime();
        int errors = run(request, expectedStatus, total, concurrency, latencies);
        double seconds = (System.nanoTime() - started) / 1e9;
        Arrays.sort(latencies);
        return new Result(operation, total, errors, seconds, latencies);
    }

    private static int run(IntFunction<Future<HttpResponse<Buffer>>> request, int expectedStatus, int total, int concurrency,
            long[] latencies) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(total);
        Runnable[] lane = new Runnable[1];
        lane[0] = () -> {
            int i = next.getAndIncrement();
            if (i >= total) {
                return;
            }
            long sent = System.nanoTime();
            request.apply(i).onComplete(ar -> {
                latencies[i] = System.nanoTime() - sent;
                if (ar.failed() || ar.result().statusCode() != expectedStatus) {
                    errors.incrementAndGet();
                }
                done.countDown();
                lane[0].run();
            });
        };
        for (int l = 0; l < Math.min(concurrency, total); l++) {
            lane[0].run();
        }
        if (!done.await(PHASE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("phase did not finish within " + PHASE_TIMEOUT + ": " + done.getCount() + " left");
        }
        return errors.get();
    }

    private static String table(List<Result> results, int concurrency, int warmup, String loadBefore, String loadAfter) {
        StringBuilder b = new StringBuilder();
        b.append("\nVigil control-api benchmark, ").append(Instant.now()).append('\n');
        b.append(String.format(Locale.ROOT, "machine: nproc=%d, cpu=%s, Java %s (%s), %s %s, max heap %d MiB%n",
                Runtime.getRuntime().availableProcessors(), cpuModel(), System.getProperty("java.version"),
                System.getProperty("java.vm.name"), System.getProperty("os.name"), System.getProperty("os.arch"),
                Runtime.getRuntime().maxMemory() / (1024 * 1024)));
        // Everything shares the machine's cores: a busy machine shows in every number.
        b.append(String.format(Locale.ROOT, "load average (1/5/15 min) before: %s, after: %s%n", loadBefore, loadAfter));
        b.append(String.format(Locale.ROOT,
                "setup: one embedded Kafka broker in this JVM, 3 partitions per topic; two control-api instances on one set "
                        + "of topics; Vert.x WebClient with %d requests in flight; %d warm-up requests per phase%n%n",
                concurrency, warmup));
        b.append("| operation | requests | errors | throughput (req/s) | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %d | %.0f | %.2f | %.2f | %.2f | %.2f |%n", r.operation(),
                    r.requests(), r.errors(), r.throughput(), r.percentileMillis(50), r.percentileMillis(95),
                    r.percentileMillis(99), r.percentileMillis(100)));
        }
        return b.toString();
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
