package dev.vigil.api.deliveries.bench;

import dev.vigil.api.deliveries.DeliveryLog;
import dev.vigil.api.deliveries.DeliveryLogConfig;
import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.ids.Ids;
import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.common.kafka.TopicBootstrap;
import dev.vigil.kafka.embedded.EmbeddedKafka;
import dev.vigil.schemas.TopicDef;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.alerts.Channel;
import dev.vigil.schemas.alerts.DeliveryOutcome;
import dev.vigil.schemas.alerts.WebhookDeliveryAttempt;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the webhook delivery log costs: the time to rebuild it from the topics at start, the heap it
 * holds per delivery, and the read barrier ({@link DeliveryLog#sync}: one ListOffsets of the alert's four
 * partitions, then the wait for the reader) — on an {@link EmbeddedKafka#forTests()} broker in this JVM.
 * Each delivery is one {@code alerts.fired} record (a 200-character text) and two attempts (503, then 200).
 * Heap is measured as used heap after a full GC with the log loaded minus before: an approximation.
 *
 * <p>Run it (from the repository root; prints a Markdown table with the machine facts):
 * <pre>
 * mvn -B -q -pl control-api test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/cp.txt
 * java -Xmx1g -cp control-api/target/test-classes:control-api/target/classes:$(cat /tmp/cp.txt) \
 *     dev.vigil.api.deliveries.bench.DeliveryLogBench deliveries=50000 alerts=100 syncs=2000
 * </pre>
 */
public final class DeliveryLogBench {

    private DeliveryLogBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Integer> opts = new HashMap<>(Map.of("deliveries", 50_000, "alerts", 100, "syncs", 2_000));
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            opts.put(kv[0], Integer.parseInt(kv[1]));
        }
        int deliveries = opts.get("deliveries");
        int alerts = opts.get("alerts");
        try (EmbeddedKafka broker = EmbeddedKafka.forTests().start()) {
            CommonConfig common = CommonConfig.fromEnv(Map.of("VIGIL_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "VIGIL_TOPIC_PREFIX", "bench.", "VIGIL_TOPIC_PARTITIONS", "12"));
            KafkaClients clients = new KafkaClients(common);
            try (Admin admin = Admin.create(clients.admin("bench"))) {
                new TopicBootstrap(admin, common).ensure(Topics.ALL);
            }
            List<String> alertIds = new ArrayList<>();
            for (int a = 0; a < alerts; a++) {
                alertIds.add(Ids.shortId());
            }
            long producing = System.nanoTime();
            int records = produce(clients, "bench.", alertIds, deliveries);
            long producedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - producing);

            long heapBefore = usedHeapAfterGc();
            DeliveryLog log = new DeliveryLog(clients.reader("bench"), clients.admin("bench-sync"), "bench.",
                    new DeliveryLogConfig(Math.max(1_000, deliveries / alerts + 1), deliveries + 1, Duration.ofDays(7)));
            long loading = System.nanoTime();
            log.start();
            while (!log.loaded()) {
                Thread.onSpinWait();
            }
            long loadMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loading);
            long heapAfter = usedHeapAfterGc();

            int syncs = opts.get("syncs");
            long[] micros = new long[syncs];
            for (int i = 0; i < syncs; i++) {
                long t = System.nanoTime();
                log.sync(alertIds.get(i % alerts)).get(10, TimeUnit.SECONDS);
                micros[i] = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t);
            }
            Arrays.sort(micros);
            int held = log.size();
            log.close();

            System.out.printf(Locale.ROOT, "%n| machine | %d cores, %s, Java %s, -Xmx %d MB |%n|---|---|%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"),
                    System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
            System.out.printf(Locale.ROOT, "| produced | %d records (%d deliveries × 3, %d alerts) in %d ms |%n",
                    records, deliveries, alerts, producedMs);
            System.out.printf(Locale.ROOT, "| rebuild at start | %d deliveries in %d ms (%.0f records/s) |%n",
                    held, loadMs, records * 1000.0 / Math.max(1, loadMs));
            System.out.printf(Locale.ROOT, "| heap held | %.1f MB, %.0f bytes per delivery (GC-to-GC estimate) |%n",
                    (heapAfter - heapBefore) / 1048576.0, (heapAfter - heapBefore) / (double) Math.max(1, held));
            System.out.printf(Locale.ROOT, "| read barrier (sync) | p50 %d µs, p99 %d µs, max %d µs over %d calls |%n",
                    micros[syncs / 2], micros[(int) (syncs * 0.99)], micros[syncs - 1], syncs);
        }
    }

    private static int produce(KafkaClients clients, String prefix, List<String> alertIds, int deliveries) throws Exception {
        Map<String, Object> config = clients.producer("bench-producer");
        // One request in flight: on freshly created topics an idempotent producer can otherwise hit an
        // OutOfOrderSequence (seen in the dispatcher's crash test too).
        config.put(org.apache.kafka.clients.producer.ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        String text = "A person in a dark coat walks up to the front door, looks around, and rings the bell twice "
                + "before leaving a parcel on the step and walking back towards the street where a van is parked.";
        Instant t0 = Instant.now().minusSeconds(deliveries);
        int sent = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            List<Future<?>> pending = new ArrayList<>();
            for (int i = 0; i < deliveries; i++) {
                String alertId = alertIds.get(i % alertIds.size());
                Instant at = t0.plusSeconds(i);
                AlertNotification n = AlertNotification.newBuilder()
                        .setId(Ids.notificationId(alertId, "r" + i)).setCollectionId("default").setAlertId(alertId)
                        .setEventId("0011223344556677").setLabel("person").setRtstreamId(Ids.rtstreamId())
                        .setRtstreamName("Front door").setIndexId("8899aabbccddeeff").setChannel(Channel.SCENE_INDEX)
                        .setText(text).setConfidence(0.9).setExplanation("labels.person >= 1")
                        .setStart(at.minusSeconds(2)).setEnd(at).setTimestamp(at).setRecordEmitTs(at)
                        .setCallbackUrl("https://hooks.example.com/vigil/" + alertId).build();
                pending.add(send(producer, prefix, Topics.ALERTS_FIRED, alertId, n));
                pending.add(send(producer, prefix, Topics.WEBHOOK_ATTEMPTS, alertId, attempt(n, 1, at, 503,
                        "HTTP 503 Service Unavailable", DeliveryOutcome.RETRY_SCHEDULED, at.plusSeconds(5))));
                pending.add(send(producer, prefix, Topics.WEBHOOK_ATTEMPTS, alertId, attempt(n, 2, at.plusSeconds(5), 200,
                        null, DeliveryOutcome.DELIVERED, null)));
                sent += 3;
                if (pending.size() >= 10_000) {
                    for (Future<?> f : pending) {
                        f.get();
                    }
                    pending.clear();
                }
            }
            for (Future<?> f : pending) {
                f.get();
            }
        }
        return sent;
    }

    private static <V> Future<?> send(KafkaProducer<String, byte[]> producer, String prefix, TopicDef<String, V> def,
            String key, V value) {
        String topic = def.name(prefix);
        return producer.send(new ProducerRecord<>(topic, key, def.valueSerde().serializer().serialize(topic, value)));
    }

    private static WebhookDeliveryAttempt attempt(AlertNotification n, int number, Instant at, int status, String error,
            DeliveryOutcome outcome, Instant next) {
        return WebhookDeliveryAttempt.newBuilder().setNotificationId(n.getId()).setAlertId(n.getAlertId())
                .setCollectionId(n.getCollectionId()).setAttempt(number).setUrl(n.getCallbackUrl()).setAttemptedAt(at)
                .setLatencyMs(40L).setStatusCode(status).setError(error).setOutcome(outcome).setNextAttemptAt(next).build();
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
