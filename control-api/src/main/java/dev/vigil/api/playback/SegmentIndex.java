package dev.vigil.api.playback;

import dev.vigil.common.kafka.reader.ReaderService;
import dev.vigil.common.kafka.reader.StartPosition;
import dev.vigil.common.kafka.reader.TopicReader;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.media.RecordingSegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recording's segment index in memory: a {@link TopicReader} of {@code vigil.recordings.segments}
 * (compacted, keyed by storage key; every partition, no group, from the beginning) on its own thread
 * ({@code vigil-api-segments}) that keeps, per stream, its segments ordered by start. A tombstone removes
 * the segment (retention deleted it). Memory is bounded: past {@code maxPerStream} segments a stream's
 * oldest are forgotten (about 200 bytes each; a stream recording 4-second segments makes 21,600 a day),
 * counted in {@link #forgotten()}. Ready once it has read what the topic held when it started; a record that
 * does not decode is skipped and counted ({@link #skippedRecords()}), as for every {@link ReaderService}.
 *
 * <p>Readers on other threads see each segment as soon as the reader applied it; the per-stream maps
 * are concurrent and a segment is immutable.
 */
public final class SegmentIndex extends ReaderService<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(SegmentIndex.class);
    /** Ordered by start, then key (two segments of different sessions may start in the same millisecond). */
    private static final Comparator<SlotKey> ORDER = Comparator.comparingLong(SlotKey::startMs).thenComparing(SlotKey::key);

    private record SlotKey(long startMs, String key) {
    }

    private final Map<String, NavigableMap<SlotKey, Segment>> byStream = new ConcurrentHashMap<>();
    private final Map<String, Segment> byKey = new ConcurrentHashMap<>();
    private final int maxPerStream;
    private final AtomicLong forgotten = new AtomicLong();

    /** {@code consumerConfig}: bootstrap and client settings (KafkaClients.reader). */
    public SegmentIndex(Map<String, Object> consumerConfig, String topicPrefix, int maxPerStream) {
        super(TopicReader.builder("segment-index", consumerConfig, new StringDeserializer(), new ByteArrayDeserializer())
                .threadName("vigil-api-segments")
                .topic(Topics.RECORDING_SEGMENTS.name(topicPrefix))
                .startAt(StartPosition.beginning())
                .pollTimeout(Duration.ofMillis(100)), ReadyWhen.LOADED);
        this.maxPerStream = maxPerStream;
    }

    /** Reader thread: adds, replaces or (tombstone) removes one segment. */
    @Override
    protected void apply(ConsumerRecord<String, byte[]> record) {
        String key = record.key();
        if (key == null) {
            return;
        }
        if (record.value() == null) {
            remove(key);
            return;
        }
        RecordingSegment value = Topics.RECORDING_SEGMENTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
        if (value == null) {
            return;
        }
        remove(key); // a record written again for the same key replaces the old one
        Segment segment = Segment.of(value);
        NavigableMap<SlotKey, Segment> segments = byStream.computeIfAbsent(segment.rtstreamId(),
                id -> new ConcurrentSkipListMap<>(ORDER));
        segments.put(new SlotKey(segment.startMs(), key), segment);
        byKey.put(key, segment);
        while (segments.size() > maxPerStream) {
            Map.Entry<SlotKey, Segment> oldest = segments.pollFirstEntry();
            if (oldest == null) {
                break;
            }
            byKey.remove(oldest.getKey().key());
            forgotten.incrementAndGet();
        }
        log.trace("Indexed segment {}", key);
    }

    private void remove(String key) {
        Segment old = byKey.remove(key);
        if (old != null) {
            NavigableMap<SlotKey, Segment> segments = byStream.get(old.rtstreamId());
            if (segments != null) {
                segments.remove(new SlotKey(old.startMs(), key));
                if (segments.isEmpty()) {
                    byStream.remove(old.rtstreamId(), segments);
                }
            }
        }
    }

    /** The segments of {@code rtstreamId} that overlap [fromMs, toMs), ordered by start. */
    public List<Segment> overlapping(String rtstreamId, long fromMs, long toMs) {
        NavigableMap<SlotKey, Segment> segments = byStream.get(rtstreamId);
        if (segments == null) {
            return List.of();
        }
        List<Segment> out = new ArrayList<>();
        // Segments last seconds: one that starts well before fromMs cannot reach it; scan from the one
        // before the range's start (floor), which covers any segment shorter than the gap between starts.
        SlotKey from = segments.floorKey(new SlotKey(fromMs, ""));
        for (Segment s : (from == null ? segments : segments.tailMap(from, true)).values()) {
            if (s.startMs() >= toMs) {
                break;
            }
            if (s.endMs() > fromMs) {
                out.add(s);
            }
        }
        return out;
    }

    /** Every indexed segment of {@code rtstreamId}, ordered by start. */
    public List<Segment> all(String rtstreamId) {
        NavigableMap<SlotKey, Segment> segments = byStream.get(rtstreamId);
        return segments == null ? List.of() : List.copyOf(segments.values());
    }

    /** The newest segment of {@code rtstreamId}, if it has any. */
    public Optional<Segment> newest(String rtstreamId) {
        NavigableMap<SlotKey, Segment> segments = byStream.get(rtstreamId);
        if (segments == null) {
            return Optional.empty();
        }
        Map.Entry<SlotKey, Segment> last = segments.lastEntry();
        return last == null ? Optional.empty() : Optional.of(last.getValue());
    }

    /** The segment stored under {@code key}, if indexed. */
    public Optional<Segment> byKey(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    /** Segments forgotten because their stream held more than the bound. */
    public long forgotten() {
        return forgotten.get();
    }

    /** Catches up with every segment written before this call (read-your-writes for tests and exports). */
    public CompletableFuture<Void> readToEnd() {
        return reader().readToEnd();
    }
}
