package dev.vigil.api.state;

import dev.vigil.common.lifecycle.Service;
import dev.vigil.schemas.TopicDef;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes control state to the compacted topics and completes once the write is acknowledged by
 * Kafka (acks=all) and applied by this instance's {@link ControlView}, so the caller's next read
 * sees it. A {@code null} value writes a tombstone (delete).
 */
public final class ControlWriter implements Service {

    private final Map<String, Object> producerConfig;
    private final String prefix;
    private final ControlView view;
    private KafkaProducer<byte[], byte[]> producer;

    public ControlWriter(Map<String, Object> producerConfig, String topicPrefix, ControlView view) {
        this.producerConfig = producerConfig;
        this.prefix = topicPrefix;
        this.view = view;
    }

    @Override
    public String name() {
        return "control-writer";
    }

    @Override
    public void start() {
        producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Writes {@code value} (or a tombstone) under {@code key}; completes when visible in the view. */
    public <V> CompletableFuture<Void> write(TopicDef<String, V> topic, String key, V value) {
        String name = topic.name(prefix);
        CompletableFuture<Void> done = new CompletableFuture<>();
        byte[] keyBytes = topic.keySerde().serializer().serialize(name, key);
        byte[] valueBytes;
        try {
            valueBytes = topic.valueSerde().serializer().serialize(name, value);
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
            return done;
        }
        producer.send(new ProducerRecord<>(name, keyBytes, valueBytes), (metadata, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
                return;
            }
            TopicPartition tp = new TopicPartition(metadata.topic(), metadata.partition());
            view.awaitPositions(Map.of(tp, metadata.offset() + 1)).whenComplete((v, e) -> {
                if (e != null) {
                    done.completeExceptionally(e);
                } else {
                    done.complete(null);
                }
            });
        });
        return done;
    }

    @Override
    public boolean isReady() {
        return producer != null;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
            producer = null;
        }
    }
}
