package dev.vigil.webhooks;

import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.schemas.ReplayRequests;
import dev.vigil.schemas.TopicDef;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.alerts.WebhookDelivery;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Asks the webhook dispatcher to deliver a notification again — a dead-lettered one once its
 * endpoint is fixed, or a delivered one the receiver lost — with the same {@code webhook-id}
 * (the notification id), so an idempotent receiver can still recognise it.
 *
 * <p>Writes the request {@link ReplayRequests} defines (the record shape lives in {@code schemas}, so
 * other services write it without depending on this module).
 *
 * <p>The dispatcher delivers to the notification's {@code callback_url} and signs with the alert's
 * current secret; a notification of a deleted or disabled alert is dead-lettered again, so callers
 * should check the alert first. Thread-safe.
 */
public final class Replay implements AutoCloseable {

    private static final TopicDef<String, WebhookDelivery> TOPIC = ReplayRequests.TOPIC;

    private final Producer<String, byte[]> producer;
    private final boolean ownsProducer;
    private final String topic;
    private final Clock clock;

    /** With a producer of its own (idempotent, acks=all), closed by {@link #close()}. */
    public Replay(KafkaClients clients) {
        this(new KafkaProducer<>(clients.producer("vigil-webhook-replay"), new StringSerializer(), new ByteArraySerializer()),
                true, clients.config().topicPrefix(), Clock.systemUTC());
    }

    /** With a caller's producer (left open by {@link #close()}). */
    public Replay(Producer<String, byte[]> producer, String topicPrefix, Clock clock) {
        this(producer, false, topicPrefix, clock);
    }

    private Replay(Producer<String, byte[]> producer, boolean ownsProducer, String topicPrefix, Clock clock) {
        this.producer = Objects.requireNonNull(producer);
        this.ownsProducer = ownsProducer;
        this.topic = TOPIC.name(topicPrefix);
        this.clock = clock;
    }

    /**
     * Requests a new delivery of {@code notification}; completes when the request is durably written
     * (acknowledged by Kafka), not when the webhook is delivered.
     *
     * @throws IllegalArgumentException if the notification has no callback URL
     */
    public CompletableFuture<RecordMetadata> request(AlertNotification notification) {
        byte[] value = TOPIC.valueSerde().serializer().serialize(topic, record(notification, clock.instant()));
        CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, notification.getAlertId(), value), (metadata, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            } else {
                done.complete(metadata);
            }
        });
        return done;
    }

    /**
     * The topic replay requests go to under {@code topicPrefix}, for callers that write the
     * {@link #record} themselves (key: alert id; value serde {@code ReplayRequests.TOPIC.valueSerde()}).
     */
    public static String topic(String topicPrefix) {
        return TOPIC.name(topicPrefix);
    }

    /** The replay request for {@code notification} made at {@code now}. */
    public static WebhookDelivery record(AlertNotification notification, Instant now) {
        return ReplayRequests.record(notification, now);
    }

    @Override
    public void close() {
        if (ownsProducer) {
            producer.close();
        }
    }
}
