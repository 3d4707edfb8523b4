package dev.vigil.api.deliveries;

import dev.vigil.common.lifecycle.Service;
import dev.vigil.schemas.ReplayRequests;
import dev.vigil.schemas.TopicDef;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.alerts.WebhookDelivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes replay requests in the shape {@link ReplayRequests} defines (a {@code WebhookDelivery} with no
 * attempt, due now) to {@link ReplayRequests#topic} ({@code vigil.webhooks.retry.5s}), keyed by alert
 * id, with its own producer (idempotent, acks=all, from {@code KafkaClients.producer}). The API answers
 * with the very request time the delivery log will show. Thread-safe.
 */
public final class ReplayWriter implements Service {

    private static final TopicDef<String, WebhookDelivery> TIER = ReplayRequests.TOPIC;

    private final Map<String, Object> producerConfig;
    private final String topic;
    private final Clock clock;
    private volatile Producer<String, byte[]> producer;
    // send() may block up to max.block.ms (metadata, buffer space): never on the event loop.
    private volatile ExecutorService sender;

    /** A replay request acknowledged by Kafka: when it was made and where it was written. */
    public record Requested(Instant at, RecordMetadata metadata) {
    }

    public ReplayWriter(Map<String, Object> producerConfig, String topicPrefix, Clock clock) {
        this.producerConfig = producerConfig;
        this.topic = ReplayRequests.topic(topicPrefix);
        this.clock = clock;
    }

    @Override
    public String name() {
        return "replay-writer";
    }

    @Override
    public void start() {
        producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
        sender = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "vigil-replay-writer");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Completes when Kafka acknowledged the request (not when the webhook is delivered). */
    public CompletableFuture<Requested> request(AlertNotification notification) {
        // Millisecond precision, as the record carries it (timestamp-millis).
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        byte[] value = TIER.valueSerde().serializer().serialize(topic, ReplayRequests.record(notification, now));
        CompletableFuture<Requested> done = new CompletableFuture<>();
        ExecutorService thread = sender;
        if (thread == null) {
            done.completeExceptionally(new IllegalStateException("the replay writer is not running"));
            return done;
        }
        try {
            thread.execute(() -> {
                try {
                    producer.send(new ProducerRecord<>(topic, notification.getAlertId(), value), (metadata, e) -> {
                        if (e != null) {
                            done.completeExceptionally(e);
                        } else {
                            done.complete(new Requested(now, metadata));
                        }
                    });
                } catch (KafkaException e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(new IllegalStateException("the replay writer is closed", e));
        }
        return done;
    }

    @Override
    public boolean isReady() {
        return producer != null;
    }

    @Override
    public void close() {
        if (sender != null) {
            sender.shutdown();
            sender = null;
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
