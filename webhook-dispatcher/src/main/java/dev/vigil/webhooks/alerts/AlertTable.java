package dev.vigil.webhooks.alerts;

import dev.vigil.common.kafka.reader.TopicReader;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.AlertBinding;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert bindings ({@code vigil.alerts}, compacted) as a table in memory, for each alert's
 * webhook secret and status. A {@link TopicReader} ({@code vigil-webhooks-alerts}) reads every
 * partition from the beginning, with no consumer group: every dispatcher instance holds every alert;
 * a failing reader restarts where it stopped.
 *
 * <p>A notification may name an alert this table has not read yet (the alert-router saw it first).
 * {@link #refresh(String)} then waits until the table has read up to the topic's end as of the
 * call, so "not found" after a refresh means deleted, not "not read yet". Undecodable records are
 * logged and skipped.
 */
public final class AlertTable implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertTable.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final String topic;
    private final Map<String, AlertBinding> alerts = new ConcurrentHashMap<>();
    private final AtomicLong skipped = new AtomicLong();
    private final TopicReader<String, byte[]> reader;

    /**
     * @param consumerConfig bootstrap and client settings (KafkaClients.reader); offsets are managed here
     * @param registry       where the reader's failure, restart and dead meters go
     */
    public AlertTable(Map<String, Object> consumerConfig, String topicPrefix, MeterRegistry registry) {
        this.topic = Topics.ALERTS.name(topicPrefix);
        // fetch.max.wait.ms stays at Kafka's default: the broker answers a waiting fetch as soon as a
        // write arrives, and a longer wait means fewer idle fetches.
        this.reader = TopicReader.builder("webhook-alerts", consumerConfig, new StringDeserializer(), new ByteArrayDeserializer())
                .threadName("vigil-webhooks-alerts")
                .topic(topic)
                .handler(this::apply)
                .meterRegistry(registry)
                .build();
    }

    /** Starts the reader and returns once it has read the topic up to its end. */
    public void start() throws Exception {
        reader.startCaughtUp(START_TIMEOUT);
        log.info("Alert table loaded: {} alerts from {}", alerts.size(), topic);
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

    /** The binding of {@code alertId} as read so far, or null. Non-blocking. */
    public AlertBinding get(String alertId) {
        return alerts.get(alertId);
    }

    /**
     * The binding of {@code alertId} once the table has read everything written before this call;
     * null if the alert does not exist (or was deleted). When the end offsets cannot be read or the
     * reader is stopped, answers with what is known rather than keep the caller waiting. Completes
     * on the table's thread.
     */
    public CompletableFuture<AlertBinding> refresh(String alertId) {
        return reader.readToEnd().handle((v, e) -> {
            if (e != null) {
                log.debug("Refresh of {} answered from what is read so far: {}", alertId, e.toString());
            }
            return alerts.get(alertId);
        });
    }

    /** Applies a binding this instance has just written, before it is read back from the topic. */
    public void update(AlertBinding binding) {
        alerts.put(binding.getId(), binding);
    }

    /** Whether the reader reads now (not restarting or dead). */
    public boolean isRunning() {
        return reader.isRunning();
    }

    /** False once the reader spent its restart budget. */
    public boolean isAlive() {
        return reader.isAlive();
    }

    /** Records skipped because they could not be decoded. */
    public long skippedRecords() {
        return skipped.get();
    }

    @Override
    public void close() {
        reader.close();
    }
}
