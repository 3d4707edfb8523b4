package dev.vigil.common.kafka.reader;

import dev.vigil.common.lifecycle.Service;
import dev.vigil.common.supervision.RestartBudget;
import dev.vigil.common.supervision.RestartPolicy;
import dev.vigil.common.supervision.SupervisedLoop;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails every partition of one or more topics on one named thread, without a consumer group, and
 * hands each record to a {@link RecordHandler}: the shape of Kafka Connect's {@code KafkaBasedLog}.
 * Every in-memory view of a topic in Vigil is one of these plus its handler.
 *
 * <ul>
 *   <li>{@link #start()} assigns the partitions, seeks them to the {@link StartPosition}, resolves the
 *       positions (so a record written after {@code start()} returns is read) and starts the thread.</li>
 *   <li>{@link #caughtUp()} completes once the records that existed at start are applied;
 *       {@link #readToEnd()} once those that existed at the call are; {@link #awaitPositions} once
 *       given offsets are (read-your-writes after a produce).</li>
 *   <li>A failure (from {@code poll} or the handler) restarts the reader with back-off on a new
 *       consumer that resumes from the applied positions: no record is lost or applied twice. Past the
 *       restart budget the reader is dead: {@link #isAlive()} is false and every waiter fails.</li>
 * </ul>
 * See {@code DESIGN.md} next to this class.
 */
public final class TopicReader<K, V> implements Service {

    private static final Logger log = LoggerFactory.getLogger(TopicReader.class);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Map<String, Object> consumerConfig;
    private final Deserializer<K> keyDeserializer;
    private final Deserializer<V> valueDeserializer;
    private final List<String> topics;
    private final StartPosition startPosition;
    private final RecordHandler<K, V> handler;
    private final Duration pollTimeout;
    private final Duration endOffsetsTimeout;
    private final SupervisedLoop loop;
    private final AppliedPositions applied = new AppliedPositions();
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> readToEndRequests = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    /** Reader thread (and the starter's, before the thread starts): the next offset to read per partition. */
    private final Map<TopicPartition, Long> resumeAt = new HashMap<>();
    private volatile List<TopicPartition> partitions = List.of();
    private volatile Map<TopicPartition, Long> endsAtStart = Map.of();
    private volatile KafkaConsumer<K, V> consumer;
    private volatile boolean closed;

    private TopicReader(Builder<K, V> b) {
        this.name = b.name;
        Map<String, Object> config = new HashMap<>(b.consumerConfig);
        // No group: every instance reads every partition, and positions live here, not in Kafka.
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumerConfig = Map.copyOf(config);
        this.keyDeserializer = b.keyDeserializer;
        this.valueDeserializer = b.valueDeserializer;
        this.topics = List.copyOf(b.topics);
        this.startPosition = b.startPosition;
        this.handler = b.handler;
        this.pollTimeout = b.pollTimeout;
        this.endOffsetsTimeout = b.endOffsetsTimeout;
        this.loop = new SupervisedLoop(name, b.threadName, new Body(), new RestartBudget(b.restartPolicy), true);
        if (b.registry != null) {
            loop.bindTo(b.registry);
        }
    }

    /**
     * A reader named {@code name} (logs, meters, thread {@code vigil-<name>} unless set) of the
     * topics given to the builder. {@code consumerConfig}: bootstrap and client settings; a group id
     * is dropped and auto commit turned off here.
     */
    public static <K, V> Builder<K, V> builder(String name, Map<String, Object> consumerConfig,
            Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        return new Builder<>(name, consumerConfig, keyDeserializer, valueDeserializer);
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Assigns every partition, seeks to the start position and starts the reader thread; returns
     * without waiting for the reader to catch up (see {@link #awaitCaughtUp}). Throws when a topic
     * does not exist.
     */
    @Override
    public void start() throws Exception {
        loop.start();
    }

    /**
     * {@link #start()}, then waits for {@link #caughtUp()}: for a view that must not serve partial
     * state. On failure or timeout the reader is closed and {@link IllegalStateException} thrown.
     */
    public void startCaughtUp(Duration timeout) throws Exception {
        start();
        try {
            awaitCaughtUp(timeout);
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
    }

    /** Completes once every record that existed at start is applied; fails if the reader dies first. */
    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
    }

    /** Waits for {@link #caughtUp()}; throws {@link IllegalStateException} (with the cause) when it fails or times out. */
    public void awaitCaughtUp(Duration timeout) throws InterruptedException {
        try {
            caughtUp.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(name + " could not read " + topics, e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + " did not catch up with " + topics + " within " + timeout, loop.lastFailure());
        }
    }

    /**
     * Completes once every record written to the reader's partitions before this call is applied:
     * one end-offsets request on the reader thread (shared by the calls that arrive meanwhile), then
     * a wait for the positions. Fails when the end offsets cannot be read or the reader dies.
     */
    public CompletableFuture<Void> readToEnd() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        readToEndRequests.add(done);
        if (!loop.isAlive() || closed) {
            failRequests(stoppedCause());
        }
        return done;
    }

    /** Completes once every record before {@code offsets} (next-offset semantics) is applied. */
    public CompletableFuture<Void> awaitPositions(Map<TopicPartition, Long> offsets) {
        return applied.await(offsets);
    }

    /** Every partition read (known once started). */
    public List<TopicPartition> partitions() {
        return partitions;
    }

    /**
     * The end offsets when the reader started: {@link #caughtUp()} completes once they are applied
     * (after the handler's {@link RecordHandler#afterPoll} of that poll, which may compare with them).
     */
    public Map<TopicPartition, Long> endOffsetsAtStart() {
        return endsAtStart;
    }

    /** Whether the thread reads now (not restarting, dead or stopped), caught up or not. */
    public boolean isRunning() {
        return loop.isRunning();
    }

    /** Ready: caught up with the start and running (not restarting, dead or stopped). */
    @Override
    public boolean isReady() {
        return loop.isRunning() && caughtUp.isDone() && !caughtUp.isCompletedExceptionally();
    }

    /** False once the reader spent its restart budget. */
    @Override
    public boolean isAlive() {
        return loop.isAlive();
    }

    public SupervisedLoop.State state() {
        return loop.state();
    }

    /** Failures so far (each followed by a restart unless the reader died). */
    public long failures() {
        return loop.failures();
    }

    public long restarts() {
        return loop.restarts();
    }

    /** Stops the thread (the handler's {@link RecordHandler#beforeClose} runs on it) and joins it. */
    @Override
    public void close() {
        closed = true;
        loop.close();
        Throwable cause = stoppedCause();
        applied.failed(cause);
        caughtUp.completeExceptionally(cause);
        failRequests(cause);
    }

    private Throwable stoppedCause() {
        Throwable failure = loop.lastFailure();
        return loop.isAlive() ? new IllegalStateException(name + " is closed")
                : new IllegalStateException(name + " is dead", failure);
    }

    private void failRequests(Throwable cause) {
        CompletableFuture<Void> request;
        while ((request = readToEndRequests.poll()) != null) {
            request.completeExceptionally(cause);
        }
    }

    /** The loop: open a consumer at the resume positions, poll and apply, publish positions. */
    private final class Body implements SupervisedLoop.Body {

        @Override
        public void open() {
            KafkaConsumer<K, V> c = new KafkaConsumer<>(consumerConfig, keyDeserializer, valueDeserializer);
            try {
                if (partitions.isEmpty()) {
                    partitions = discover(c);
                }
                c.assign(partitions);
                if (resumeAt.isEmpty()) {
                    startPosition.seek(c, partitions);
                } else {
                    resumeAt.forEach(c::seek);
                    log.info("{} resumes {} partitions at the positions it applied", name, resumeAt.size());
                }
                for (TopicPartition tp : partitions) {
                    resumeAt.put(tp, c.position(tp, METADATA_TIMEOUT));
                }
                if (!caughtUp.isDone()) {
                    Map<TopicPartition, Long> ends = Map.copyOf(c.endOffsets(partitions, METADATA_TIMEOUT));
                    endsAtStart = ends;
                    applied.await(ends).whenComplete((v, e) -> {
                        if (e == null) {
                            caughtUp.complete(null);
                        } else {
                            caughtUp.completeExceptionally(e);
                        }
                    });
                }
            } catch (RuntimeException e) {
                c.close(Duration.ZERO);
                throw e;
            }
            consumer = c;
            applied.advanced(Map.copyOf(resumeAt));
            applied.release();
        }

        private List<TopicPartition> discover(KafkaConsumer<K, V> c) {
            List<TopicPartition> all = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> infos = c.partitionsFor(topic, METADATA_TIMEOUT);
                if (infos == null || infos.isEmpty()) {
                    throw new IllegalStateException("topic " + topic + " does not exist; run the topic bootstrap");
                }
                infos.forEach(i -> all.add(new TopicPartition(i.topic(), i.partition())));
            }
            return List.copyOf(all);
        }

        @Override
        public void runOnce() throws Exception {
            KafkaConsumer<K, V> c = consumer;
            serveReadToEnd(c);
            ConsumerRecords<K, V> records = c.poll(pollTimeout);
            for (TopicPartition tp : records.partitions()) {
                for (ConsumerRecord<K, V> record : records.records(tp)) {
                    handler.apply(record);
                    // Per record: a failure in the middle of a poll resumes right after the last applied.
                    resumeAt.put(tp, record.offset() + 1);
                }
            }
            for (TopicPartition tp : partitions) {
                // Past compacted-away offsets and transaction markers too (known locally after a poll).
                resumeAt.put(tp, c.position(tp));
            }
            Map<TopicPartition, Long> positions = Map.copyOf(resumeAt);
            handler.afterPoll(positions);
            applied.advanced(positions);
            applied.release();
        }

        private void serveReadToEnd(KafkaConsumer<K, V> c) {
            if (readToEndRequests.isEmpty()) {
                return;
            }
            List<CompletableFuture<Void>> batch = new ArrayList<>();
            CompletableFuture<Void> request;
            while ((request = readToEndRequests.poll()) != null) {
                batch.add(request);
            }
            Map<TopicPartition, Long> ends;
            try {
                ends = c.endOffsets(partitions, endOffsetsTimeout);
            } catch (RuntimeException e) {
                // The callers learn it; the reader itself is fine and keeps reading.
                log.warn("{} cannot read the end offsets for readToEnd: {}", name, e.toString());
                batch.forEach(f -> f.completeExceptionally(e));
                return;
            }
            CompletableFuture<Void> reached = applied.await(ends);
            batch.forEach(f -> reached.whenComplete((v, e) -> {
                if (e == null) {
                    f.complete(null);
                } else {
                    f.completeExceptionally(e);
                }
            }));
        }

        @Override
        public void abandon() {
            KafkaConsumer<K, V> c = consumer;
            consumer = null;
            if (c != null) {
                try {
                    c.close(Duration.ZERO);
                } catch (RuntimeException e) {
                    log.debug("{}: consumer did not close cleanly after a failure: {}", name, e.toString());
                }
            }
        }

        @Override
        public void finish() {
            try {
                handler.beforeClose(Map.copyOf(resumeAt));
            } catch (RuntimeException e) {
                log.warn("{}: close hook failed", name, e);
            }
            KafkaConsumer<K, V> c = consumer;
            consumer = null;
            if (c != null) {
                c.close(Duration.ofSeconds(5));
            }
        }

        @Override
        public void wakeup() {
            KafkaConsumer<K, V> c = consumer;
            if (c != null) {
                c.wakeup();
            }
        }

        @Override
        public void died(Throwable cause) {
            IllegalStateException dead = new IllegalStateException(name + " is dead", cause);
            applied.failed(dead);
            caughtUp.completeExceptionally(dead);
            failRequests(dead);
        }
    }

    /** How a {@link TopicReader} is put together. */
    public static final class Builder<K, V> {
        private final String name;
        private final Map<String, Object> consumerConfig;
        private final Deserializer<K> keyDeserializer;
        private final Deserializer<V> valueDeserializer;
        private final List<String> topics = new ArrayList<>();
        private String threadName;
        private StartPosition startPosition = StartPosition.beginning();
        private RecordHandler<K, V> handler;
        private Duration pollTimeout = Duration.ofMillis(100);
        private Duration endOffsetsTimeout = Duration.ofSeconds(10);
        private RestartPolicy restartPolicy = RestartPolicy.DEFAULT;
        private MeterRegistry registry;

        private Builder(String name, Map<String, Object> consumerConfig, Deserializer<K> keyDeserializer,
                Deserializer<V> valueDeserializer) {
            this.name = name;
            this.consumerConfig = consumerConfig;
            this.keyDeserializer = keyDeserializer;
            this.valueDeserializer = valueDeserializer;
            this.threadName = "vigil-" + name;
        }

        public Builder<K, V> topics(Collection<String> names) {
            topics.addAll(names);
            return this;
        }

        public Builder<K, V> topic(String topic) {
            topics.add(topic);
            return this;
        }

        public Builder<K, V> threadName(String threadName) {
            this.threadName = threadName;
            return this;
        }

        /** Where to start (default: the beginning). */
        public Builder<K, V> startAt(StartPosition startPosition) {
            this.startPosition = startPosition;
            return this;
        }

        public Builder<K, V> handler(RecordHandler<K, V> handler) {
            this.handler = handler;
            return this;
        }

        /** How long one poll waits for records (default 100 ms); also bounds how late a {@link #readToEnd()} starts. */
        public Builder<K, V> pollTimeout(Duration pollTimeout) {
            this.pollTimeout = pollTimeout;
            return this;
        }

        public Builder<K, V> restartPolicy(RestartPolicy restartPolicy) {
            this.restartPolicy = restartPolicy;
            return this;
        }

        /** Where the reader's failure, restart and dead meters go (optional). */
        public Builder<K, V> meterRegistry(MeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        public TopicReader<K, V> build() {
            Objects.requireNonNull(handler, "handler");
            if (topics.isEmpty()) {
                throw new IllegalArgumentException(name + ": no topics to read");
            }
            return new TopicReader<>(this);
        }
    }
}
