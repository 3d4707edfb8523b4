package dev.vigil.api.deliveries;

import dev.vigil.common.kafka.reader.AppliedPositions;
import dev.vigil.common.kafka.reader.ReaderService;
import dev.vigil.common.kafka.reader.StartPosition;
import dev.vigil.common.kafka.reader.TopicReader;
import dev.vigil.schemas.TopicDef;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.alerts.WebhookDelivery;
import dev.vigil.schemas.alerts.WebhookDeliveryAttempt;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook delivery log: reads {@code vigil.alerts.fired} (notifications with a callback URL),
 * {@code vigil.webhooks.attempts} (every attempt and its outcome), {@code vigil.webhooks.dead} (the
 * notification of a dead letter) and {@code vigil.webhooks.retry.5s} (replay requests: deliveries with
 * no attempt yet) from {@code VIGIL_API_DELIVERIES_HISTORY} back, with a {@link TopicReader} on its
 * own thread {@code vigil-api-deliveries} (no group: every instance holds the whole log), into a
 * bounded {@link DeliveryTable}. Writes nothing.
 *
 * <p>After each poll the changed alerts' deliveries are published as immutable lists, so request
 * handlers on the event loop read them without locks. {@link #sync} is this log's read barrier: it
 * waits until the log has applied every record written, before the call, to the partitions that hold
 * an alert's records (all topics are keyed by alert id). Undecodable records are logged, counted and
 * skipped by the reader shell.
 */
public final class DeliveryLog extends ReaderService<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(DeliveryLog.class);
    private static final TopicDef<String, WebhookDelivery> REPLAY_TIER = Topics.WEBHOOK_RETRY_TIERS.get(0);
    private static final List<TopicDef<String, ?>> TOPICS = List.of(Topics.ALERTS_FIRED, Topics.WEBHOOK_ATTEMPTS,
            Topics.WEBHOOK_DEAD, REPLAY_TIER);

    private final Map<String, Object> adminConfig;
    private final String prefix;
    private final DeliveryTable table;
    private final Map<String, List<Delivery>> published = new ConcurrentHashMap<>();
    private final Duration history;
    /** Partitions per topic, set once in {@link #start()} before any {@link #sync}. */
    private volatile Map<String, Integer> partitionCounts = Map.of();
    private volatile boolean loaded;
    private volatile boolean started;
    private Map<TopicPartition, Long> loadEnds;
    private long loadStarted;
    private volatile int size;
    private Admin admin;


    /**
     * @param consumerConfig bootstrap and client settings (KafkaClients.reader; offsets are managed here)
     * @param adminConfig    for {@link #sync}'s end-offset queries; null: no barrier ({@link #sync} returns at once)
     */
    public DeliveryLog(Map<String, Object> consumerConfig, Map<String, Object> adminConfig, String topicPrefix,
            DeliveryLogConfig config) {
        super(TopicReader.builder("delivery-log", logConsumerConfig(consumerConfig), new StringDeserializer(),
                        new ByteArrayDeserializer())
                .threadName("vigil-api-deliveries")
                .topics(TOPICS.stream().map(t -> t.name(topicPrefix)).toList())
                // Every partition at its first record of the last `history` (by record timestamp), or its end.
                .startAt(StartPosition.since(() -> Instant.now().minus(config.history()))), ReadyWhen.RUNNING);
        this.adminConfig = adminConfig;
        this.prefix = topicPrefix;
        this.table = new DeliveryTable(config.perAlert(), config.maxDeliveries());
        this.history = config.history();
    }

    private static Map<String, Object> logConsumerConfig(Map<String, Object> consumerConfig) {
        Map<String, Object> c = new HashMap<>(consumerConfig);
        // A waiting request is answered as soon as the record arrives, not after a 500 ms fetch wait.
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        // Bigger polls rebuild the log faster at start (no group, so no poll-interval deadline to mind).
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        return c;
    }

    /**
     * Assigns the partitions, positions the reader {@code history} back and starts its thread;
     * returns at once. Until the log has read up to the end offsets found here ({@link #loaded()}),
     * the delivery endpoints answer 503, while the rest of the API serves: a big log must neither hold
     * up nor fail the control API's start.
     */
    @Override
    public void start() throws Exception {
        loadStarted = System.nanoTime();
        super.start();
        Map<String, Integer> counts = new HashMap<>();
        reader().partitions().forEach(tp -> counts.merge(tp.topic(), 1, Integer::sum));
        partitionCounts = Map.copyOf(counts);
        if (adminConfig != null) {
            admin = Admin.create(adminConfig);
        }
        started = true;
    }

    /**
     * Reader thread, after each poll: while loading nobody reads (the endpoints answer 503), so the
     * changes are published once at the end rather than after every poll, which makes the rebuild
     * several times faster.
     */
    @Override
    protected void afterPoll(Map<TopicPartition, Long> positions) {
        size = table.size();
        if (loaded) {
            publish();
        } else if (reader().caughtUp().isDone() || AppliedPositions.covers(positions, endsAtStart())) {
            publish();
            loaded = true;
            log.info("Delivery log loaded: {} webhook deliveries (the last {}) in {} ms", size, history,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loadStarted));
        }
    }

    /** The end offsets at start, from the reader (whose caught-up future is completed only after this hook). */
    private Map<TopicPartition, Long> endsAtStart() {
        if (loadEnds == null) {
            loadEnds = reader().endOffsetsAtStart();
        }
        return loadEnds;
    }

    /** Hands the changed alerts' deliveries to the readers. */
    private void publish() {
        table.drainChanges().forEach((alertId, deliveries) -> {
            if (deliveries.isEmpty()) {
                published.remove(alertId);
            } else {
                published.put(alertId, deliveries);
            }
        });
    }

    /** Reader thread: one record into the table. */
    @Override
    protected void apply(ConsumerRecord<String, byte[]> record) {
        String topic = record.topic();
        if (topic.equals(Topics.WEBHOOK_ATTEMPTS.name(prefix))) {
            WebhookDeliveryAttempt a = Topics.WEBHOOK_ATTEMPTS.valueSerde().deserializer().deserialize(topic, record.value());
            if (a != null) {
                table.attempt(a);
            }
        } else if (topic.equals(Topics.ALERTS_FIRED.name(prefix))) {
            AlertNotification n = Topics.ALERTS_FIRED.valueSerde().deserializer().deserialize(topic, record.value());
            if (n != null) {
                table.notification(n);
            }
        } else if (topic.equals(Topics.WEBHOOK_DEAD.name(prefix))) {
            WebhookDelivery d = Topics.WEBHOOK_DEAD.valueSerde().deserializer().deserialize(topic, record.value());
            if (d != null) {
                table.notification(d.getNotification());
            }
        } else {
            WebhookDelivery d = REPLAY_TIER.valueSerde().deserializer().deserialize(topic, record.value());
            // A replay request (Replay.record): no attempt yet and no error. A deferral of a fresh
            // notification also has no attempt, but says why it was deferred; retries have attempts.
            if (d != null && d.getAttempts() == 0 && d.getLastError() == null) {
                table.replayRequested(d.getNotification(), d.getFirstAttemptAt());
            }
        }
    }

    /** Completes once the log has applied every record before {@code offsets} (next-offset semantics). */
    public CompletableFuture<Void> awaitPositions(Map<TopicPartition, Long> offsets) {
        return reader().awaitPositions(offsets);
    }

    /**
     * Completes when the log holds every record of {@code alertId} acknowledged before this call: one
     * ListOffsets round trip for the alert's partition of each topic (the producers' default
     * partitioner puts an alert's records there), then a wait for the reader. Without a barrier
     * (VIGIL_API_READ_BARRIER=false) completes at once: reads then lag by the reader's delay.
     */
    public CompletableFuture<Void> sync(String alertId) {
        if (admin == null) {
            return CompletableFuture.completedFuture(null);
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (TopicDef<String, ?> topic : TOPICS) {
            latest.put(partitionOf(topic.name(prefix), alertId), OffsetSpec.latest());
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        admin.listOffsets(latest).all().whenComplete((offsets, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
                return;
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            offsets.forEach((tp, info) -> ends.put(tp, info.offset()));
            awaitPositions(ends).whenComplete((v, e) -> {
                if (e != null) {
                    done.completeExceptionally(e);
                } else {
                    done.complete(null);
                }
            });
        });
        return done;
    }

    /** The partition of {@code topic} a record keyed {@code key} goes to with Kafka's default partitioner. */
    TopicPartition partitionOf(String topic, String key) {
        int partitions = partitionCounts.get(topic);
        return new TopicPartition(topic, Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions);
    }

    /** The alert's deliveries, newest first (an immutable snapshot). */
    public List<Delivery> deliveries(String alertId) {
        return published.getOrDefault(alertId, List.of());
    }

    /** Whether the log has read the topics up to their ends at start (it serves reads from then on). */
    public boolean loaded() {
        return loaded;
    }

    /** Deliveries held, as of the last poll. */
    public int size() {
        return size;
    }

    /** Loading is not "not ready": the delivery endpoints answer 503 meanwhile, the rest of the API serves. */
    @Override
    public boolean isReady() {
        return started && super.isReady();
    }

    @Override
    public void close() {
        super.close();
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }
}
