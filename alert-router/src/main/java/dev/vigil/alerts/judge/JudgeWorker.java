package dev.vigil.alerts.judge;

import dev.vigil.alerts.cooldown.Cooldown;
import dev.vigil.alerts.metrics.RouterMetrics;
import dev.vigil.common.ids.Ids;
import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.common.supervision.RestartBudget;
import dev.vigil.common.supervision.RestartPolicy;
import dev.vigil.common.supervision.SupervisedLoop;
import dev.vigil.rules.judge.JudgeException;
import dev.vigil.rules.judge.LlmJudge;
import dev.vigil.rules.judge.Verdict;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.alerts.JudgeRequest;
import dev.vigil.schemas.alerts.JudgedAlert;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges the records the topology wrote to {@code vigil.alerts.judge} and writes a notification to
 * {@code vigil.alerts.fired} for each judged alert whose verdict matches — off the Kafka Streams thread,
 * on a plain consumer and producer driven by a {@link SupervisedLoop} ({@code vigil-alert-router-judge}),
 * with the model calls on {@code concurrency} named threads ({@code vigil-alert-router-judge-call-N}).
 *
 * <p>A pipeline, not a batch: each request's model call starts as soon as it is polled, and each matching
 * verdict becomes a notification the moment it returns — a slow answer holds back nothing but its own
 * record. The loop thread owns the consumer, the producer and the cooldowns; the call threads and the
 * producer's acknowledgements only hand results back to it (a queue, and a consumer wakeup when it is
 * waiting in a poll). Per request: the alerts still inside their cooldown are dropped <em>before</em>
 * asking (a request whose alerts all are costs no call); the rest are judged with one
 * {@link LlmJudge#judgeAll} call; each matching verdict passes the cooldown again (any firing decided
 * earlier counts) and becomes a notification with the id {@code Ids.notificationId(alertId, record key)} —
 * the scheme of condition alerts. At most {@code 4 × concurrency} requests are in flight; past that the
 * partitions are paused until calls return. Offsets are committed per partition only up to the contiguous
 * prefix of finished requests (judged and every notification acknowledged; {@link AckedPrefix}): a restart
 * replays at most the unfinished tail — at-least-once (alert-router/DESIGN.md). A model failure (timeout,
 * 5xx, budget, malformed answer) fires nothing for that record and is counted by reason; the worker goes
 * on. A Kafka failure throws, and the loop reopens the clients and reprocesses from the last commit.
 */
public final class JudgeWorker implements SupervisedLoop.Body, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JudgeWorker.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /** Requests in flight, in multiples of the call concurrency: keeps the call threads busy while bounding the backlog. */
    private static final int ROUNDS = 4;
    /**
     * Taken but uncommitted requests per partition before it is paused: a slow call at the head of a
     * partition lets the rest of it go on, up to this many records, which is what a crash then replays.
     */
    static final int MAX_UNCOMMITTED = 1_000;
    /** On an orderly stop, verdicts due within this still fire and are committed; later ones are left to the next owner. */
    private static final Duration FINISH_GRACE = Duration.ofSeconds(3);
    private static final Duration PURGE_EVERY = Duration.ofSeconds(10);

    private final KafkaClients clients;
    private final String groupId;
    private final String requestTopic;
    private final String firedTopic;
    private final LlmJudge judge;
    private final int concurrency;
    private final int maxInFlight;
    private final Duration callTimeout;
    private final Clock clock;
    private final RouterMetrics metrics;
    private final SupervisedLoop loop;
    private final JudgeCooldowns cooldowns = new JudgeCooldowns();
    private volatile KafkaConsumer<String, byte[]> consumer;
    /** True while the loop thread waits in {@code poll}: results arriving then wake it up. */
    private volatile boolean polling;
    private final AtomicBoolean wakeupSent = new AtomicBoolean();
    private KafkaProducer<String, byte[]> producer;
    private ExecutorService calls;
    /** Per open: results handed back to the loop thread (call outcomes, send acknowledgements). */
    private volatile BlockingQueue<Runnable> results = new LinkedBlockingQueue<>();
    /** Per open, loop thread only: the assigned partitions' progress (replaced when a partition is revoked). */
    private Map<TopicPartition, AckedPrefix> progress = new HashMap<>();
    /** Per open, loop thread only: requests whose verdict has not come back, oldest first. */
    private Set<InFlight> inFlight = new LinkedHashSet<>();
    private long lastPurge;

    /**
     * @param groupId     the worker's consumer group (the router's application id + {@code -judge})
     * @param concurrency model calls in flight at once ({@code VIGIL_MODEL_CONCURRENCY})
     * @param callTimeout deadline of one model call ({@code VIGIL_MODEL_TIMEOUT})
     */
    public JudgeWorker(KafkaClients clients, String topicPrefix, String groupId, LlmJudge judge, int concurrency,
            Duration callTimeout, Clock clock, RouterMetrics metrics) {
        this.clients = clients;
        this.groupId = groupId;
        this.requestTopic = Topics.ALERTS_JUDGE.name(topicPrefix);
        this.firedTopic = Topics.ALERTS_FIRED.name(topicPrefix);
        this.judge = judge;
        this.concurrency = concurrency;
        this.maxInFlight = ROUNDS * concurrency;
        this.callTimeout = callTimeout;
        this.clock = clock;
        this.metrics = metrics;
        this.loop = new SupervisedLoop("alert-router-judge", "vigil-alert-router-judge", this,
                new RestartBudget(RestartPolicy.DEFAULT), false);
    }

    /** Opens the clients and starts the loop thread; the group assignment follows on the first polls. */
    public void start(MeterRegistry registry) throws Exception {
        loop.bindTo(registry).start();
    }

    /** Whether the loop runs (not restarting, dead or stopped). */
    public boolean isRunning() {
        return loop.isRunning();
    }

    /** False once the loop spent its restart budget. */
    public boolean isAlive() {
        return loop.isAlive();
    }

    @Override
    public void close() {
        loop.close();
    }

    @Override
    public void open() {
        Map<String, Object> c = clients.consumer(groupId + "-consumer", groupId);
        // One poll hands over at most what the call threads can start at once; the in-flight bound does the rest.
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, concurrency);
        AtomicInteger thread = new AtomicInteger();
        calls = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "vigil-alert-router-judge-call-" + thread.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        results = new LinkedBlockingQueue<>();
        progress = new HashMap<>();
        inFlight = new LinkedHashSet<>();
        producer = new KafkaProducer<>(clients.producer(groupId + "-producer"), new StringSerializer(),
                new ByteArraySerializer());
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(requestTopic), new Rebalance());
    }

    @Override
    public void runOnce() throws Exception {
        applyResults();
        expireHungCalls();
        commitFinished();
        throttle();
        if (clock.millis() - lastPurge >= PURGE_EVERY.toMillis()) {
            cooldowns.purge(clock.millis());
            lastPurge = clock.millis();
        }
        ConsumerRecords<String, byte[]> records;
        polling = true;
        try {
            // A result that arrived before `polling` was set is seen here; one after it wakes the poll.
            records = consumer.poll(results.isEmpty() ? POLL : Duration.ZERO);
        } catch (WakeupException e) {
            return; // a result arrived (or close() asked: the loop checks that itself)
        } finally {
            polling = false;
            wakeupSent.set(false);
        }
        for (ConsumerRecord<String, byte[]> record : records) {
            take(record);
        }
    }

    /** Called from the call threads and the producer's thread: runs {@code result} on the loop thread. */
    private void handBack(BlockingQueue<Runnable> queue, Runnable result) {
        queue.add(result);
        KafkaConsumer<String, byte[]> c = consumer;
        if (polling && c != null && wakeupSent.compareAndSet(false, true)) {
            c.wakeup();
        }
    }

    private void applyResults() {
        Runnable result;
        while ((result = results.poll()) != null) {
            result.run();
        }
    }

    /** A request whose verdict is awaited, then whose notifications are awaited. */
    private static final class InFlight {
        final TopicPartition partition;
        final AckedPrefix prefix;
        final long offset;
        final JudgeRequest request;
        final List<JudgedAlert> asked;
        final long startedNanos;
        CompletableFuture<List<Verdict>> verdicts;
        boolean answered;
        int unacknowledged;

        InFlight(TopicPartition partition, AckedPrefix prefix, long offset, JudgeRequest request, List<JudgedAlert> asked) {
            this.partition = partition;
            this.prefix = prefix;
            this.offset = offset;
            this.request = request;
            this.asked = asked;
            this.startedNanos = System.nanoTime();
        }
    }

    private void take(ConsumerRecord<String, byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        AckedPrefix prefix = progress.computeIfAbsent(tp, p -> new AckedPrefix());
        prefix.taken(record.offset());
        JudgeRequest request = decode(record);
        if (request == null) {
            prefix.finished(record.offset());
            return;
        }
        metrics.judgeRequest();
        long recordTime = request.getRecordTime().toEpochMilli();
        List<JudgedAlert> asked = new ArrayList<>(request.getAlerts().size());
        for (JudgedAlert alert : request.getAlerts()) {
            String id = Ids.notificationId(alert.getAlertId(), request.getNotificationKey());
            if (cooldowns.decide(alert.getAlertId(), id, recordTime, Duration.ofMillis(alert.getCooldownMs()))
                    == Cooldown.Decision.SUPPRESS) {
                metrics.suppressedByCooldown(); // not worth a model call
            } else {
                asked.add(alert);
            }
        }
        if (asked.isEmpty()) {
            prefix.finished(record.offset());
            return;
        }
        InFlight f = new InFlight(tp, prefix, record.offset(), request, asked);
        inFlight.add(f);
        List<String> prompts = asked.stream().map(JudgedAlert::getEventPrompt).toList();
        BlockingQueue<Runnable> queue = results;
        f.verdicts = CompletableFuture.supplyAsync(() -> {
            try {
                return judge.judgeAll(request.getCollectionId(), prompts, request.getText());
            } catch (JudgeException e) {
                throw new JudgeFailure(e);
            }
        }, calls);
        f.verdicts.whenComplete((verdicts, failure) -> handBack(queue, () -> answered(f, verdicts, failure)));
    }

    /**
     * The model client keeps each call within its deadline; this bounds a request even for a judge that does
     * not (a hung call then counts as a timeout and its record fires nothing). A request may wait for a call
     * thread behind {@value #ROUNDS} rounds of calls, each within the deadline.
     */
    private Duration hungAfter() {
        return callTimeout.multipliedBy(ROUNDS).plusSeconds(10);
    }

    private void expireHungCalls() {
        if (inFlight.isEmpty()) {
            return;
        }
        long limit = System.nanoTime() - hungAfter().toNanos();
        List<InFlight> hung = new ArrayList<>();
        for (InFlight f : inFlight) {
            if (f.startedNanos - limit > 0) {
                break; // oldest first: the rest are younger
            }
            hung.add(f);
        }
        for (InFlight f : hung) {
            f.verdicts.cancel(true);
            answered(f, null, new java.util.concurrent.TimeoutException("no verdict within " + hungAfter()));
        }
    }

    /** On the loop thread: the verdicts of {@code f} came back (or its call failed). */
    private void answered(InFlight f, List<Verdict> verdicts, Throwable failure) {
        if (f.answered) {
            return; // already expired as hung
        }
        f.answered = true;
        inFlight.remove(f);
        if (progress.get(f.partition) != f.prefix) {
            // The partition was revoked meanwhile: its new owner reads the request again from the last commit.
            log.debug("Verdict for {}@{} dropped: the partition moved", f.partition, f.offset);
            return;
        }
        JudgeRequest request = f.request;
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            String reason = cause instanceof JudgeFailure jf ? jf.getCause().reason()
                    : cause instanceof java.util.concurrent.TimeoutException ? "timeout" : "internal";
            metrics.judgeFailure(reason);
            log.warn("No verdict for the {} record of index {} ({} to {}): {}; nothing fires for it",
                    request.getChannel(), request.getIndexId(), request.getStart(), request.getEnd(),
                    cause instanceof JudgeFailure jf ? jf.getCause().getMessage() : String.valueOf(cause));
            f.prefix.finished(f.offset);
            return;
        }
        if (verdicts.size() != f.asked.size()) {
            metrics.judgeFailure("incomplete");
            log.warn("The judge gave {} verdicts for {} events; nothing fires for the record", verdicts.size(),
                    f.asked.size());
            f.prefix.finished(f.offset);
            return;
        }
        notify(f, verdicts);
        if (f.unacknowledged == 0) {
            f.prefix.finished(f.offset);
        }
    }

    private void notify(InFlight f, List<Verdict> verdicts) {
        JudgeRequest request = f.request;
        long recordTime = request.getRecordTime().toEpochMilli();
        BlockingQueue<Runnable> queue = results;
        for (int i = 0; i < verdicts.size(); i++) {
            JudgedAlert alert = f.asked.get(i);
            Verdict verdict = verdicts.get(i);
            metrics.judgeVerdict(verdict.matches());
            if (!verdict.matches()) {
                continue;
            }
            String id = Ids.notificationId(alert.getAlertId(), request.getNotificationKey());
            Duration cooldown = Duration.ofMillis(alert.getCooldownMs());
            switch (cooldowns.decide(alert.getAlertId(), id, recordTime, cooldown)) {
                case SUPPRESS -> {
                    metrics.suppressedByCooldown();
                    continue;
                }
                case REPEAT -> metrics.repeated();
                case FIRE -> {
                    if (!cooldown.isZero()) {
                        cooldowns.fired(alert.getAlertId(), id, recordTime, cooldown);
                    }
                }
                default -> throw new IllegalStateException("unknown cooldown decision");
            }
            Instant now = clock.instant();
            AlertNotification n = JudgedNotifications.create(id, request, alert, verdict, now);
            f.unacknowledged++;
            // The record time as the Kafka timestamp, as the topology does: the cooldown rebuild reads it back.
            producer.send(new ProducerRecord<>(firedTopic, null, recordTime, alert.getAlertId(),
                    Topics.ALERTS_FIRED.valueSerde().serializer().serialize(firedTopic, n)),
                    (metadata, e) -> handBack(queue, () -> acknowledged(f, e)));
            metrics.fired(Duration.between(request.getRecordEmitTs(), now));
            log.debug("Judged alert {} fired {} on the {} record of index {}", alert.getAlertId(), id,
                    request.getChannel(), request.getIndexId());
        }
    }

    /** On the loop thread: one notification of {@code f} was written (or failed to be). */
    private void acknowledged(InFlight f, Exception failure) {
        if (failure != null) {
            // Nothing after the last commit is committed now: the restarted loop reads the request again.
            throw new KafkaException("cannot write a judged notification to " + firedTopic, failure);
        }
        if (--f.unacknowledged == 0 && progress.get(f.partition) == f.prefix) {
            f.prefix.finished(f.offset);
        }
    }

    /** Commits, without waiting, each partition's finished prefix that moved since its last commit. */
    private void commitFinished() {
        Map<TopicPartition, OffsetAndMetadata> offsets = finishedOffsets(progress.keySet());
        if (!offsets.isEmpty()) {
            consumer.commitAsync(offsets, (committed, e) -> {
                if (e != null) {
                    // A later commit covers these offsets; until then a restart reads a little more again.
                    log.warn("Judge offsets not committed ({}); the next commit covers them", e.toString());
                }
            });
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> finishedOffsets(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            AckedPrefix prefix = progress.get(tp);
            long next = prefix == null ? -1 : prefix.toCommit();
            if (next >= 0) {
                offsets.put(tp, new OffsetAndMetadata(next));
                prefix.committing(next);
            }
        }
        return offsets;
    }

    /**
     * Pauses every partition while the calls in flight leave no room for a full poll, and a partition whose
     * uncommitted tail reached {@link #MAX_UNCOMMITTED}; resumes them once there is room again.
     */
    private void throttle() {
        Set<TopicPartition> pause = new HashSet<>();
        boolean full = maxInFlight - inFlight.size() < concurrency;
        for (Map.Entry<TopicPartition, AckedPrefix> e : progress.entrySet()) {
            if (full || e.getValue().uncommitted() >= MAX_UNCOMMITTED) {
                pause.add(e.getKey());
            }
        }
        Set<TopicPartition> paused = consumer.paused();
        if (pause.equals(paused)) {
            return;
        }
        Set<TopicPartition> resume = new HashSet<>(paused);
        resume.removeAll(pause);
        pause.removeAll(paused);
        Set<TopicPartition> assigned = consumer.assignment();
        pause.retainAll(assigned);
        resume.retainAll(assigned);
        if (!pause.isEmpty()) {
            consumer.pause(pause);
            log.debug("Judge requests paused on {} ({} calls in flight)", pause, inFlight.size());
        }
        if (!resume.isEmpty()) {
            consumer.resume(resume);
        }
    }

    private JudgeRequest decode(ConsumerRecord<String, byte[]> record) {
        try {
            JudgeRequest request = record.value() == null ? null
                    : Topics.ALERTS_JUDGE.valueSerde().deserializer().deserialize(record.topic(), record.value());
            if (request == null || request.getAlerts().isEmpty()) {
                metrics.poison(record.topic(), "null_value");
                return null;
            }
            return request;
        } catch (RuntimeException e) {
            metrics.poison(record.topic(), "undecodable");
            log.warn("Undecodable judge request at {}-{}@{}; skipped", record.topic(), record.partition(),
                    record.offset());
            return null;
        }
    }

    /** Carries a {@link JudgeException} out of a call thread. */
    private static final class JudgeFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        JudgeFailure(JudgeException cause) {
            super(cause);
        }

        @Override
        public synchronized JudgeException getCause() {
            return (JudgeException) super.getCause();
        }
    }

    /**
     * Partitions come and go: a revoked partition's finished prefix is committed and its requests still in
     * flight are dropped (the new owner reads them again from that commit); arriving partitions rebuild the
     * cooldowns from {@code vigil.alerts.fired} (they may have fired elsewhere). Runs on the loop thread, in poll.
     */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            for (TopicPartition tp : partitions) {
                progress.put(tp, new AckedPrefix());
            }
            try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(clients.reader(groupId + "-cooldowns"),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                cooldowns.rebuild(reader, Topics.ALERTS_FIRED, firedTopic,
                        clock.instant().minus(Cooldown.RETENTION_FLOOR),
                        r -> metrics.poison(firedTopic, "undecodable"));
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            applyResults();
            commitSync(finishedOffsets(partitions));
            partitions.forEach(progress::remove);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // Another member may own them already: no commit, just forget them.
            partitions.forEach(progress::remove);
        }
    }

    /** A synchronous commit that a wakeup meant for a poll does not cancel. */
    private void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        for (int attempt = 0; ; attempt++) {
            try {
                consumer.commitSync(offsets);
                return;
            } catch (WakeupException e) {
                if (attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void abandon() {
        closeClients(Duration.ZERO);
        inFlight = new LinkedHashSet<>();
        progress = new HashMap<>();
        // A failed write may have marked firings whose notifications never reached the broker; the
        // reopened consumer's assignment rebuilds the map from what alerts.fired really holds.
        cooldowns.clear();
    }

    /**
     * Orderly stop: verdicts that arrive within {@link #FINISH_GRACE} still fire, every notification written
     * is acknowledged, and the finished prefix is committed; requests still waiting are left uncommitted for
     * the next owner to judge.
     */
    @Override
    public void finish() {
        try {
            if (consumer != null && producer != null) {
                long deadline = System.nanoTime() + FINISH_GRACE.toNanos();
                while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
                    Runnable result = results.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                    if (result != null) {
                        result.run();
                    }
                }
                producer.flush();
                applyResults();
                commitSync(finishedOffsets(progress.keySet()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("Judge worker did not finish cleanly; uncommitted requests are judged again: {}", e.toString());
        }
        closeClients(Duration.ofSeconds(5));
    }

    private void closeClients(Duration timeout) {
        if (calls != null) {
            calls.shutdownNow();
            calls = null;
        }
        KafkaConsumer<String, byte[]> c = consumer;
        consumer = null;
        if (c != null) {
            try {
                c.close(CloseOptions.timeout(timeout));
            } catch (RuntimeException e) {
                log.debug("Judge consumer did not close cleanly: {}", e.toString());
            }
        }
        if (producer != null) {
            try {
                producer.close(timeout);
            } catch (RuntimeException e) {
                log.debug("Judge producer did not close cleanly: {}", e.toString());
            }
            producer = null;
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
        log.error("The judge worker stopped for good; judged alerts no longer fire", cause);
    }
}
