package dev.vigil.api.playback;

import dev.vigil.schemas.Topics;
import dev.vigil.schemas.media.MediaFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Finds the sampled frame of a stream captured nearest a given time in {@code vigil.media.frames}, for alert
 * snapshots. A random-access read, not a tailing view (which is what {@code TopicReader} is for): one
 * short-lived consumer per lookup, assigned to the one partition the stream's frames go to (the producer's
 * default partitioner: murmur2 of the key), positioned by record time with {@code offsetsForTimes}, reading
 * forward past the wanted time. Frames exist within the topic's retention (6 h by default); older lookups
 * find nothing. Blocking: call from a worker thread.
 */
public final class FrameLookup {

    /** Records are stamped when the worker sent them, a little after capture: start this much earlier. */
    private static final Duration SLACK = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    private final Map<String, Object> consumerConfig;
    private final String topic;

    /** {@code consumerConfig}: bootstrap and client settings (KafkaClients.reader). */
    public FrameLookup(Map<String, Object> consumerConfig, String topicPrefix) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        this.consumerConfig = Map.copyOf(config);
        this.topic = Topics.MEDIA_FRAMES.name(topicPrefix);
    }

    /** The frame of {@code rtstreamId} captured nearest {@code atMs}, at most {@code window} away. */
    Optional<MediaFrame> nearest(String rtstreamId, long atMs, Duration window) {
        byte[] key = rtstreamId.getBytes(StandardCharsets.UTF_8);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, DEADLINE);
            if (partitions == null || partitions.isEmpty()) {
                return Optional.empty();
            }
            TopicPartition tp = new TopicPartition(topic, Utils.toPositive(Utils.murmur2(key)) % partitions.size());
            consumer.assign(List.of(tp));
            OffsetAndTimestamp from = consumer.offsetsForTimes(Map.of(tp, atMs - window.toMillis() - SLACK.toMillis()), DEADLINE)
                    .get(tp);
            long end = consumer.endOffsets(List.of(tp), DEADLINE).get(tp);
            if (from == null || from.offset() >= end) {
                return Optional.empty();
            }
            consumer.seek(tp, from.offset());
            MediaFrame best = null;
            long bestDistance = Long.MAX_VALUE;
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (record.value() == null || !java.util.Arrays.equals(key, record.key())) {
                        continue;
                    }
                    MediaFrame frame;
                    try {
                        frame = Topics.MEDIA_FRAMES.valueSerde().deserializer().deserialize(topic, record.value());
                    } catch (SerializationException e) {
                        continue;
                    }
                    long distance = Math.abs(frame.getCaptureTs().toEpochMilli() - atMs);
                    if (distance <= window.toMillis() && distance < bestDistance) {
                        best = frame;
                        bestDistance = distance;
                    }
                    if (frame.getCaptureTs().toEpochMilli() > atMs + window.toMillis()) {
                        return Optional.ofNullable(best);
                    }
                }
            }
            return Optional.ofNullable(best);
        }
    }
}
