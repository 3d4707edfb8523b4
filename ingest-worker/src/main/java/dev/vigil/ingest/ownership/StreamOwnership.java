package dev.vigil.ingest.ownership;

import dev.vigil.ingest.session.StreamSupervisor;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.schemas.control.StreamStatus;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's membership in the ingest consumer group on {@code rtstreams} (compacted, key =
 * rtstream id), run on its own thread ({@code vigil-ingest-ownership}).
 *
 * <p>On every assignment it seeks the new partitions to their beginning and replays them up to the
 * end offset they had at assignment, collecting the latest spec per stream; only then does it hand
 * that partition's specs to the {@link StreamSupervisor} (so a stream stopped later in the log is
 * never started briefly). From then on each new record is applied as it arrives. No offsets are
 * committed: the log itself is the state, re-read by whoever owns the partition.
 *
 * <p>Before handing over a newly assigned partition it also reads the last status of its streams
 * ({@link StatusSnapshot}): a stream that had ENDED stays ended under its new owner until a new start
 * request, instead of being replayed from the beginning.
 *
 * <p>On revocation (cooperative rebalancing: only the partitions that move) the streams are stopped
 * and marked as released before the partitions are given up; on loss (this member was expelled) they
 * are stopped silently. A record that cannot be decoded is logged and skipped.
 */
public final class StreamOwnership implements Runnable, ConsumerRebalanceListener {

    private static final Logger log = LoggerFactory.getLogger(StreamOwnership.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration HAND_OVER_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final Consumer<String, byte[]> consumer;
    private final StatusSnapshot statusSnapshot;
    private final String topic;
    private final Deserializer<RtStreamSpec> specs;
    private final StreamSupervisor supervisor;
    private final CountDownLatch joined = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    /** Replay state of each assigned partition; touched by the ownership thread only. */
    private final Map<TopicPartition, Replay> partitions = new HashMap<>();
    private volatile boolean running = true;
    private volatile boolean halting;
    private volatile boolean healthy = true;
    private volatile Set<Integer> assigned = Set.of();
    private volatile Thread thread;

    /** A partition being re-read: the specs seen so far, and the offset where the replay is complete. */
    private static final class Replay {
        final Map<String, RtStreamSpec> latest = new LinkedHashMap<>();
        /** The last status of its streams when it was assigned (to leave ended streams ended). */
        Map<String, StreamStatus> statuses = Map.of();
        /** -1 until known (the lookup at assignment can time out on a busy broker). */
        long endOffset;
        boolean loaded;

        Replay(long endOffset) {
            this.endOffset = endOffset;
        }
    }

    /**
     * {@code consumer}: the group member on {@code rtstreams}; {@code statusReader}: a consumer without
     * group for reading {@code rtstreams.status} on assignment.
     */
    public StreamOwnership(Consumer<String, byte[]> consumer, Consumer<String, byte[]> statusReader, String topicPrefix,
            StreamSupervisor supervisor) {
        this.consumer = consumer;
        this.statusSnapshot = new StatusSnapshot(statusReader, topicPrefix, Duration.ofSeconds(10));
        this.topic = Topics.RTSTREAMS.name(topicPrefix);
        this.specs = Topics.RTSTREAMS.valueSerde().deserializer();
        this.supervisor = supervisor;
    }

    /** Starts the ownership thread. */
    public void start() {
        Thread t = new Thread(this, "vigil-ingest-ownership");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Waits until the first assignment (the worker has joined the group); false on timeout or if the thread died. */
    public boolean awaitJoined(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (joined.await(100, TimeUnit.MILLISECONDS)) {
                return true;
            }
            if (finished.getCount() == 0) {
                return false;
            }
        }
        return false;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic), this);
            while (running) {
                try {
                    ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                    for (ConsumerRecord<String, byte[]> record : records) {
                        accept(record);
                    }
                    completeReplays();
                    healthy = true;
                } catch (WakeupException e) {
                    // close() or halt(): the loop condition decides.
                } catch (KafkaException e) {
                    if (!running) {
                        break;
                    }
                    healthy = false;
                    log.error("Ingest ownership: consumer error; retrying in 1 s", e);
                    pause();
                }
            }
        } catch (RuntimeException | Error e) {
            healthy = false;
            log.error("Ingest ownership thread failed; this worker no longer follows stream specs", e);
        } finally {
            closeConsumer();
            finished.countDown();
        }
    }

    private void accept(ConsumerRecord<String, byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        Replay replay = partitions.get(tp);
        if (replay == null || record.key() == null) {
            return;
        }
        RtStreamSpec spec;
        try {
            spec = specs.deserialize(record.topic(), record.value());
        } catch (SerializationException e) {
            log.warn("Skipping undecodable stream spec {} at {}@{}: {}", record.key(), tp, record.offset(), e.getMessage());
            return;
        }
        if (replay.loaded) {
            supervisor.apply(tp.partition(), record.key(), spec);
        } else {
            replay.latest.put(record.key(), spec);
        }
    }

    /** Hands over the specs of every partition whose replay has reached its end offset. */
    private void completeReplays() {
        for (Map.Entry<TopicPartition, Replay> e : partitions.entrySet()) {
            Replay replay = e.getValue();
            if (replay.loaded) {
                continue;
            }
            if (replay.endOffset < 0) {
                replay.endOffset = consumer.endOffsets(List.of(e.getKey())).getOrDefault(e.getKey(), 0L);
            }
            if (consumer.position(e.getKey()) < replay.endOffset) {
                continue;
            }
            replay.loaded = true;
            long started = replay.latest.values().stream().filter(s -> s != null).count();
            log.debug("Ingest ownership: {} replayed, {} stream specs", e.getKey(), started);
            replay.latest.forEach((id, spec) -> {
                if (spec != null) {
                    supervisor.adopt(e.getKey().partition(), id, spec, replay.statuses.get(id));
                }
            });
            replay.latest.clear();
            replay.statuses = Map.of();
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> added) {
        if (!added.isEmpty()) {
            consumer.seekToBeginning(added);
            Map<TopicPartition, Long> ends;
            try {
                ends = consumer.endOffsets(added);
            } catch (KafkaException e) {
                // Looked up again after the next poll: an exception here would leave the partitions
                // assigned but never replayed.
                log.warn("Ingest ownership: end offsets of {} not known yet: {}", describe(added), e.toString());
                ends = Map.of();
            }
            Map<String, StreamStatus> statuses = statusSnapshot.read(numbers(added), partitionCount());
            for (TopicPartition tp : added) {
                Replay replay = new Replay(ends.getOrDefault(tp, -1L));
                replay.statuses = statuses;
                partitions.put(tp, replay);
            }
            log.info("Ingest ownership: assigned {} (last statuses: {})", describe(added), StatusSnapshot.describe(statuses));
        }
        assigned = partitions.keySet().stream().map(TopicPartition::partition).collect(Collectors.toUnmodifiableSet());
        joined.countDown();
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
        if (revoked.isEmpty() || halting) {
            return;
        }
        log.info("Ingest ownership: releasing {}", describe(revoked));
        drop(revoked);
        supervisor.release(numbers(revoked), running ? "rebalance" : "worker shutting down", true, HAND_OVER_TIMEOUT);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
        if (lost.isEmpty() || halting) {
            return;
        }
        log.warn("Ingest ownership: lost {} (this worker was expelled from the group); stopping their streams", describe(lost));
        drop(lost);
        supervisor.release(numbers(lost), "partition lost", false, Duration.ZERO);
    }

    private int partitionCount() {
        try {
            return consumer.partitionsFor(topic, Duration.ofSeconds(10)).size();
        } catch (KafkaException e) {
            return -1;
        }
    }

    private void drop(Collection<TopicPartition> gone) {
        gone.forEach(partitions::remove);
        assigned = partitions.keySet().stream().map(TopicPartition::partition).collect(Collectors.toUnmodifiableSet());
    }

    private static Set<Integer> numbers(Collection<TopicPartition> tps) {
        return tps.stream().map(TopicPartition::partition).collect(Collectors.toSet());
    }

    private static String describe(Collection<TopicPartition> tps) {
        return tps.isEmpty() ? "nothing" : "partitions " + tps.stream().map(TopicPartition::partition)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private void pause() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void closeConsumer() {
        try {
            // Leaving the group hands the partitions over at once; a halt stays silent, like a crash,
            // so the group only notices after the session timeout.
            GroupMembershipOperation membership = halting ? GroupMembershipOperation.REMAIN_IN_GROUP
                    : GroupMembershipOperation.LEAVE_GROUP;
            consumer.close(CloseOptions.groupMembershipOperation(membership)
                    .withTimeout(halting ? Duration.ZERO : CLOSE_TIMEOUT));
        } catch (RuntimeException e) {
            log.warn("Ingest ownership: consumer did not close cleanly: {}", e.toString());
        }
        try {
            statusSnapshot.close();
        } catch (RuntimeException e) {
            log.warn("Ingest ownership: status reader did not close cleanly: {}", e.toString());
        }
    }

    /** Leaves the group (its streams are released and handed over) and waits for the thread to end. */
    public void close(Duration timeout) {
        stopThread(timeout);
    }

    /** Stops as a crash would: no hand-over statuses, no group leave. */
    public void halt(Duration timeout) {
        halting = true;
        stopThread(timeout);
    }

    private void stopThread(Duration timeout) {
        running = false;
        if (thread == null) {
            return;
        }
        consumer.wakeup();
        try {
            if (!finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Ingest ownership thread did not stop within {}", timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the thread runs and its last poll succeeded. */
    public boolean isHealthy() {
        return finished.getCount() > 0 && joined.getCount() == 0 && healthy;
    }

    /** Partition numbers currently assigned. */
    public Set<Integer> assignedPartitions() {
        return assigned;
    }
}
