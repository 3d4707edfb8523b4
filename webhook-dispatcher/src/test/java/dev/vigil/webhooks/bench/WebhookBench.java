package dev.vigil.webhooks.bench;

import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.ids.Ids;
import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.common.kafka.TopicBootstrap;
import dev.vigil.common.ops.MeterRegistries;
import dev.vigil.kafka.embedded.EmbeddedKafka;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.control.AlertBinding;
import dev.vigil.webhooks.WebhookDispatcherConfig;
import dev.vigil.webhooks.WebhookDispatcherService;
import dev.vigil.webhooks.testing.Fixtures;
import dev.vigil.testkit.TestSecrets;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.LoggerFactory;

/**
 * Webhook dispatcher benchmark, everything in one JVM: the embedded broker, the dispatcher and
 * {@value #ENDPOINTS} local receivers (Vert.x servers answering 200 at once), {@value #ALERTS}
 * alerts spread over them (one collection per receiver), 12 partitions.
 *
 * <ol>
 *   <li>Throughput: {@code bench.count} notifications (default 30,000) are written to
 *       {@code alerts.fired} first, then the dispatcher starts; deliveries per second from the first
 *       to the last webhook received (each delivery also writes its attempt to the delivery log and
 *       is committed).</li>
 *   <li>Latency: notifications written at {@code bench.rate}/s (default 500) for
 *       {@code bench.seconds} s (default 20); for each, the time from the producer's {@code send} to
 *       the receiver's request handler; p50/p90/p99/max after a 2 s warm-up.</li>
 * </ol>
 *
 * <p>Run (bounded, about a minute):
 * <pre>
 * cd /work/main
 * mvn -B -q -pl webhook-dispatcher test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
 * java -Xmx1g -cp webhook-dispatcher/target/test-classes:webhook-dispatcher/target/classes:$(cat webhook-dispatcher/target/bench.cp) \
 *     dev.vigil.webhooks.bench.WebhookBench
 * </pre>
 * Options: {@code -Dbench.count=30000 -Dbench.rate=500 -Dbench.seconds=20}.
 */
public final class WebhookBench {

    private static final int ENDPOINTS = 4;
    private static final int ALERTS = 16;

    private WebhookBench() {
    }

    public static void main(String[] args) {
        // A benchmark process: exit with a status either way, so a failure never leaves it hanging on
        // the broker's or the clients' threads.
        int status = 0;
        try {
            run();
        } catch (Exception | Error e) {
            LoggerFactory.getLogger(WebhookBench.class).error("Benchmark failed", e);
            status = 1;
        }
        System.exit(status);
    }

    private static void run() throws Exception {
        int count = Integer.getInteger("bench.count", 30_000);
        int rate = Integer.getInteger("bench.rate", 500);
        int seconds = Integer.getInteger("bench.seconds", 20);
        System.out.printf("Machine: %d cores, Java %s (%s), max heap %d MB%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().maxMemory() >> 20);

        Map<String, Long> arrivals = new ConcurrentHashMap<>();
        AtomicInteger received = new AtomicInteger();
        AtomicLong firstArrival = new AtomicLong();
        AtomicLong lastArrival = new AtomicLong();
        try (EmbeddedKafka broker = EmbeddedKafka.forTests().start()) {
            String prefix = "bench.";
            CommonConfig common = CommonConfig.fromEnv(Map.of("VIGIL_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "VIGIL_TOPIC_PREFIX", prefix, "VIGIL_TOPIC_PARTITIONS", "12", "VIGIL_INSTANCE_ID", "bench"));
            try (Admin admin = Admin.create(new KafkaClients(common).admin("bench"))) {
                new TopicBootstrap(admin, common).ensure(Topics.ALL);
                awaitLeaders(admin, prefix);
            }
            Vertx receiverVertx = Vertx.vertx();
            List<HttpServer> servers = new ArrayList<>();
            for (int i = 0; i < ENDPOINTS; i++) {
                servers.add(receiverVertx.createHttpServer().requestHandler(request -> {
                    long now = System.nanoTime();
                    String id = request.getHeader("webhook-id");
                    if (id != null && arrivals.putIfAbsent(id, now) == null) {
                        firstArrival.compareAndSet(0, now);
                        lastArrival.set(now);
                        received.incrementAndGet();
                    }
                    request.body().onComplete(b -> request.response().setStatusCode(200).end());
                }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS));
            }
            List<AlertBinding> alerts = new ArrayList<>();
            KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(broker), new StringSerializer(),
                    new ByteArraySerializer());
            String alertsTopic = Topics.ALERTS.name(prefix);
            for (int i = 0; i < ALERTS; i++) {
                String url = "http://127.0.0.1:" + servers.get(i % ENDPOINTS).actualPort() + "/hook/" + i;
                // One collection per endpoint: each tenant may hold half of VIGIL_WEBHOOK_MAX_PENDING in the
                // dispatcher, so the backlog is delivered from memory rather than deferred to the 5 s tier (a
                // single tenant's 30,000 would mostly be deferred: that is the isolation, not the throughput).
                AlertBinding alert = AlertBinding.newBuilder(Fixtures.alert(Ids.shortId(), url, Ids.webhookSecret()))
                        .setCollectionId(collection(i)).build();
                alerts.add(alert);
                producer.send(new ProducerRecord<>(alertsTopic, alert.getId(),
                        Topics.ALERTS.valueSerde().serializer().serialize(alertsTopic, alert)));
            }
            String fired = Topics.ALERTS_FIRED.name(prefix);
            for (int i = 0; i < count; i++) {
                AlertBinding alert = alerts.get(i % ALERTS);
                AlertNotification n = AlertNotification.newBuilder(Fixtures.notification(alert.getId(),
                        alert.getCallbackUrl(), "tp-" + i)).setCollectionId(alert.getCollectionId()).build();
                producer.send(new ProducerRecord<>(fired, alert.getId(), Topics.ALERTS_FIRED.valueSerde().serializer()
                        .serialize(fired, n)));
            }
            producer.flush();

            Vertx vertx = Vertx.vertx();
            WebhookDispatcherConfig config = WebhookDispatcherConfig.fromEnv(Map.of(
                    "VIGIL_WEBHOOK_ALLOW_PRIVATE_CALLBACKS", "true", "VIGIL_SECRETS_KEYS", TestSecrets.KEYS));
            WebhookDispatcherService service = new WebhookDispatcherService(vertx, common, config,
                    MeterRegistries.prometheus("bench"));
            long started = System.nanoTime();
            Map<String, Long> cpuBefore = CpuByThread.snapshot();
            long processCpuBefore = CpuByThread.processCpuNanos();
            service.start();
            long consuming = System.nanoTime();
            while (received.get() < count && System.nanoTime() - consuming < TimeUnit.SECONDS.toNanos(180)) {
                Thread.sleep(20);
            }
            long span = lastArrival.get() - firstArrival.get();
            long processCpu = CpuByThread.processCpuNanos() - processCpuBefore;
            System.out.printf("Throughput: %d of %d notifications delivered in %.2f s (first to last webhook) = %.0f deliveries/s"
                            + " (service start %.2f s)%n", received.get(), count, span / 1e9,
                    received.get() / (span / 1e9), (consuming - started) / 1e9);
            System.out.printf("CPU: %.0f us per delivery for the whole JVM (broker, dispatcher, receivers) = %.0f deliveries/s"
                            + " per fully available core; machine load average %.1f%n", processCpu / 1e3 / count,
                    1e9 * count / processCpu, java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                            .getSystemLoadAverage());
            Map<String, Long> cpuAfter = CpuByThread.snapshot();
            System.out.println("CPU by thread group (us per delivery): " + CpuByThread.perItem(cpuBefore, cpuAfter, count));
            System.out.println("Busiest threads (share of the run): "
                    + CpuByThread.busiest(cpuBefore, cpuAfter, System.nanoTime() - started));

            // Latency at a fixed rate.
            Map<String, Long> sent = new HashMap<>();
            List<String> ids = new ArrayList<>();
            long interval = TimeUnit.SECONDS.toNanos(1) / rate;
            int total = rate * seconds;
            long begin = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long due = begin + i * interval;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                AlertBinding alert = alerts.get(i % ALERTS);
                AlertNotification n = AlertNotification.newBuilder(Fixtures.notification(alert.getId(),
                        alert.getCallbackUrl(), "lat-" + i)).setCollectionId(alert.getCollectionId()).build();
                byte[] value = Topics.ALERTS_FIRED.valueSerde().serializer().serialize(fired, n);
                ids.add(n.getId());
                sent.put(n.getId(), System.nanoTime());
                producer.send(new ProducerRecord<>(fired, alert.getId(), value));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!ids.stream().allMatch(arrivals::containsKey) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            int warmup = rate * 2;
            long[] latencies = ids.subList(warmup, ids.size()).stream().filter(arrivals::containsKey)
                    .mapToLong(id -> arrivals.get(id) - sent.get(id)).sorted().toArray();
            int missing = (total - warmup) - latencies.length;
            System.out.printf("Latency at %d/s for %d s (%d measured after %d s warm-up, %d missing): p50 %.2f ms, "
                            + "p90 %.2f ms, p99 %.2f ms, max %.2f ms%n", rate, seconds, latencies.length, 2, missing,
                    pct(latencies, 50), pct(latencies, 90), pct(latencies, 99),
                    latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e6);

            producer.close();
            service.close();
            vertx.close().await(10, TimeUnit.SECONDS);
            receiverVertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    /** New partitions get their leader a moment after creation; writing earlier only retries. */
    private static void awaitLeaders(Admin admin, String prefix) throws Exception {
        List<String> names = Topics.ALL.stream().map(t -> t.name(prefix)).toList();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            boolean ready = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                    .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
            if (ready) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("topics have no leaders after 60 s");
    }

    private static Map<String, Object> producerConfig(EmbeddedKafka broker) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", broker.bootstrapServers());
        config.put("acks", "all");
        config.put("linger.ms", 0);
        // Fail the run rather than retry for ever if the broker cannot take writes.
        config.put("delivery.timeout.ms", 120_000);
        return config;
    }

    private static String collection(int alert) {
        return "bench-" + (alert % ENDPOINTS);
    }

    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }
}
