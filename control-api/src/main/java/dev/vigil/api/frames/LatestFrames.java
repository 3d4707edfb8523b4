package dev.vigil.api.frames;

import dev.vigil.common.lifecycle.Service;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.media.MediaFrame;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest sampled frame of every stream, for the dashboard's thumbnails: a reader of
 * {@code vigil.media.frames} (every partition, no group, from the end) on its own thread that keeps
 * one JPEG per rtstream id in memory. Frames are small (5-20 KB at 640 px) and sampled at a few per
 * second, so this costs one map entry per stream and little network.
 */
public final class LatestFrames implements Service {

    /** A stream's newest frame. */
    public record Frame(byte[] jpeg, Instant captureTs, long seq, int width, int height) {
    }

    private static final Logger log = LoggerFactory.getLogger(LatestFrames.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, Object> consumerConfig;
    private final String topic;
    private final Map<String, Frame> latest = new ConcurrentHashMap<>();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running;
    private Thread thread;

    /** {@code consumerConfig}: a plain consumer's settings (KafkaClients.consumer); the group id is unused. */
    public LatestFrames(Map<String, Object> consumerConfig, String topicPrefix) {
        Map<String, Object> config = new java.util.HashMap<>(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumerConfig = config;
        this.topic = Topics.MEDIA_FRAMES.name(topicPrefix);
    }

    @Override
    public String name() {
        return "latest-frames";
    }

    @Override
    public synchronized void start() {
        consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        // Only what arrives from now on: old frames are of no use to a live view.
        consumer.seekToEnd(partitions);
        running = true;
        thread = new Thread(this::run, "vigil-api-latest-frames");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    keep(record);
                }
            }
        } catch (WakeupException e) {
            // close() woke us up.
        } catch (RuntimeException e) {
            log.error("Latest-frame reader stopped; the dashboard shows no new frames", e);
        } finally {
            consumer.close();
        }
    }

    private void keep(ConsumerRecord<String, byte[]> record) {
        try {
            MediaFrame frame = Topics.MEDIA_FRAMES.valueSerde().deserializer().deserialize(record.topic(), record.value());
            if (frame == null || record.key() == null) {
                return;
            }
            latest.merge(record.key(), new Frame(bytes(frame.getData()), frame.getCaptureTs(), frame.getSeq(),
                    frame.getWidth(), frame.getHeight()), (old, now) -> now.captureTs().isBefore(old.captureTs()) ? old : now);
        } catch (SerializationException e) {
            log.debug("Skipping undecodable frame {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** The newest frame of {@code rtstreamId} seen since start, if any. */
    public Optional<Frame> latest(String rtstreamId) {
        return Optional.ofNullable(latest.get(rtstreamId));
    }

    @Override
    public boolean isReady() {
        return running && thread != null && thread.isAlive();
    }

    @Override
    public synchronized void close() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null && thread != null) {
            c.wakeup();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        thread = null;
    }
}
