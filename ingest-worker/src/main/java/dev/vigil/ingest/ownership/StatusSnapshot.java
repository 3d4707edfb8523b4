package dev.vigil.ingest.ownership;

import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.StreamStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the last reported status of the streams of newly assigned partitions from
 * {@code rtstreams.status} (compacted, same key, so the same partition number when both topics have
 * the same partition count; all partitions otherwise). A new owner uses it not to replay a stream
 * that already ENDED (a file read to its end, a finished recording) unless a start request came after.
 * Best effort: if Kafka does not answer within the timeout, the owner proceeds without it.
 */
final class StatusSnapshot implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StatusSnapshot.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final Deserializer<StreamStatus> statuses = Topics.RTSTREAM_STATUS.valueSerde().deserializer();
    private final Duration timeout;

    StatusSnapshot(Consumer<String, byte[]> consumer, String topicPrefix, Duration timeout) {
        this.consumer = consumer;
        this.topic = Topics.RTSTREAM_STATUS.name(topicPrefix);
        this.timeout = timeout;
    }

    /** Latest status by rtstream id for the streams of {@code specPartitions} (of a topic with {@code specPartitionCount}). */
    Map<String, StreamStatus> read(Collection<Integer> specPartitions, int specPartitionCount) {
        Map<String, StreamStatus> latest = new HashMap<>();
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            List<TopicPartition> tps = new ArrayList<>();
            for (PartitionInfo p : infos) {
                if (infos.size() != specPartitionCount || specPartitions.contains(p.partition())) {
                    tps.add(new TopicPartition(topic, p.partition()));
                }
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> ends = consumer.endOffsets(tps, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!tps.stream().allMatch(tp -> consumer.position(tp, timeout) >= ends.getOrDefault(tp, 0L))) {
                if (System.nanoTime() > deadline) {
                    log.warn("Stream statuses of partitions {} not fully read within {}; ended streams may be replayed",
                            specPartitions, timeout);
                    break;
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    if (r.key() == null) {
                        continue;
                    }
                    try {
                        StreamStatus status = statuses.deserialize(r.topic(), r.value());
                        if (status == null) {
                            latest.remove(r.key());
                        } else {
                            latest.put(r.key(), status);
                        }
                    } catch (SerializationException e) {
                        log.debug("Skipping undecodable status of {}: {}", r.key(), e.getMessage());
                    }
                }
            }
        } catch (KafkaException e) {
            log.warn("Cannot read stream statuses ({}); ended streams may be replayed", e.toString());
        } finally {
            consumer.unsubscribe();
        }
        return latest;
    }

    static String describe(Map<String, StreamStatus> statuses) {
        return statuses.values().stream().map(s -> s.getState().name()).collect(Collectors.groupingBy(s -> s,
                Collectors.counting())).toString();
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
