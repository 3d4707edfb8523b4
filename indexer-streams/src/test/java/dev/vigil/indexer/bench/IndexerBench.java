package dev.vigil.indexer.bench;

import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.common.kafka.TopicBootstrap;
import dev.vigil.common.ops.MeterRegistries;
import dev.vigil.indexer.IndexerConfig;
import dev.vigil.indexer.IndexerService;
import dev.vigil.indexer.Media;
import dev.vigil.indexer.Speech;
import dev.vigil.kafka.embedded.EmbeddedKafka;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.IndexType;
import dev.vigil.schemas.index.AudioRecord;
import dev.vigil.schemas.index.SceneRecord;
import dev.vigil.schemas.index.TranscriptRecord;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Live benchmark of the indexer on the embedded broker: N streams of 640x360 JPEG frames at 2 fps
 * and 16 kHz audio in 200 ms chunks, produced in real time, each stream with a scene (2 s, 5 frames),
 * a transcript and an audio (2 s) index. Every 8 s each stream says "there is an intruder in the
 * warehouse" (espeak-ng) over a -60 dBFS noise floor. Reports, after a warm-up:
 * <ul>
 *   <li>transcript latency: record received − end of the utterance (the record's {@code end}, the VAD's
 *       last voiced frame);</li>
 *   <li>scene and audio latency: record received − end of its window;</li>
 *   <li>CPU: of the indexer's threads (Streams threads and worker lanes) and of the whole JVM (broker,
 *       producer and consumer included), per stream, in % of one core.</li>
 * </ul>
 * Bounded: warm-up plus measurement seconds, then everything stops.
 *
 * <p>Run (from the repository root; needs espeak-ng and sox):
 * <pre>
 * mvn -B -q -pl indexer-streams test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/cp.txt
 * java -Dorg.bytedeco.javacpp.cachedir=$HOME/.cache/vigil/javacpp -cp indexer-streams/target/test-classes:indexer-streams/target/classes:$(cat /tmp/cp.txt) \
 *     dev.vigil.indexer.bench.IndexerBench streams=3 warmup=15 seconds=60
 * </pre>
 */
public final class IndexerBench {

    private IndexerBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>(Map.of("streams", "3", "warmup", "15", "seconds", "60"));
        for (String a : args) {
            String[] kv = a.split("=", 2);
            opts.put(kv[0], kv[1]);
        }
        int streams = Integer.parseInt(opts.get("streams"));
        long warmupMs = Long.parseLong(opts.get("warmup")) * 1000;
        long measureMs = Long.parseLong(opts.get("seconds")) * 1000;

        short[] utterance = Speech.say("there is an intruder in the warehouse", "en-us");
        short[] track = track(utterance);
        List<byte[]> jpegs = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            jpegs.add(Media.fixture("vtest-" + i + ".jpg"));
        }

        try (EmbeddedKafka kafka = EmbeddedKafka.forTests().start()) {
            String prefix = "bench.";
            CommonConfig common = CommonConfig.fromEnv(Map.of("VIGIL_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "VIGIL_TOPIC_PREFIX", prefix, "VIGIL_TOPIC_PARTITIONS", "3", "VIGIL_INSTANCE_ID", "bench"));
            try (Admin admin = Admin.create(new KafkaClients(common).admin("bench"))) {
                new TopicBootstrap(admin, common).ensure(Topics.ALL);
            }
            IndexerConfig config = IndexerConfig.fromEnv(Map.of("VIGIL_INDEXER_STATE_DIR",
                    Files.createTempDirectory("indexer-bench").toString()));
            var registry = MeterRegistries.prometheus("bench");
            try (IndexerService indexer = new IndexerService(common, config, registry);
                    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(new KafkaClients(common).producer("bench"),
                            new ByteArraySerializer(), new ByteArraySerializer())) {
                indexer.start();
                List<String> ids = new ArrayList<>();
                for (int s = 0; s < streams; s++) {
                    String stream = String.format("rts-0190b7a1-0000-7000-8000-%012d", s);
                    ids.add(stream);
                    send(producer, prefix + Topics.INDEXES.suffix(), Topics.INDEXES.valueSerde().serializer()
                            .serialize("", Media.index(String.format("%016x", 3L * s), stream, IndexType.SCENE,
                                    Map.of("time", "2", "frame_count", "5"))), String.format("%016x", 3L * s));
                    send(producer, prefix + Topics.INDEXES.suffix(), Topics.INDEXES.valueSerde().serializer()
                            .serialize("", Media.index(String.format("%016x", 3L * s + 1), stream, IndexType.TRANSCRIPT, Map.of())),
                            String.format("%016x", 3L * s + 1));
                    send(producer, prefix + Topics.INDEXES.suffix(), Topics.INDEXES.valueSerde().serializer()
                            .serialize("", Media.index(String.format("%016x", 3L * s + 2), stream, IndexType.AUDIO,
                                    Map.of("segmenter", "time", "segmentation_value", "2"))), String.format("%016x", 3L * s + 2));
                }
                long deadline = System.currentTimeMillis() + 30_000;
                while (ids.stream().anyMatch(id -> indexer.activeIndexes(id).byId().size() < 3)) {
                    if (System.currentTimeMillis() > deadline) {
                        throw new IllegalStateException("indexes not seen within 30 s");
                    }
                    Thread.sleep(50);
                }

                Results results = new Results();
                AtomicBoolean running = new AtomicBoolean(true);
                Thread consumer = new Thread(() -> consume(common, prefix, results, running), "bench-consumer");
                consumer.start();

                ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "bench-producer"));
                long start = (System.currentTimeMillis() / 1000 + 1) * 1000;
                long[] tick = {0};
                clock.scheduleAtFixedRate(() -> {
                    long t = start + tick[0] * 100;
                    tick[0]++;
                    for (int s = 0; s < streams; s++) {
                        String stream = ids.get(s);
                        long seq = tick[0];
                        if ((t - start) % 500 == 0) {
                            byte[] jpeg = jpegs.get((int) ((t - start) / 500 % jpegs.size()));
                            send(producer, prefix + Topics.MEDIA_FRAMES.suffix(), Topics.MEDIA_FRAMES.valueSerde().serializer()
                                    .serialize("", Media.frame(stream, seq, t, jpeg)), stream);
                        }
                        if ((t - start) % 200 == 0 && t - start >= 200) {
                            long chunkStart = t - 200;
                            int off = (int) (((chunkStart - start) % (track.length / 16)) * 16);
                            short[] chunk = new short[3200];
                            System.arraycopy(track, off, chunk, 0, Math.min(3200, track.length - off));
                            send(producer, prefix + Topics.MEDIA_AUDIO.suffix(), Topics.MEDIA_AUDIO.valueSerde().serializer()
                                    .serialize("", Media.chunk(stream, seq, chunkStart, chunk)), stream);
                        }
                    }
                }, start - System.currentTimeMillis(), 100, TimeUnit.MILLISECONDS);

                Thread.sleep(start - System.currentTimeMillis() + warmupMs);
                results.measuring = true;
                Cpu before = Cpu.now();
                Thread.sleep(measureMs);
                Cpu after = Cpu.now();
                results.measuring = false;
                clock.shutdownNow();
                running.set(false);
                consumer.join(10_000);

                double seconds = (after.wallNs - before.wallNs) / 1e9;
                double indexerPct = (after.indexerNs - before.indexerNs) / 1e9 / seconds * 100 / streams;
                double processPct = (after.processNs - before.processNs) / 1e9 / seconds * 100 / streams;
                System.out.printf(Locale.ROOT, "%n## IndexerBench: %d streams x (640x360 JPEG at 2 fps + 16 kHz audio), %.0f s measured%n%n",
                        streams, seconds);
                System.out.printf(Locale.ROOT, "machine: %d cores, Java %s, load average %.2f at the end%n%n",
                        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                System.out.println("| measure | n | p50 | p90 | max |");
                System.out.println("|---|---|---|---|---|");
                row("transcript: record after end of utterance (ms)", results.transcript);
                row("scene: record after window end (ms)", results.scene);
                row("audio: record after window end (ms)", results.audio);
                System.out.printf(Locale.ROOT, "%nCPU per stream: indexer threads %.1f %% of a core; whole JVM (broker, producer, consumer too) %.1f %%%n",
                        indexerPct, processPct);
                System.out.printf(Locale.ROOT, "transcripts: %s%n", results.texts);
                System.out.printf(Locale.ROOT, "scene people counts: %s%n", results.people);
                for (var timer : registry.find("vigil_indexer_engine_latency").timers()) {
                    var snapshot = timer.takeSnapshot();
                    System.out.printf(Locale.ROOT, "engine %s: %d jobs, mean %.0f ms, max %.0f ms%n", timer.getId().getTag("engine"),
                            snapshot.count(), snapshot.mean(TimeUnit.MILLISECONDS), snapshot.max(TimeUnit.MILLISECONDS));
                }
                var m = indexer.metrics();
                System.out.printf(Locale.ROOT, "skipped: stale frames %.0f, stale audio %.0f, dropped vision jobs %.0f, dropped speech jobs %.0f, late frames %.0f%n",
                        m.count("vigil_indexer_media_stale", "media", "frame"), m.count("vigil_indexer_media_stale", "media", "audio"),
                        m.count("vigil_indexer_jobs_dropped", "lane", "vision"), m.count("vigil_indexer_jobs_dropped", "lane", "speech"),
                        m.count("vigil_indexer_frames_late", "media", "frame"));
            }
        }
    }

    /** 8 s loop: 1 s of -60 dBFS noise, the utterance, then noise again. */
    private static short[] track(short[] utterance) {
        short[] track = new short[8 * 16_000];
        Random r = new Random(1);
        for (int i = 0; i < track.length; i++) {
            track[i] = (short) (r.nextGaussian() * 32.8);
        }
        for (int i = 0; i < utterance.length && 16_000 + i < track.length; i++) {
            track[16_000 + i] = (short) Math.max(-32768, Math.min(32767, track[16_000 + i] + utterance[i]));
        }
        return track;
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, byte[] value, String key) {
        producer.send(new ProducerRecord<>(topic, key.getBytes(java.nio.charset.StandardCharsets.UTF_8), value));
    }

    private static final class Results {
        volatile boolean measuring;
        final List<Long> transcript = new CopyOnWriteArrayList<>();
        final List<Long> scene = new CopyOnWriteArrayList<>();
        final List<Long> audio = new CopyOnWriteArrayList<>();
        final Map<String, Integer> texts = new ConcurrentHashMap<>();
        final Map<Integer, Integer> people = new ConcurrentHashMap<>();
    }

    private static void consume(CommonConfig common, String prefix, Results results, AtomicBoolean running) {
        Map<String, Object> config = new KafkaClients(common).consumer("bench-consumer", "bench-consumer");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            String t = prefix + Topics.INDEX_TRANSCRIPT.suffix();
            String s = prefix + Topics.INDEX_SCENE.suffix();
            String a = prefix + Topics.INDEX_AUDIO.suffix();
            consumer.subscribe(List.of(t, s, a));
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.currentTimeMillis();
                    if (!results.measuring) {
                        continue;
                    }
                    if (r.topic().equals(t)) {
                        TranscriptRecord v = Topics.INDEX_TRANSCRIPT.valueSerde().deserializer().deserialize(t, r.value());
                        results.transcript.add(now - v.getEnd().toEpochMilli());
                        results.texts.merge(v.getText(), 1, Integer::sum);
                    } else if (r.topic().equals(s)) {
                        SceneRecord v = Topics.INDEX_SCENE.valueSerde().deserializer().deserialize(s, r.value());
                        results.scene.add(now - v.getEnd().toEpochMilli());
                        results.people.merge(v.getCounts().getOrDefault("people", 0), 1, Integer::sum);
                    } else {
                        AudioRecord v = Topics.INDEX_AUDIO.valueSerde().deserializer().deserialize(a, r.value());
                        results.audio.add(now - v.getEnd().toEpochMilli());
                    }
                }
            }
        }
    }

    private static void row(String name, List<Long> values) {
        List<Long> v = new ArrayList<>(values);
        Collections.sort(v);
        if (v.isEmpty()) {
            System.out.printf("| %s | 0 | - | - | - |%n", name);
            return;
        }
        System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d |%n", name, v.size(), v.get(v.size() / 2),
                v.get((int) (v.size() * 0.9)), v.get(v.size() - 1));
    }

    /** CPU time of the indexer's threads and of the process. */
    private record Cpu(long wallNs, long indexerNs, long processNs) {
        static Cpu now() {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long indexer = 0;
            for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info != null && info.getThreadName().startsWith("vigil-indexer")) {
                    long cpu = threads.getThreadCpuTime(info.getThreadId());
                    indexer += Math.max(0, cpu);
                }
            }
            long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
            return new Cpu(System.nanoTime(), indexer, process);
        }
    }
}
