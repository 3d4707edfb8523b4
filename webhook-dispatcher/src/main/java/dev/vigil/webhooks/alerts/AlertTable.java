package dev.vigil.webhooks.alerts;

import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.AlertBinding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert bindings ({@code vigil.alerts}, compacted) as a table in memory, for each alert's
 * webhook secret and status. One thread ({@code vigil-webhooks-alerts}) reads every partition from
 * the beginning, with no consumer group: every dispatcher instance holds every alert.
 *
 * <p>A notification may name an alert this table has not read yet (the alert-router saw it first).
 * {@link #refresh(String)} then waits until the table has read up to the topic's end as of the
 * call, so "not found" after a refresh means deleted, not "not read yet". Undecodable records are
 * logged and skipped.
 */
public final class AlertTable implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertTable.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration END_OFFSETS_TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, Object> consumerConfig;
    private final String topic;
    private final Map<String, AlertBinding> alerts = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Refresh> requests = new ConcurrentLinkedQueue<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private final AtomicLong skipped = new AtomicLong();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running;
    private volatile Throwable failure;
    private KafkaConsumer<String, byte[]> consumer;
    private List<TopicPartition> partitions = List.of();
    private Thread thread;

    private record Refresh(String alertId, CompletableFuture<AlertBinding> done) {
    }

    private record Waiter(Map<TopicPartition, Long> offsets, List<Refresh> refreshes) {
    }

    /** {@code consumerConfig}: bootstrap and client settings; group and offsets are managed here. */
    public AlertTable(Map<String, Object> consumerConfig, String topicPrefix) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // fetch.max.wait.ms stays at Kafka's default: the broker answers a waiting fetch as soon as a
        // write arrives, and a longer wait means fewer idle fetches.
        this.consumerConfig = config;
        this.topic = Topics.ALERTS.name(topicPrefix);
    }

    /** Starts the reader and returns once it has read the topic up to its end. */
    public void start() throws InterruptedException {
        consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        Map<TopicPartition, Long> ends;
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, START_TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist; run the topic bootstrap");
            }
            List<TopicPartition> all = new ArrayList<>();
            infos.forEach(i -> all.add(new TopicPartition(i.topic(), i.partition())));
            partitions = List.copyOf(all);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            ends = consumer.endOffsets(partitions, START_TIMEOUT);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
        CompletableFuture<AlertBinding> initial = new CompletableFuture<>();
        initial.whenComplete((v, e) -> caughtUp.countDown());
        waiters.add(new Waiter(ends, List.of(new Refresh("", initial))));
        running = true;
        thread = new Thread(this::run, "vigil-webhooks-alerts");
        thread.setDaemon(true);
        thread.start();
        if (!caughtUp.await(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || failure != null) {
            close();
            throw new IllegalStateException("alert table did not catch up with " + topic, failure);
        }
        log.info("Alert table loaded: {} alerts from {}", alerts.size(), topic);
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    apply(record);
                }
                takeRefreshRequests();
                releaseWaiters();
            }
        } catch (WakeupException e) {
            // close() woke us up.
        } catch (RuntimeException e) {
            failure = e;
            log.error("Alert table stopped reading {}", topic, e);
        } finally {
            running = false;
            waiters.forEach(w -> w.refreshes().forEach(r -> r.done().complete(alerts.get(r.alertId()))));
            Refresh r;
            while ((r = requests.poll()) != null) {
                r.done().complete(alerts.get(r.alertId()));
            }
            consumer.close();
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            skipped.incrementAndGet();
            log.warn("Skipping alert record without key at {}-{}@{}", record.topic(), record.partition(), record.offset());
            return;
        }
        try {
            AlertBinding binding = Topics.ALERTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
            if (binding == null) {
                alerts.remove(record.key());
            } else {
                alerts.put(record.key(), binding);
            }
        } catch (SerializationException e) {
            skipped.incrementAndGet();
            log.warn("Skipping undecodable alert record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        }
    }

    private void takeRefreshRequests() {
        if (requests.isEmpty()) {
            return;
        }
        List<Refresh> batch = new ArrayList<>();
        Refresh r;
        while ((r = requests.poll()) != null) {
            batch.add(r);
        }
        // One end-offsets round trip serves every refresh that arrived meanwhile.
        Map<TopicPartition, Long> ends;
        try {
            ends = consumer.endOffsets(partitions, END_OFFSETS_TIMEOUT);
        } catch (WakeupException e) {
            batch.forEach(each -> each.done().complete(alerts.get(each.alertId())));
            throw e;
        } catch (KafkaException e) {
            // Answer with what is known rather than keep the callers waiting; the table keeps reading.
            log.warn("Cannot read the end offsets of {} for a refresh: {}", topic, e.toString());
            batch.forEach(each -> each.done().complete(alerts.get(each.alertId())));
            return;
        }
        waiters.add(new Waiter(ends, batch));
    }

    private void releaseWaiters() {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter waiter = it.next();
            if (reached(waiter.offsets())) {
                it.remove();
                waiter.refreshes().forEach(r -> r.done().complete(alerts.get(r.alertId())));
            }
        }
    }

    private boolean reached(Map<TopicPartition, Long> offsets) {
        for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** The binding of {@code alertId} as read so far, or null. Non-blocking. */
    public AlertBinding get(String alertId) {
        return alerts.get(alertId);
    }

    /**
     * The binding of {@code alertId} once the table has read everything written before this call;
     * null if the alert does not exist (or was deleted). Completes on the table's thread.
     */
    public CompletableFuture<AlertBinding> refresh(String alertId) {
        CompletableFuture<AlertBinding> done = new CompletableFuture<>();
        if (!running) {
            done.complete(alerts.get(alertId));
            return done;
        }
        requests.add(new Refresh(alertId, done));
        return done;
    }

    /** Applies a binding this instance has just written, before it is read back from the topic. */
    public void update(AlertBinding binding) {
        alerts.put(binding.getId(), binding);
    }

    /** Whether the reader is running. */
    public boolean isRunning() {
        return running && failure == null;
    }

    /** Records skipped because they could not be decoded. */
    public long skippedRecords() {
        return skipped.get();
    }

    @Override
    public void close() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }
}
