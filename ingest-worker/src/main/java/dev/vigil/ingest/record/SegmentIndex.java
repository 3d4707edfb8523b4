package dev.vigil.ingest.record;

import dev.vigil.schemas.Topics;
import dev.vigil.schemas.media.RecordingSegment;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorded segments per stream as this worker knows them: read from {@code recordings.segments}
 * (compacted, keyed by storage key; a tombstone removes the key) by a {@code TopicReader}, plus what
 * this worker has just written, so retention and the no-overlap rule see a segment before it is read
 * back. Only what retention needs is kept (key, times, size): about 100 bytes per segment.
 */
final class SegmentIndex {

    private static final Logger log = LoggerFactory.getLogger(SegmentIndex.class);

    /** What retention needs of a segment. */
    record Entry(String key, long startMs, long endMs, long bytes) {
    }

    /** By rtstream id, then by key: keys start with the start time (13 digits), so key order is time order. */
    private final Map<String, NavigableMap<String, Entry>> byStream = new ConcurrentHashMap<>();

    /** Applies a record of the topic (on the reader's thread). */
    void apply(ConsumerRecord<String, byte[]> record) {
        String key = record.key();
        if (key == null) {
            return;
        }
        if (record.value() == null) {
            remove(key);
            return;
        }
        try {
            put(Topics.RECORDING_SEGMENTS.valueSerde().deserializer().deserialize(record.topic(), record.value()));
        } catch (SerializationException e) {
            log.warn("Skipping undecodable segment record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        }
    }

    void put(RecordingSegment segment) {
        byStream.computeIfAbsent(segment.getRtstreamId(), id -> new ConcurrentSkipListMap<>())
                .put(segment.getKey(), new Entry(segment.getKey(), segment.getStart().toEpochMilli(),
                        segment.getEnd().toEpochMilli(), segment.getBytes()));
    }

    void remove(String key) {
        String id = rtstreamIdOf(key);
        if (id == null) {
            return;
        }
        NavigableMap<String, Entry> segments = byStream.get(id);
        if (segments != null) {
            segments.remove(key);
            if (segments.isEmpty()) {
                byStream.remove(id, segments);
            }
        }
    }

    /** The stream's segments, oldest first. */
    List<Entry> segments(String rtstreamId) {
        NavigableMap<String, Entry> segments = byStream.get(rtstreamId);
        return segments == null ? List.of() : List.copyOf(segments.values());
    }

    /** The end of the stream's latest segment, or {@link Long#MIN_VALUE}. */
    long lastEndMs(String rtstreamId) {
        return segments(rtstreamId).stream().mapToLong(Entry::endMs).max().orElse(Long.MIN_VALUE);
    }

    /** The rtstream id inside a key ({@code <collection>/<rtstream>/<name>}), or null. */
    static String rtstreamIdOf(String key) {
        String[] parts = key.split("/");
        return parts.length == 3 ? parts[1] : null;
    }
}
