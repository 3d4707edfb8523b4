package dev.vigil.api.frames;

import dev.vigil.common.kafka.reader.ReaderService;
import dev.vigil.common.kafka.reader.StartPosition;
import dev.vigil.common.kafka.reader.TopicReader;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.media.MediaFrame;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest sampled frame of every stream, for the dashboard's thumbnails: a {@link TopicReader}
 * of {@code vigil.media.frames} (every partition, no group, from the end) on its own thread
 * ({@code vigil-api-latest-frames}) that keeps one JPEG per rtstream id in memory. Frames are small
 * (5-20 KB at 640 px) and sampled at a few per second, so this costs one map entry per stream and
 * little network. Ready while the reader runs (it starts at the end: nothing to catch up with); the
 * service shell is {@link ReaderService}'s.
 */
public final class LatestFrames extends ReaderService<String, byte[]> {

    /** A stream's newest frame. */
    public record Frame(byte[] jpeg, Instant captureTs, long seq, int width, int height) {
    }

    private static final Logger log = LoggerFactory.getLogger(LatestFrames.class);

    private final Map<String, Frame> latest = new ConcurrentHashMap<>();

    /** {@code consumerConfig}: bootstrap and client settings (KafkaClients.reader). */
    public LatestFrames(Map<String, Object> consumerConfig, String topicPrefix) {
        super(TopicReader.builder("latest-frames", consumerConfig, new StringDeserializer(), new ByteArrayDeserializer())
                .threadName("vigil-api-latest-frames")
                .topic(Topics.MEDIA_FRAMES.name(topicPrefix))
                // Only what arrives from now on: old frames are of no use to a live view.
                .startAt(StartPosition.end())
                .pollTimeout(Duration.ofMillis(200)), ReadyWhen.RUNNING);
    }

    @Override
    protected void apply(ConsumerRecord<String, byte[]> record) {
        MediaFrame frame = Topics.MEDIA_FRAMES.valueSerde().deserializer().deserialize(record.topic(), record.value());
        if (frame == null || record.key() == null) {
            return;
        }
        latest.merge(record.key(), new Frame(bytes(frame.getData()), frame.getCaptureTs(), frame.getSeq(),
                frame.getWidth(), frame.getHeight()), (old, now) -> now.captureTs().isBefore(old.captureTs()) ? old : now);
    }

    /** Frames come several a second per stream: a broken one is not worth a warning. */
    @Override
    protected void skipped(ConsumerRecord<String, byte[]> record, SerializationException e) {
        log.debug("Skipping undecodable frame {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                e.getMessage());
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
}
