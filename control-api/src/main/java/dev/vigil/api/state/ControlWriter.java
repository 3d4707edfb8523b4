package dev.vigil.api.state;

import dev.vigil.common.lifecycle.Service;
import dev.vigil.schemas.TopicDef;
import dev.vigil.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes control state to the compacted topics and completes once the write is acknowledged by
 * Kafka (acks=all) and applied by this instance's {@link ControlView}, so the caller's next read
 * sees it. A {@code null} value writes a tombstone (delete).
 *
 * <p>{@code KafkaProducer.send} can block — up to {@code max.block.ms} — waiting for metadata or
 * buffer space, e.g. when the brokers are unreachable. Sends therefore run on one named thread
 * ({@code vigil-control-writer}), never on the caller's (an event loop), behind a bounded queue: when
 * Kafka is gone, requests fail fast with the producer's timeout instead of piling up. The producer
 * config should carry a short {@code max.block.ms} (control-api sets {@code VIGIL_API_KAFKA_MAX_BLOCK}).
 */
public final class ControlWriter implements Service {

    private static final Logger log = LoggerFactory.getLogger(ControlWriter.class);
    /** Sends waiting for the sender thread; beyond this, writes fail at once (Kafka is not keeping up). */
    static final int MAX_QUEUED_SENDS = 1_000;

    private final Map<String, Object> producerConfig;
    private final String prefix;
    private final ControlView view;
    private KafkaProducer<byte[], byte[]> producer;
    private ThreadPoolExecutor sender;

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
        sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(MAX_QUEUED_SENDS), r -> {
            Thread thread = new Thread(r, "vigil-control-writer");
            thread.setDaemon(true);
            return thread;
        }, new ThreadPoolExecutor.AbortPolicy());
        // Fetch the control topics' metadata now, so the first writes do not wait for it.
        for (TopicDef<String, ?> topic : List.of(Topics.RTSTREAMS, Topics.RTSTREAM_STATUS, Topics.INDEXES, Topics.EVENTS,
                Topics.ALERTS)) {
            try {
                producer.partitionsFor(topic.name(prefix));
            } catch (KafkaException e) {
                log.warn("No metadata yet for {}; the first write will fetch it: {}", topic.name(prefix), e.toString());
            }
        }
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
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(name, keyBytes, valueBytes);
        try {
            sender.execute(() -> send(record, done));
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(new KafkaException("too many control writes waiting for Kafka", e));
        }
        return done;
    }

    private void send(ProducerRecord<byte[], byte[]> record, CompletableFuture<Void> done) {
        try {
            producer.send(record, (metadata, error) -> acknowledged(metadata, error, done));
        } catch (KafkaException e) {
            // max.block.ms elapsed (no metadata, full buffer) or the producer is closed.
            done.completeExceptionally(e);
        }
    }

    private void acknowledged(RecordMetadata metadata, Exception error, CompletableFuture<Void> done) {
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
    }

    @Override
    public boolean isReady() {
        return producer != null;
    }

    @Override
    public void close() {
        if (sender != null) {
            sender.shutdown();
            try {
                sender.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sender = null;
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
            producer = null;
        }
    }
}
