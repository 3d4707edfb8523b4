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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
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
 * <p>Per poll (at most {@code 4 × concurrency} requests): the alerts of each request still inside their
 * cooldown are dropped <em>before</em> asking (a request whose alerts all are costs no call); the rest are
 * judged with one {@link LlmJudge#judgeAll} call per request, in parallel; then, on the loop thread and in
 * offset order, each matching verdict passes the cooldown again (a firing earlier in the same poll counts)
 * and becomes a notification with the id {@code Ids.notificationId(alertId, record key)} — the scheme of
 * condition alerts. The offsets are committed only once every notification of the poll is acknowledged:
 * at-least-once (alert-router/DESIGN.md). A model failure (timeout, 5xx, budget, malformed answer) fires
 * nothing for that record and is counted by reason; the worker goes on. A Kafka failure throws, and the
 * loop reopens the clients and reprocesses from the last commit.
 */
public final class JudgeWorker implements SupervisedLoop.Body, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JudgeWorker.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /** Requests per poll, in multiples of the call concurrency: bounds how long a poll's calls may take. */
    private static final int ROUNDS = 4;

    private final KafkaClients clients;
    private final String groupId;
    private final String requestTopic;
    private final String firedTopic;
    private final LlmJudge judge;
    private final int concurrency;
    private final Duration callTimeout;
    private final Clock clock;
    private final RouterMetrics metrics;
    private final SupervisedLoop loop;
    private final JudgeCooldowns cooldowns = new JudgeCooldowns();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private KafkaProducer<String, byte[]> producer;
    private ExecutorService calls;

    /**
     * @param groupId     the worker's consumer group (the router's application id + {@code -judge})
     * @param concurrency model calls in flight at once ({@code VIGIL_MODEL_CONCURRENCY})
     * @param callTimeout deadline of one model call ({@code VIGIL_MODEL_TIMEOUT}); bounds a poll's work
     */
    public JudgeWorker(KafkaClients clients, String topicPrefix, String groupId, LlmJudge judge, int concurrency,
            Duration callTimeout, Clock clock, RouterMetrics metrics) {
        this.clients = clients;
        this.groupId = groupId;
        this.requestTopic = Topics.ALERTS_JUDGE.name(topicPrefix);
        this.firedTopic = Topics.ALERTS_FIRED.name(topicPrefix);
        this.judge = judge;
        this.concurrency = concurrency;
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
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, ROUNDS * concurrency);
        // A poll's work is at most ROUNDS rounds of calls, each within the call deadline (which covers the
        // wait for a slot too), bounded by pollBudget(); stay in the group through that.
        c.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                (int) Math.max(300_000, pollBudget().toMillis() + 60_000));
        AtomicInteger thread = new AtomicInteger();
        calls = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "vigil-alert-router-judge-call-" + thread.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        producer = new KafkaProducer<>(clients.producer(groupId + "-producer"), new StringSerializer(),
                new ByteArraySerializer());
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(requestTopic), new Rebuild());
    }

    @Override
    public void runOnce() throws Exception {
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
        if (records.isEmpty()) {
            return;
        }
        List<Pending> pending = new ArrayList<>(records.count());
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
            JudgeRequest request = decode(record);
            if (request != null) {
                metrics.judgeRequest();
                pending.add(ask(request));
            }
        }
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        // The model client keeps each call within its deadline; this bounds the poll even for a judge that
        // does not (a hung call then counts as a timeout and its record fires nothing).
        long deadline = System.nanoTime() + pollBudget().toNanos();
        for (Pending p : pending) {
            notify(p, sends, deadline);
        }
        producer.flush();
        for (Future<RecordMetadata> send : sends) {
            send.get(); // a failed write throws: nothing is committed, the poll is processed again
        }
        consumer.commitSync(offsets);
        cooldowns.purge(clock.millis());
    }

    /** A request, the alerts asked about, and the call's outcome. */
    private record Pending(JudgeRequest request, List<JudgedAlert> asked, CompletableFuture<List<Verdict>> verdicts) {
    }

    private Pending ask(JudgeRequest request) {
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
            return new Pending(request, asked, CompletableFuture.completedFuture(List.of()));
        }
        List<String> prompts = asked.stream().map(JudgedAlert::getEventPrompt).toList();
        CompletableFuture<List<Verdict>> verdicts = CompletableFuture.supplyAsync(() -> {
            try {
                return judge.judgeAll(request.getCollectionId(), prompts, request.getText());
            } catch (JudgeException e) {
                throw new JudgeFailure(e);
            }
        }, calls);
        return new Pending(request, asked, verdicts);
    }

    /** Longest a poll's calls may take: {@value #ROUNDS} rounds of calls, each within the call deadline, and a margin. */
    private Duration pollBudget() {
        return callTimeout.multipliedBy(ROUNDS).plusSeconds(10);
    }

    private void notify(Pending p, List<Future<RecordMetadata>> sends, long deadline) throws InterruptedException {
        if (p.asked().isEmpty()) {
            return;
        }
        JudgeRequest request = p.request();
        List<Verdict> verdicts;
        try {
            verdicts = p.verdicts().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            p.verdicts().cancel(true);
            metrics.judgeFailure("timeout");
            log.warn("No verdict within {} for the {} record of index {} ({} to {}); nothing fires for it",
                    pollBudget(), request.getChannel(), request.getIndexId(), request.getStart(), request.getEnd());
            return;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String reason = cause instanceof JudgeFailure f ? f.getCause().reason() : "internal";
            metrics.judgeFailure(reason);
            log.warn("No verdict for the {} record of index {} ({} to {}): {}; nothing fires for it",
                    request.getChannel(), request.getIndexId(), request.getStart(), request.getEnd(),
                    cause instanceof JudgeFailure f ? f.getCause().getMessage() : String.valueOf(cause));
            return;
        }
        if (verdicts.size() != p.asked().size()) {
            metrics.judgeFailure("incomplete");
            log.warn("The judge gave {} verdicts for {} events; nothing fires for the record", verdicts.size(),
                    p.asked().size());
            return;
        }
        long recordTime = request.getRecordTime().toEpochMilli();
        for (int i = 0; i < verdicts.size(); i++) {
            JudgedAlert alert = p.asked().get(i);
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
            // The record time as the Kafka timestamp, as the topology does: the cooldown rebuild reads it back.
            sends.add(producer.send(new ProducerRecord<>(firedTopic, null, recordTime, alert.getAlertId(),
                    Topics.ALERTS_FIRED.valueSerde().serializer().serialize(firedTopic, n))));
            metrics.fired(Duration.between(request.getRecordEmitTs(), now));
            log.debug("Judged alert {} fired {} on the {} record of index {}", alert.getAlertId(), id,
                    request.getChannel(), request.getIndexId());
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

    /** Rebuilds the cooldowns from {@code vigil.alerts.fired} when partitions arrive (they may have fired elsewhere). */
    private final class Rebuild implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
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
            // Nothing in flight: a poll's notifications are acknowledged and committed before the next poll.
        }
    }

    @Override
    public void abandon() {
        closeClients(Duration.ZERO);
        // The failed poll may have marked firings whose notifications never reached the broker; the
        // reopened consumer's assignment rebuilds the map from what alerts.fired really holds.
        cooldowns.clear();
    }

    @Override
    public void finish() {
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
                c.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(timeout));
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
