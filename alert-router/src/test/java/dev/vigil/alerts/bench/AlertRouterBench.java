package dev.vigil.alerts.bench;

import dev.vigil.alerts.AlertRouterConfig;
import dev.vigil.alerts.AlertRouterService;
import dev.vigil.alerts.evaluate.AlertMatcher;
import dev.vigil.alerts.evaluate.ConditionCache;
import dev.vigil.alerts.evaluate.Match;
import dev.vigil.alerts.metrics.RouterMetrics;
import dev.vigil.alerts.record.IndexRecord;
import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.common.kafka.TopicBootstrap;
import dev.vigil.common.ops.MeterRegistries;
import dev.vigil.kafka.embedded.EmbeddedKafka;
import dev.vigil.rules.RuleCompiler;
import dev.vigil.rules.cel.ConditionCompiler;
import dev.vigil.rules.record.NormalisedRecord;
import dev.vigil.schemas.TopicDef;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.control.AlertBinding;
import dev.vigil.schemas.control.AlertStatus;
import dev.vigil.schemas.control.EventRule;
import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.schemas.index.AudioRecord;
import dev.vigil.schemas.index.SceneRecord;
import dev.vigil.schemas.index.TranscriptRecord;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Not a test: the alert-router's latency and throughput benchmark.
 *
 * <ol>
 *   <li><b>Raw evaluation, one thread</b>: the router's own {@link AlertMatcher} (normalise once per
 *       record, then every alert of the record's index: status, tenant, event lookup, compiled
 *       condition) over the same alerts and record mix as below, without Kafka: evaluations per second
 *       on one core.</li>
 *   <li><b>End to end</b>: an {@link EmbeddedKafka} broker in this JVM, the Vigil topics (12
 *       partitions by default), 100 streams × 3 indexes (scene, audio, transcript), 10 events compiled from
 *       prompts, 1,000 alerts (10 per stream; cooldown 0 so every match is notified), the
 *       {@link AlertRouterService}, a producer writing index records at a fixed rate and a consumer on
 *       {@code vigil.alerts.fired}. Latency = a record's send by the producer to the arrival of its
 *       notification at the consumer (same JVM, {@code System.nanoTime}), over the records sent after
 *       the warm-up. Also printed, to tell where time goes: the producer's send → ack latency, the
 *       evaluations per stream-thread CPU second, CPU by thread group (broker, router, load
 *       generator) and what the stream threads were doing (stack samples every 5 ms).</li>
 * </ol>
 *
 * <p>Everything shares one JVM and the machine: on a 2-core machine busy with other work the
 * figures measure the contention more than the router (the load average is printed for that reason).
 *
 * <p>Run (arguments: measured seconds, records per second, stream threads, partitions per topic;
 * defaults 20 5000 1 12):
 * <pre>
 * cd /work/main
 * mvn -B -q test-compile exec:java -pl alert-router -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.vigil.alerts.bench.AlertRouterBench -Dexec.args="20 5000 1 12 exactly_once_v2 read_uncommitted"
 * </pre>
 */
public final class AlertRouterBench {

    private static final String COLLECTION = "bench";
    private static final int STREAMS = 100;
    /** Long enough for the JIT to settle: on 2 cores C2 keeps compiling well after the first seconds. */
    private static final Duration WARM_UP = Duration.ofSeconds(15);
    private static final Instant MEDIA_T0 = Instant.parse("2026-03-01T00:00:00Z");

    /** Prompts of the 10 events, and the index kind each goes on. */
    private static final String[][] EVENTS = {
        {"scene", "intruder", "Detect intruder"},
        {"scene", "group", "a group of people"},
        {"scene", "crowd", "a crowd"},
        {"scene", "covered", "camera covered"},
        {"scene", "dark", "dark"},
        {"audio", "alarm", "fire alarm"},
        {"audio", "scream", "loud noise or scream"},
        {"audio", "gunshot", "gunshot or glass breaking"},
        {"transcript", "help", "someone says 'help'"},
        {"transcript", "fire", "someone says 'fire'"},
    };

    private AlertRouterBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int partitions = args.length > 3 ? Integer.parseInt(args[3]) : Topics.DEFAULT_PARTITIONS;
        String guarantee = args.length > 4 ? args[4] : AlertRouterConfig.PROCESSING_GUARANTEE.defaultValue()
                .orElseThrow().streamsValue();
        boolean readCommitted = args.length > 5 && args[5].equals("read_committed");
        // Avro 1.12 lets builders instantiate generated enums only once the catalogue's serdes have
        // trusted them (schemas' TrustedTypes): create the serdes before the first builder.
        java.util.Objects.requireNonNull(Topics.ALL);
        Layout layout = Layout.create();

        System.out.printf(Locale.ROOT, "Machine: %d cores (nproc), Java %s (%s), load average at start %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("java.vm.name"), loadAverage());
        rawEvaluation(layout);
        endToEnd(layout, seconds, rate, threads, partitions, guarantee, readCommitted);
        System.exit(0); // a benchmark main: do not wait for stray non-daemon threads of the libraries
    }

    // ---------------------------------------------------------------- raw evaluation, one thread

    private static void rawEvaluation(Layout layout) {
        RouterMetrics metrics = RouterMetrics.unregistered();
        AlertMatcher matcher = new AlertMatcher(new ConditionCache(new ConditionCompiler(), metrics), metrics);
        Generator generator = new Generator(layout, 42);
        List<IndexRecord> records = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            records.add(generator.next().record());
        }
        List<Match> out = new ArrayList<>();
        runRaw(matcher, layout, records, out, TimeUnit.SECONDS.toNanos(5)); // warm-up
        long[] result = runRaw(matcher, layout, records, out, TimeUnit.SECONDS.toNanos(10));
        double secondsTaken = result[2] / 1e9;
        System.out.printf(Locale.ROOT, "Raw evaluation, one thread: %,.0f evaluations/s (%,.0f records/s, %.1f alerts "
                        + "per record, %.2f matches per record), normalisation included%n",
                result[1] / secondsTaken, result[0] / secondsTaken, (double) result[1] / result[0],
                (double) result[3] / result[0]);
    }

    /** {records, evaluations, nanos, matches}. */
    private static long[] runRaw(AlertMatcher matcher, Layout layout, List<IndexRecord> records, List<Match> out,
            long nanos) {
        long count = 0;
        long evaluations = 0;
        long matches = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            for (IndexRecord record : records) {
                List<AlertBinding> alerts = layout.alertsByIndex.get(record.indexId());
                NormalisedRecord normalised = record.normalise();
                out.clear();
                matcher.match(record, normalised, alerts, layout.events::get, out);
                evaluations += alerts.size();
                matches += out.size();
                count++;
            }
            elapsed = System.nanoTime() - start;
        } while (elapsed < nanos);
        return new long[] {count, evaluations, elapsed, matches};
    }

    // ---------------------------------------------------------------- end to end

    private static void endToEnd(Layout layout, int seconds, int rate, int threads, int partitions, String guarantee,
            boolean readCommitted) throws Exception {
        Path stateDir = Files.createTempDirectory("vigil-alert-router-bench");
        try (EmbeddedKafka broker = EmbeddedKafka.forTests().start()) {
            String prefix = "bench.";
            CommonConfig common = CommonConfig.fromEnv(Map.of("VIGIL_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "VIGIL_TOPIC_PREFIX", prefix, "VIGIL_INSTANCE_ID", "bench",
                    "VIGIL_TOPIC_PARTITIONS", Integer.toString(partitions)));
            System.out.printf(Locale.ROOT, "Topics with %d partitions, %d stream thread(s), %s, receiver %s%n", partitions,
                    threads, guarantee, readCommitted ? "read_committed" : "read_uncommitted");
            KafkaClients clients = new KafkaClients(common);
            try (Admin admin = Admin.create(clients.admin("bench"))) {
                new TopicBootstrap(admin, common).ensure(Topics.ALL);
                awaitLeaders(admin, Topics.ALL.stream().map(t -> t.name(prefix)).toList());
            }
            // The control records go through a producer without idempotence: right after topic creation a
            // partition may answer NOT_LEADER to a batch it half took, and an idempotent producer then
            // retries it for ever with OUT_OF_ORDER_SEQUENCE (seen on a loaded machine). A duplicate in a
            // compacted control topic is harmless.
            Map<String, Object> setupConfig = clients.producer("bench-setup");
            setupConfig.put(org.apache.kafka.clients.producer.ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
            try (KafkaProducer<String, byte[]> setup = new KafkaProducer<>(setupConfig, new StringSerializer(),
                    new ByteArraySerializer())) {
                layout.events.forEach((id, e) -> send(setup, prefix, Topics.EVENTS, id, e));
                layout.streams.forEach(s -> send(setup, prefix, Topics.RTSTREAMS, s.getId(), s));
                layout.alerts.forEach(a -> send(setup, prefix, Topics.ALERTS, a.getId(), a));
                setup.flush();
            }
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(clients.producer("bench-producer"),
                    new StringSerializer(), new ByteArraySerializer())) {

                PrometheusMeterRegistry registry = MeterRegistries.prometheus("bench");
                AlertRouterConfig config = AlertRouterConfig.from(ConfigValues.read(
                        Map.of("VIGIL_ALERT_ROUTER_STREAM_THREADS", Integer.toString(threads),
                                "VIGIL_ALERT_ROUTER_PROCESSING_GUARANTEE", guarantee),
                        AlertRouterConfig.serviceSettings())).withStateDir(stateDir);
                try (AlertRouterService router = new AlertRouterService(common, config, registry);
                        Receiver receiver = new Receiver(clients, prefix, readCommitted)) {
                    router.start();
                    receiver.start();
                    run(layout, producer, prefix, receiver, registry, seconds, rate);
                }
            }
        } finally {
            deleteRecursively(stateDir);
        }
    }

    private static void run(Layout layout, KafkaProducer<String, byte[]> producer, String prefix, Receiver receiver,
            PrometheusMeterRegistry registry, int seconds, int rate) throws InterruptedException {
        Generator generator = new Generator(layout, 7);
        long intervalNanos = 1_000_000_000L / rate;
        long warmUpNanos = WARM_UP.toNanos();
        long totalNanos = warmUpNanos + TimeUnit.SECONDS.toNanos(seconds);
        ThreadMXBean threadsBean = ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        long measuredFrom = start + warmUpNanos;
        long sent = 0;
        long measuredSent = 0;
        long streamCpuAtMeasureStart = -1;
        Map<String, Long> threadCpuAtMeasureStart = Map.of();
        StackSampler sampler = new StackSampler(threadsBean);
        List<Long> ackMicros = new ArrayList<>();
        double evaluationsAtMeasureStart = 0;
        long processCpuAtMeasureStart = 0;
        long maxLagNanos = 0;
        while (true) {
            long due = start + sent * intervalNanos;
            long now = System.nanoTime();
            if (due - start >= totalNanos) {
                break;
            }
            if (now < due) {
                LockSupport.parkNanos(due - now);
                continue;
            }
            maxLagNanos = Math.max(maxLagNanos, now - due); // how far the sender itself fell behind schedule
            boolean measured = due >= measuredFrom;
            if (measured && streamCpuAtMeasureStart < 0) {
                sampler.start();
                threadCpuAtMeasureStart = threadCpu(threadsBean);
                streamCpuAtMeasureStart = streamThreadCpu(threadsBean);
                evaluationsAtMeasureStart = evaluations(registry);
                processCpuAtMeasureStart = processCpu();
            }
            Generated g = generator.next();
            String recordKey = g.record().indexId() + ":" + g.record().start().toEpochMilli();
            if (measured) {
                receiver.expect(recordKey, System.nanoTime());
                measuredSent++;
            }
            long sendNanos = System.nanoTime();
            producer.send(new ProducerRecord<>(g.topic().name(prefix), g.record().rtstreamId(), g.bytes(prefix)),
                    !measured ? null : (metadata, error) -> {
                        synchronized (ackMicros) {
                            ackMicros.add((System.nanoTime() - sendNanos) / 1_000);
                        }
                    });
            sent++;
        }
        long measureEnd = System.nanoTime();
        sampler.stop();
        long streamCpu = streamThreadCpu(threadsBean) - streamCpuAtMeasureStart;
        double evaluations = evaluations(registry) - evaluationsAtMeasureStart;
        long processCpu = processCpu() - processCpuAtMeasureStart;
        Map<String, Long> threadCpuAtEnd = threadCpu(threadsBean);
        receiver.awaitQuiet(Duration.ofSeconds(3), Duration.ofSeconds(30));
        double measuredSeconds = (measureEnd - measuredFrom) / 1e9;

        long[] latencies = receiver.latenciesMicros();
        Arrays.sort(latencies);
        System.out.printf(Locale.ROOT, "End to end: %d alerts, %d streams, %d s warm-up + %d s measured at %d records/s "
                        + "(%,d sent in the window, %.0f/s achieved, sender at most %.1f ms behind schedule)%n",
                layout.alerts.size(), STREAMS, WARM_UP.toSeconds(), seconds, rate, measuredSent,
                measuredSent / measuredSeconds, maxLagNanos / 1e6);
        System.out.printf(Locale.ROOT, "  notifications received for window records: %,d (%.0f/s); unmatched arrivals %d%n",
                latencies.length, latencies.length / measuredSeconds, receiver.unknown.get());
        System.out.printf(Locale.ROOT, "  record sent -> notification received: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, "
                        + "p99.9 %.2f ms, max %.2f ms%n",
                percentile(latencies, 50), percentile(latencies, 95), percentile(latencies, 99),
                percentile(latencies, 99.9), latencies.length == 0 ? Double.NaN : latencies[latencies.length - 1] / 1e3);
        long[] acks;
        synchronized (ackMicros) {
            acks = ackMicros.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        System.out.printf(Locale.ROOT, "  of which index record send -> broker ack (acks=all): p50 %.2f ms, p99 %.2f ms%n",
                percentile(acks, 50), percentile(acks, 99));
        System.out.printf(Locale.ROOT, "  stream threads: %,.0f evaluations in the window, %.2f s of stream-thread CPU "
                        + "-> %,.0f evaluations per stream-thread CPU second (Kafka work included); whole JVM "
                        + "(broker, producer, consumer, router) used %.2f cores%n",
                evaluations, streamCpu / 1e9, evaluations / (streamCpu / 1e9), processCpu / 1e9 / measuredSeconds);
        System.out.printf(Locale.ROOT, "  CPU by thread group in the window (cores):");
        Map<String, Long> byGroup = new java.util.TreeMap<>();
        Map<String, Long> atStart = threadCpuAtMeasureStart;
        threadCpuAtEnd.forEach((name, cpu) -> byGroup.merge(group(name), cpu - atStart.getOrDefault(name, 0L),
                Long::sum));
        byGroup.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(14)
                .forEach(e -> System.out.printf(Locale.ROOT, " %s %.2f;", e.getKey(), e.getValue() / 1e9 / measuredSeconds));
        System.out.println();
        System.out.printf(Locale.ROOT, "  stream thread samples (every 5 ms): %s%n", sampler.summary(8));
        System.out.printf(Locale.ROOT, "  load average at end %s%n", loadAverage());
        if (Boolean.getBoolean("bench.streamsMetrics")) {
            registry.getMeters().stream().filter(m -> m.getId().getName().startsWith("kafka.stream.thread")
                            || m.getId().getName().startsWith("kafka.consumer.fetch.manager.fetch.rate")
                            || m.getId().getName().startsWith("kafka.producer.request.rate"))
                    .forEach(m -> m.measure().forEach(ms -> System.out.printf(Locale.ROOT, "  %s %s = %.2f%n",
                            m.getId().getName(), m.getId().getTag("client.id"), ms.getValue())));
        }
    }

    /** Thread name without its numbers, e.g. {@code data-plane-kafka-request-handler-}. */
    private static String group(String threadName) {
        return threadName.replaceAll("\\d+", "#").replaceAll("(bench-producer|bench-receiver).*", "$1");
    }

    private static Map<String, Long> threadCpu(ThreadMXBean bean) {
        Map<String, Long> cpu = new HashMap<>();
        for (ThreadInfo info : bean.getThreadInfo(bean.getAllThreadIds())) {
            if (info != null) {
                cpu.merge(info.getThreadName() + "@" + info.getThreadId(),
                        Math.max(0, bean.getThreadCpuTime(info.getThreadId())), Long::sum);
            }
        }
        return cpu;
    }

    /**
     * Waits until every partition has a leader: producing into partitions created a moment ago gets
     * NOT_LEADER_OR_FOLLOWER retries, after which the idempotent producer can get stuck retrying one
     * partition with OUT_OF_ORDER_SEQUENCE_NUMBER for the whole run (seen on this broker).
     */
    private static void awaitLeaders(Admin admin, List<String> topics) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            boolean ready = admin.describeTopics(topics).allTopicNames().get().values().stream()
                    .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
            if (ready) {
                return;
            }
            Thread.sleep(100); // a benchmark set-up step
        }
        throw new IllegalStateException("partitions without leader after 60 s");
    }

    private static double percentile(long[] sortedMicros, double p) {
        if (sortedMicros.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sortedMicros.length) - 1;
        return sortedMicros[Math.max(0, Math.min(sortedMicros.length - 1, index))] / 1e3;
    }

    private static double evaluations(PrometheusMeterRegistry registry) {
        return registry.find("vigil.alert.router.evaluations").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static long streamThreadCpu(ThreadMXBean bean) {
        long total = 0;
        for (ThreadInfo info : bean.getThreadInfo(bean.getAllThreadIds())) {
            if (info != null && isStreamThread(info.getThreadName())) {
                total += Math.max(0, bean.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    /** A Kafka Streams processing thread, not the network thread of its producer. */
    private static boolean isStreamThread(String name) {
        return name.matches(".*-StreamThread-\\d+");
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static <V> void send(KafkaProducer<String, byte[]> producer, String prefix, TopicDef<String, V> def,
            String key, V value) {
        String topic = def.name(prefix);
        producer.send(new ProducerRecord<>(topic, key, def.valueSerde().serializer().serialize(topic, value)));
    }

    private static void deleteRecursively(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Samples what the stream threads are doing every 5 ms: their state and the innermost frame of
     * Kafka or Vigil code, to tell waiting on the broker from computing.
     */
    private static final class StackSampler {

        private final ThreadMXBean bean;
        private final Map<String, Integer> counts = new ConcurrentHashMap<>();
        private final Map<String, StackTraceElement[]> examples = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread = new Thread(this::loop, "bench-sampler");
        private int total;

        StackSampler(ThreadMXBean bean) {
            this.bean = bean;
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(1_000);
        }

        private void loop() {
            while (running.get()) {
                for (ThreadInfo info : bean.getThreadInfo(bean.getAllThreadIds(), 40)) {
                    if (info != null && isStreamThread(info.getThreadName())) {
                        String key = info.getThreadState() + " " + frame(info.getStackTrace());
                        counts.merge(key, 1, Integer::sum);
                        examples.putIfAbsent(key, info.getStackTrace());
                        total++;
                    }
                }
                LockSupport.parkNanos(5_000_000);
            }
        }

        private static String frame(StackTraceElement[] stack) {
            for (StackTraceElement e : stack) {
                String c = e.getClassName();
                if (c.startsWith("org.apache.kafka.streams.") || c.startsWith("dev.vigil.")
                        || c.startsWith("org.apache.kafka.clients.") || c.startsWith("org.apache.avro.")) {
                    return c.substring(c.lastIndexOf('.') + 1) + "." + e.getMethodName();
                }
            }
            return stack.length == 0 ? "?" : stack[0].getClassName() + "." + stack[0].getMethodName();
        }

        String summary(int top) {
            StringBuilder out = new StringBuilder();
            counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(top)
                    .forEach(e -> out.append(String.format(Locale.ROOT, "%.0f%% %s; ", 100.0 * e.getValue() / total,
                            e.getKey())));
            counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(1).forEach(e -> {
                out.append("\n    top sample:");
                Arrays.stream(examples.get(e.getKey())).limit(25).forEach(f -> out.append("\n      at ").append(f));
            });
            return out.toString();
        }
    }

    // ---------------------------------------------------------------- the data

    /** Events, streams and alerts of the run: 100 streams × (scene, audio, transcript index), 10 alerts each. */
    private record Layout(Map<String, EventRule> events, List<RtStreamSpec> streams, List<AlertBinding> alerts,
            Map<String, List<AlertBinding>> alertsByIndex, List<String> streamIds) {

        static Layout create() throws Exception {
            RuleCompiler rules = RuleCompiler.create(false);
            Map<String, EventRule> events = new HashMap<>();
            Map<String, List<String>> eventsByKind = new HashMap<>();
            for (int i = 0; i < EVENTS.length; i++) {
                String id = String.format(Locale.ROOT, "e%015x", i);
                var rule = rules.compile(EVENTS[i][2], null);
                events.put(id, EventRule.newBuilder().setId(id).setCollectionId(COLLECTION).setEventPrompt(EVENTS[i][2])
                        .setLabel(EVENTS[i][1]).setCondition(rule.condition()).setConditionOrigin(rule.origin())
                        .setCreatedAt(MEDIA_T0).setUpdatedAt(MEDIA_T0).build());
                eventsByKind.computeIfAbsent(EVENTS[i][0], k -> new ArrayList<>()).add(id);
            }
            List<RtStreamSpec> streams = new ArrayList<>();
            List<AlertBinding> alerts = new ArrayList<>();
            Map<String, List<AlertBinding>> byIndex = new HashMap<>();
            List<String> streamIds = new ArrayList<>();
            for (int s = 0; s < STREAMS; s++) {
                String stream = String.format(Locale.ROOT, "rts-0190f1c4-5c4e-7a3b-9d2e-%012x", s);
                streamIds.add(stream);
                streams.add(RtStreamSpec.newBuilder().setId(stream).setCollectionId(COLLECTION).setName("camera " + s)
                        .setUrl("rtsp://cam" + s + ".example.com/live").setCreatedAt(MEDIA_T0).setUpdatedAt(MEDIA_T0)
                        .build());
                for (String kind : List.of("scene", "audio", "transcript")) {
                    String index = indexId(s, kind);
                    for (String event : eventsByKind.get(kind)) {
                        String id = String.format(Locale.ROOT, "a%015x", alerts.size());
                        AlertBinding alert = AlertBinding.newBuilder().setId(id).setCollectionId(COLLECTION)
                                .setRtstreamId(stream).setIndexId(index).setEventId(event)
                                .setCallbackUrl("https://hooks.example.com/" + id).setStatus(AlertStatus.ENABLED)
                                .setCooldownS(0).setCreatedAt(MEDIA_T0).setUpdatedAt(MEDIA_T0).build();
                        alerts.add(alert);
                        byIndex.computeIfAbsent(index, k -> new ArrayList<>()).add(alert);
                    }
                }
            }
            return new Layout(events, streams, alerts, byIndex, streamIds);
        }

        static String indexId(int stream, String kind) {
            return String.format(Locale.ROOT, "%s%013x", kind.substring(0, 3), stream);
        }
    }

    /** One index record ready to send. */
    private record Generated(TopicDef<String, ?> topic, IndexRecord record, SpecificRecord value) {

        @SuppressWarnings("unchecked")
        byte[] bytes(String prefix) {
            TopicDef<String, SpecificRecord> def = (TopicDef<String, SpecificRecord>) topic;
            return def.valueSerde().serializer().serialize(topic.name(prefix), value);
        }
    }

    /**
     * Index records round-robin over the streams: half scene (a person in 20 % of windows, a crowd in
     * 2 %, dark or covered in 2 %), 30 % audio (an alarm, a scream or a bang in 10 %), 20 % transcript
     * ("help" or "fire" in 10 %). Every record of an index has its own start time.
     */
    private static final class Generator {

        private final Layout layout;
        private final Random random;
        private final Map<String, Instant> clock = new HashMap<>();
        private int next;

        Generator(Layout layout, long seed) {
            this.layout = layout;
            this.random = new Random(seed);
        }

        Generated next() {
            int s = next++ % STREAMS;
            String stream = layout.streamIds().get(s);
            double kind = random.nextDouble();
            Instant emit = Instant.now();
            if (kind < 0.5) {
                String index = Layout.indexId(s, "scene");
                Instant start = advance(index);
                double roll = random.nextDouble();
                int people = roll < 0.02 ? 6 : roll < 0.2 ? 1 : 0;
                double brightness = roll > 0.98 ? 0.02 : 0.5;
                SceneRecord r = SceneRecord.newBuilder().setRtstreamId(stream).setCollectionId(COLLECTION)
                        .setIndexId(index).setStart(start).setEnd(start.plusSeconds(1))
                        .setText(people + " people").setLabels(people > 0 ? List.of("person", "motion") : List.of())
                        .setCounts(Map.of("people", people)).setMotion(people > 0 ? 0.1 : 0.0).setBrightness(brightness)
                        .setFrameCount(1).setConfidence(0.8).setEngine("bench").setCaptureTs(emit).setEmitTs(emit)
                        .build();
                return new Generated(Topics.INDEX_SCENE, IndexRecord.of(r), r);
            }
            if (kind < 0.8) {
                String index = Layout.indexId(s, "audio");
                Instant start = advance(index);
                double roll = random.nextDouble();
                List<String> labels = roll < 0.04 ? List.of("alarm", "tonal") : roll < 0.07 ? List.of("impulse")
                        : roll < 0.1 ? List.of("speech") : List.of("noise");
                double loudness = roll >= 0.07 && roll < 0.1 ? -12 : -40;
                AudioRecord r = AudioRecord.newBuilder().setRtstreamId(stream).setCollectionId(COLLECTION)
                        .setIndexId(index).setStart(start).setEnd(start.plusSeconds(1)).setText(String.join(" ", labels))
                        .setLabels(labels).setLoudnessDbfs(loudness).setPeakDbfs(loudness + 6).setConfidence(0.7)
                        .setEngine("bench").setCaptureTs(emit).setEmitTs(emit).build();
                return new Generated(Topics.INDEX_AUDIO, IndexRecord.of(r), r);
            }
            String index = Layout.indexId(s, "transcript");
            Instant start = advance(index);
            double roll = random.nextDouble();
            String text = roll < 0.05 ? "please help us" : roll < 0.1 ? "there is a fire in the kitchen"
                    : "the delivery is at the back door as usual";
            TranscriptRecord r = TranscriptRecord.newBuilder().setRtstreamId(stream).setCollectionId(COLLECTION)
                    .setIndexId(index).setStart(start).setEnd(start.plusSeconds(1)).setText(text).setConfidence(0.9)
                    .setEngine("bench").setCaptureTs(emit).setEmitTs(emit).build();
            return new Generated(Topics.INDEX_TRANSCRIPT, IndexRecord.of(r), r);
        }

        private Instant advance(String index) {
            Instant start = clock.getOrDefault(index, MEDIA_T0);
            clock.put(index, start.plusSeconds(1));
            return start;
        }
    }

    /**
     * Reads {@code vigil.alerts.fired} from its end on a thread of its own and records, for each
     * notification of an expected record, the time from the record's send to its arrival.
     */
    private static final class Receiver implements AutoCloseable {

        private final KafkaConsumer<String, byte[]> consumer;
        private final String topic;
        private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
        private final List<Long> latencies = new ArrayList<>();
        private final AtomicLong lastArrival = new AtomicLong(System.nanoTime());
        private final AtomicLong unknown = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Receiver(KafkaClients clients, String prefix, boolean readCommitted) {
            Map<String, Object> config = clients.consumer("bench-receiver", "bench-receiver");
            if (readCommitted) {
                config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            }
            // A fetch returns as soon as one notification is there (the defaults already say 1 byte);
            // an empty fetch waits at most 100 ms at the broker, it does not delay data.
            config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
            this.consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer());
            this.topic = Topics.ALERTS_FIRED.name(prefix);
            this.thread = new Thread(this::loop, "bench-receiver");
        }

        void start() {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // resolve the end offsets now, before records flow
            thread.start();
        }

        void expect(String recordKey, long nanos) {
            sentAt.put(recordKey, nanos);
        }

        private void loop() {
            var deserializer = Topics.ALERTS_FIRED.valueSerde().deserializer();
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    AlertNotification n = deserializer.deserialize(topic, r.value());
                    Long sent = sentAt.get(n.getIndexId() + ":" + n.getStart().toEpochMilli());
                    lastArrival.set(now);
                    if (sent == null) {
                        unknown.incrementAndGet(); // a warm-up record's notification
                        continue;
                    }
                    synchronized (latencies) {
                        latencies.add((now - sent) / 1_000);
                    }
                }
            }
        }

        /** Waits until no notification arrived for {@code quiet}, at most {@code max}. */
        void awaitQuiet(Duration quiet, Duration max) throws InterruptedException {
            long deadline = System.nanoTime() + max.toNanos();
            while (System.nanoTime() - lastArrival.get() < quiet.toNanos() && System.nanoTime() < deadline) {
                Thread.sleep(100); // a benchmark waiting for the tail, not a test
            }
        }

        long[] latenciesMicros() {
            synchronized (latencies) {
                return latencies.stream().mapToLong(Long::longValue).toArray();
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(5_000);
            consumer.close();
        }
    }
}
