package dev.vigil.api.deliveries;

import dev.vigil.common.lifecycle.Service;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.webhooks.Replay;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes replay requests with the webhook dispatcher's {@link Replay}: a {@code WebhookDelivery} with
 * no attempt, due now, on {@code vigil.webhooks.retry.5s}, keyed by alert id. Owns its producer
 * (idempotent, acks=all, from {@code KafkaClients.producer}). Thread-safe.
 */
public final class ReplayWriter implements Service {

    private final Map<String, Object> producerConfig;
    private final String prefix;
    private final Clock clock;
    private Producer<String, byte[]> producer;
    private Replay replay;

    public ReplayWriter(Map<String, Object> producerConfig, String topicPrefix, Clock clock) {
        this.producerConfig = producerConfig;
        this.prefix = topicPrefix;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "replay-writer";
    }

    @Override
    public void start() {
        producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
        replay = new Replay(producer, prefix, clock);
    }

    /** Completes when Kafka acknowledged the request (not when the webhook is delivered). */
    public CompletableFuture<RecordMetadata> request(AlertNotification notification) {
        return replay.request(notification);
    }

    @Override
    public boolean isReady() {
        return producer != null;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
