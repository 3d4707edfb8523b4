package dev.vigil.common.kafka.reader;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a {@link TopicReader} starts reading when it starts (a restart resumes from the positions
 * it applied instead). Seeks the assigned {@code partitions} of {@code consumer}.
 */
@FunctionalInterface
public interface StartPosition {

    Duration TIMEOUT = Duration.ofSeconds(30);

    void seek(Consumer<?, ?> consumer, List<TopicPartition> partitions);

    /** Every record still in the topics: a view that rebuilds its whole state. */
    static StartPosition beginning() {
        return Consumer::seekToBeginning;
    }

    /** Only what is written from now on: a live feed. */
    static StartPosition end() {
        return Consumer::seekToEnd;
    }

    /** The first record at or after {@code since} (by record timestamp), or the end where there is none. */
    static StartPosition since(Supplier<Instant> since) {
        return (consumer, partitions) -> {
            long at = since.get().toEpochMilli();
            Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(tp -> times.put(tp, at));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(times, TIMEOUT);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
            for (TopicPartition tp : partitions) {
                OffsetAndTimestamp first = found.get(tp);
                consumer.seek(tp, first != null ? first.offset() : ends.get(tp));
            }
        };
    }

    /**
     * The offsets the reader's own store recorded (e.g. with its last commit), and the beginning for
     * the partitions it has none for. An offset retention has deleted meanwhile is reset by the
     * consumer's {@code auto.offset.reset}.
     */
    static StartPosition stored(Supplier<Map<TopicPartition, Long>> offsets) {
        return (consumer, partitions) -> {
            Map<TopicPartition, Long> stored = offsets.get();
            List<TopicPartition> fromStart = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                Long offset = stored.get(tp);
                if (offset == null) {
                    fromStart.add(tp);
                } else {
                    consumer.seek(tp, offset);
                }
            }
            if (!fromStart.isEmpty()) {
                // Never with an empty list: that seeks every assigned partition to the beginning.
                consumer.seekToBeginning(fromStart);
            }
        };
    }
}
