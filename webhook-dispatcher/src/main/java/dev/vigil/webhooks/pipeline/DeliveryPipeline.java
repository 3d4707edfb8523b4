package dev.vigil.webhooks.pipeline;

import dev.vigil.schemas.Topics;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.alerts.WebhookDelivery;
import dev.vigil.webhooks.delivery.Job;
import dev.vigil.webhooks.delivery.Outcome;
import dev.vigil.webhooks.metrics.DispatcherMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import dev.vigil.common.supervision.RestartBudget;
import dev.vigil.common.supervision.RestartPolicy;
import dev.vigil.common.supervision.SupervisedLoop;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka side of the dispatcher, on one thread ({@code vigil-webhooks-pipeline}) that owns the
 * consumer and does all producing and committing:
 * <ul>
 *   <li>consumes {@code vigil.alerts.fired} and the retry tiers {@code vigil.webhooks.retry.*} as the
 *       consumer group {@code <prefix>webhook-dispatcher}, manual commits;</li>
 *   <li>hands each notification with a callback URL to the dispatcher as a {@link Job} — a tier
 *       record only once due: a tier partition whose head record is not due is paused (and rewound to
 *       just after the head, so only the head is held in memory) until it is;</li>
 *   <li>writes each {@link Outcome} — the attempt to {@code vigil.webhooks.attempts}, the delivery to
 *       its next tier or to {@code vigil.webhooks.dead}, a disabled alert to {@code vigil.alerts} —
 *       and only when every write is acknowledged settles the input record;</li>
 *   <li>commits, per partition, the offset of the first unsettled record (every 100 ms, on
 *       revocation and on close).</li>
 * </ul>
 * So an offset is committed only after its notification was delivered, dead-lettered, or durably
 * moved to the next tier: a crash at any point loses nothing, and at worst repeats attempts.
 *
 * <p>Memory is bounded: at {@code maxPending} unsettled records every partition is paused until a
 * quarter of them settled.
 *
 * <p>The loop is supervised ({@link SupervisedLoop}): a failure restarts it with back-off on a new
 * consumer, and past the restart budget {@link #isAlive()} turns false ({@code /healthy} answers 503).
 */
public final class DeliveryPipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeliveryPipeline.class);
    private static final long IDLE_POLL_MS = 100;
    private static final long BUSY_POLL_MS = 10;
    private static final long COMMIT_INTERVAL_MS = 100;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration ABANDON_TIMEOUT = Duration.ofSeconds(5);

    private final Map<String, Object> consumerConfig;
    private final Map<String, Object> producerConfig;
    private final String firedTopic;
    private final OutcomeRecords outcomeRecords;
    private final Consumer<List<Job>> jobs;
    private final DispatcherMetrics metrics;
    private final int maxPending;
    private final int resumeBelow;

    private final ConcurrentLinkedQueue<Object> events = new ConcurrentLinkedQueue<>();
    private final Map<TopicPartition, PartitionState> states = new HashMap<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private final AtomicInteger pendingGauge = new AtomicInteger();
    /** Jobs counted in flight but not handed to the dispatcher yet (a failure drops them, see Loop.abandon). */
    private final List<Job> undispatched = new ArrayList<>();
    private final CountDownLatch firstAssignment = new CountDownLatch(1);
    private int pending;
    private int inFlight;
    private boolean loadPaused;
    private long lastCommit;
    private volatile boolean assigned;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private KafkaProducer<String, byte[]> producer;
    private OutcomeWriter writer;
    private final SupervisedLoop loop = new SupervisedLoop("webhook-pipeline", "vigil-webhooks-pipeline", new Loop(),
            new RestartBudget(RestartPolicy.DEFAULT), false);

    private record Written(Outcome outcome) {
    }

    private record WriteFailed(Outcome outcome, Exception error) {
    }

    /**
     * @param consumerConfig a group consumer config (manual commits); the group id is set here
     * @param producerConfig an idempotent acks=all producer config
     * @param jobs           receives batches of jobs; must not block (it hops onto the event loop)
     */
    public DeliveryPipeline(Map<String, Object> consumerConfig, Map<String, Object> producerConfig, String topicPrefix,
            Consumer<List<Job>> jobs, DispatcherMetrics metrics, int maxPending) {
        Map<String, Object> c = new HashMap<>(consumerConfig);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId(topicPrefix));
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A resumed tier partition is fetched within this, not after a 500 ms wait on other partitions.
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        // Incremental rebalances: when an instance joins or leaves, only the partitions that move are
        // revoked, so the others keep their in-flight deliveries instead of redelivering them.
        c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        this.consumerConfig = c;
        this.producerConfig = batching(producerConfig);
        this.firedTopic = Topics.ALERTS_FIRED.name(topicPrefix);
        this.outcomeRecords = new OutcomeRecords(topicPrefix);
        this.jobs = jobs;
        this.metrics = metrics;
        this.maxPending = maxPending;
        this.resumeBelow = maxPending * 3 / 4;
        metrics.pendingGauge(pendingGauge::get);
    }

    /**
     * Nothing waits on the pipeline's writes but the offset commit (the webhook was already sent), so
     * a few milliseconds of batching are free and save the broker most of its per-request work. Kafka
     * requires {@code delivery.timeout.ms >= linger.ms + request.timeout.ms}; it is raised if needed.
     */
    static Map<String, Object> batching(Map<String, Object> producerConfig) {
        Map<String, Object> p = new HashMap<>(producerConfig);
        long linger = 5;
        p.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger);
        long request = asLong(p.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG), 30_000);
        long delivery = asLong(p.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG), 120_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(delivery, request + linger));
        return p;
    }

    private static long asLong(Object value, long dflt) {
        // Pass-through properties (VIGIL_KAFKA_CLIENT_*) arrive as strings, Vigil's own as numbers.
        return value == null ? dflt : Long.parseLong(String.valueOf(value).trim());
    }

    /** The consumer group of the dispatcher under {@code topicPrefix}. */
    public static String groupId(String topicPrefix) {
        return topicPrefix + "webhook-dispatcher";
    }

    /** Hands an outcome to the pipeline; any thread, never blocks. */
    public void accept(Outcome outcome) {
        events.add(outcome);
    }

    /** Starts the pipeline thread and returns once the group gave this instance its partitions. */
    public void start() throws Exception {
        producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
        writer = new OutcomeWriter(producer, outcomeRecords, o -> events.add(new Written(o)),
                (o, e) -> events.add(new WriteFailed(o, e)));
        try {
            loop.start();
        } catch (Exception | Error e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        if (!firstAssignment.await(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || !loop.isAlive()) {
            close();
            throw new IllegalStateException("webhook pipeline did not join consumer group " + consumerConfig.get(
                    ConsumerConfig.GROUP_ID_CONFIG) + " within " + START_TIMEOUT, loop.lastFailure());
        }
    }

    /**
     * The pipeline's loop under supervision: a failure (from the consumer, a commit, a write)
     * abandons the consumer and every partition's unsettled records (they are redelivered from the
     * committed offsets, as after a crash: at least once), then after a back-off a new consumer
     * joins the group again. The producer and the outcomes in flight are kept.
     */
    private final class Loop implements SupervisedLoop.Body {

        @Override
        public void open() {
            KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                    new ByteArrayDeserializer());
            try {
                List<String> topics = new ArrayList<>();
                topics.add(firedTopic);
                topics.addAll(outcomeRecords.tierTopics());
                c.subscribe(topics, new Rebalance());
            } catch (RuntimeException e) {
                c.close(CloseOptions.timeout(Duration.ZERO));
                throw e;
            }
            consumer = c;
        }

        @Override
        public void runOnce() {
            loopOnce();
        }

        @Override
        public void abandon() {
            // As if every partition were lost: unsettled records come again from the committed offsets.
            new Rebalance().onPartitionsLost(new ArrayList<>(states.keySet()));
            // Jobs never handed over get no outcome back: they are no longer in flight.
            inFlight -= undispatched.size();
            undispatched.clear();
            paused.clear();
            loadPaused = false;
            KafkaConsumer<String, byte[]> c = consumer;
            consumer = null;
            if (c != null) {
                try {
                    // Time to leave the group, so the new consumer gets the partitions at once rather
                    // than after the session timeout of a member that vanished.
                    c.close(CloseOptions.timeout(ABANDON_TIMEOUT));
                } catch (RuntimeException e) {
                    log.debug("Consumer did not close cleanly after a failure: {}", e.toString());
                }
            }
        }

        @Override
        public void finish() {
            try {
                if (consumer != null) {
                    drain();
                }
            } catch (RuntimeException e) {
                log.warn("Webhook pipeline did not drain cleanly; unsettled notifications are redelivered after restart", e);
            } finally {
                closeClients();
            }
        }

        @Override
        public void wakeup() {
            KafkaConsumer<String, byte[]> c = consumer;
            if (c != null) {
                c.wakeup();
            }
        }

        @Override
        public void died(Throwable cause) {
            firstAssignment.countDown();
            try {
                producer.close(CLOSE_TIMEOUT);
            } catch (RuntimeException e) {
                log.warn("Producer did not close cleanly", e);
            }
        }
    }

    private void loopOnce() {
        long now = System.currentTimeMillis();
        handleEvents(now);
        writer.rewriteDue(now);
        List<Job> batch = undispatched;
        releaseDue(now, batch);
        dispatch(batch);
        updatePauses();
        if (now - lastCommit >= COMMIT_INTERVAL_MS) {
            commitAsync();
            lastCommit = now;
        }
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(pollTimeout(now)));
        if (!records.isEmpty()) {
            now = System.currentTimeMillis();
            for (ConsumerRecord<String, byte[]> record : records) {
                PartitionState state = states.get(new TopicPartition(record.topic(), record.partition()));
                if (state == null || state.revoked()) {
                    continue;
                }
                if (state.tier < 0) {
                    acceptFired(state, record, batch);
                } else {
                    acceptTier(state, record, now, batch);
                }
            }
            dispatch(batch);
        }
        pendingGauge.set(pending);
    }

    private long pollTimeout(long now) {
        long timeout = inFlight > 0 || !events.isEmpty() ? BUSY_POLL_MS : IDLE_POLL_MS;
        for (PartitionState state : states.values()) {
            PartitionState.Entry head = state.headNotDue();
            if (head != null) {
                timeout = Math.min(timeout, Math.max(1, head.waiting.getDueAt().toEpochMilli() - now));
            }
        }
        long rewriteAt = writer.nextRewriteAt();
        if (rewriteAt != Long.MAX_VALUE) {
            timeout = Math.min(timeout, Math.max(1, rewriteAt - now));
        }
        return timeout;
    }

    private void acceptFired(PartitionState state, ConsumerRecord<String, byte[]> record, List<Job> batch) {
        AlertNotification n;
        try {
            n = Topics.ALERTS_FIRED.valueSerde().deserializer().deserialize(record.topic(), record.value());
        } catch (SerializationException e) {
            skip(state, record, "undecodable", e.getMessage());
            return;
        }
        if (n == null) {
            skip(state, record, "tombstone", null);
            return;
        }
        if (n.getCallbackUrl() == null || n.getCallbackUrl().isBlank()) {
            // WebSocket-only alert: nothing to deliver here.
            state.settle(state.add(record.offset(), null));
            metrics.skippedRecord("no_callback");
            return;
        }
        PartitionState.Entry entry = state.add(record.offset(), null);
        pending++;
        inFlight++;
        batch.add(new Job(entry, n, 0, null));
    }

    private void acceptTier(PartitionState state, ConsumerRecord<String, byte[]> record, long now, List<Job> batch) {
        if (state.hasNotDue()) {
            // Fetched past a head that is not due: the partition was rewound, these come again later.
            return;
        }
        WebhookDelivery delivery;
        try {
            delivery = Topics.WEBHOOK_DEAD.valueSerde().deserializer().deserialize(record.topic(), record.value());
        } catch (SerializationException e) {
            skip(state, record, "undecodable", e.getMessage());
            return;
        }
        if (delivery == null) {
            skip(state, record, "tombstone", null);
            return;
        }
        state.add(record.offset(), delivery);
        pending++;
        if (delivery.getDueAt().toEpochMilli() <= now) {
            release(state, batch);
        } else {
            // Hold only the head; everything after it is fetched again once it is due.
            consumer.seek(state.partition, record.offset() + 1);
        }
    }

    private void skip(PartitionState state, ConsumerRecord<String, byte[]> record, String reason, String detail) {
        state.settle(state.add(record.offset(), null));
        metrics.skippedRecord(reason);
        log.warn("Skipping {} record {}-{}@{}{}", reason, record.topic(), record.partition(), record.offset(),
                detail == null ? "" : ": " + detail);
    }

    private void releaseDue(long now, List<Job> batch) {
        for (PartitionState state : states.values()) {
            PartitionState.Entry head = state.headNotDue();
            if (head != null && head.waiting.getDueAt().toEpochMilli() <= now) {
                release(state, batch);
            }
        }
    }

    private void release(PartitionState state, List<Job> batch) {
        PartitionState.Entry entry = state.releaseHead();
        WebhookDelivery d = entry.waiting;
        inFlight++;
        batch.add(new Job(entry, d.getNotification(), d.getAttempts(), d.getFirstAttemptAt()));
    }

    private void dispatch(List<Job> batch) {
        if (!batch.isEmpty()) {
            jobs.accept(List.copyOf(batch));
            batch.clear();
        }
    }

    private void updatePauses() {
        if (!loadPaused && pending >= maxPending) {
            loadPaused = true;
            log.debug("{} notifications pending: pausing all partitions", pending);
        } else if (loadPaused && pending <= resumeBelow) {
            loadPaused = false;
            log.debug("{} notifications pending: resuming", pending);
        }
        Set<TopicPartition> wanted = new HashSet<>();
        for (PartitionState state : states.values()) {
            if (loadPaused || state.hasNotDue()) {
                wanted.add(state.partition);
            }
        }
        if (wanted.equals(paused)) {
            return;
        }
        Set<TopicPartition> resume = new HashSet<>(paused);
        resume.removeAll(wanted);
        resume.retainAll(states.keySet());
        Set<TopicPartition> pause = new HashSet<>(wanted);
        pause.removeAll(paused);
        consumer.pause(pause);
        consumer.resume(resume);
        paused.clear();
        paused.addAll(wanted);
    }

    // ---- outcomes -> Kafka -> settled records ----

    private void handleEvents(long now) {
        Object event;
        while ((event = events.poll()) != null) {
            if (event instanceof Outcome o) {
                writer.write(o);
            } else if (event instanceof Written w) {
                settled(w.outcome());
            } else if (event instanceof WriteFailed f) {
                writer.retryLater(f.outcome(), f.error(), now);
            }
        }
    }

    private void settled(Outcome outcome) {
        inFlight--;
        PartitionState.Entry entry = (PartitionState.Entry) outcome.job().token();
        PartitionState owner = entry.owner;
        if (owner.settle(entry) && !owner.revoked()) {
            pending--;
        }
    }

    // ---- commits and rebalances ----

    private Map<TopicPartition, OffsetAndMetadata> committable(Collection<PartitionState> of, boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (PartitionState state : of) {
            long offset = state.commitOffset();
            if (offset >= 0 && offset > (sync ? state.committed() : state.requested())) {
                offsets.put(state.partition, new OffsetAndMetadata(offset));
            }
        }
        return offsets;
    }

    private void commitAsync() {
        Map<TopicPartition, OffsetAndMetadata> offsets = committable(states.values(), false);
        if (offsets.isEmpty()) {
            return;
        }
        // Marked as requested so the same offsets are not sent every loop while this is in flight.
        offsets.forEach((tp, om) -> states.get(tp).requested(om.offset()));
        // The callback runs on this thread, inside a later poll or commit.
        consumer.commitAsync(offsets, (done, e) -> {
            offsets.forEach((tp, om) -> {
                PartitionState state = states.get(tp);
                if (state == null) {
                    return;
                }
                if (e == null) {
                    state.committed(om.offset());
                } else {
                    state.requestFailed();
                }
            });
            if (e != null) {
                log.warn("Offset commit failed (sent again with the next one): {}", e.toString());
            }
        });
    }

    private void commitSync(Collection<PartitionState> of) {
        Map<TopicPartition, OffsetAndMetadata> offsets = committable(of, true);
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, CLOSE_TIMEOUT);
            offsets.forEach((tp, om) -> {
                PartitionState state = states.get(tp);
                if (state != null) {
                    state.committed(om.offset());
                }
            });
        } catch (KafkaException e) {
            log.warn("Offset commit failed; the next owner redelivers from the last committed offsets: {}", e.toString());
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            List<PartitionState> revoked = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                PartitionState state = states.get(tp);
                if (state != null) {
                    revoked.add(state);
                }
            }
            commitSync(revoked);
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                int tier = tp.topic().equals(firedTopic) ? -1 : outcomeRecords.tierOf(tp.topic());
                states.put(tp, new PartitionState(tp, tier));
            }
            if (!partitions.isEmpty() || !assigned) {
                log.info("Assigned {} partitions ({} in total)", partitions.size(), states.size());
            }
            assigned = true;
            firstAssignment.countDown();
        }

        private void forget(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                PartitionState state = states.remove(tp);
                if (state != null) {
                    pending -= state.revoke();
                }
                paused.remove(tp);
            }
            if (!partitions.isEmpty()) {
                log.info("Released {} partitions ({} left)", partitions.size(), states.size());
            }
        }
    }

    // ---- shutdown ----

    /** Stops fetching, lets in-flight attempts finish and their outcomes be written, commits. */
    private void drain() {
        consumer.pause(consumer.assignment());
        long deadline = System.currentTimeMillis() + SHUTDOWN_GRACE.toMillis();
        while (inFlight > 0 && System.currentTimeMillis() < deadline) {
            handleEvents(System.currentTimeMillis());
            try {
                consumer.poll(Duration.ofMillis(BUSY_POLL_MS));
            } catch (WakeupException e) {
                // A late wakeup from close(); keep draining.
            }
        }
        handleEvents(System.currentTimeMillis());
        producer.flush();
        handleEvents(System.currentTimeMillis());
        commitSync(new ArrayList<>(states.values()));
        if (inFlight > 0) {
            log.warn("{} attempts still in flight at shutdown; their notifications are redelivered after restart", inFlight);
        }
    }

    private void closeClients() {
        try {
            producer.close(CLOSE_TIMEOUT);
        } catch (RuntimeException e) {
            log.warn("Producer did not close cleanly", e);
        }
        KafkaConsumer<String, byte[]> c = consumer;
        consumer = null;
        if (c == null) {
            return;
        }
        try {
            c.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        } catch (RuntimeException e) {
            log.warn("Consumer did not close cleanly", e);
        }
    }

    /** Whether the pipeline runs (not restarting or dead) and holds its group membership. */
    public boolean isRunning() {
        return loop.isRunning() && assigned;
    }

    /** False once the loop spent its restart budget. */
    public boolean isAlive() {
        return loop.isAlive();
    }

    /** Registers the loop's failure, restart and dead meters. */
    public void bindTo(MeterRegistry registry) {
        loop.bindTo(registry);
    }

    /** Notifications fetched and not yet settled. */
    public int pending() {
        return pendingGauge.get();
    }

    /** Stops the pipeline: drains in-flight work (bounded), commits, closes the clients. Idempotent. */
    @Override
    public void close() {
        loop.close();
    }
}
