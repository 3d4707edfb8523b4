package dev.vigil.ingest.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.Topics;
import dev.vigil.schemas.media.RecordingSegment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class SegmentIndexTest {

    private static final String TOPIC = Topics.RECORDING_SEGMENTS.name(Topics.DEFAULT_PREFIX);

    private static RecordingSegment segment(String id, long startMs, long seq) {
        return FinishedSegment.record(id, "default", "abcdef012345", seq, startMs, startMs + 4000, 1000 + seq, "h264", "aac",
                640, 360, "w1");
    }

    private static ConsumerRecord<String, byte[]> record(String key, RecordingSegment value) {
        return new ConsumerRecord<>(TOPIC, 0, 0, key,
                value == null ? null : Topics.RECORDING_SEGMENTS.valueSerde().serializer().serialize(TOPIC, value));
    }

    @Test
    void keepsEachStreamsSegmentsInTimeOrderAndForgetsTombstonedKeys() {
        SegmentIndex index = new SegmentIndex();
        RecordingSegment b = segment("rts-1", 1_700_000_004_000L, 1);
        RecordingSegment a = segment("rts-1", 1_700_000_000_000L, 0);
        RecordingSegment other = segment("rts-2", 1_700_000_000_000L, 0);
        index.apply(record(b.getKey(), b));
        index.apply(record(a.getKey(), a));
        index.apply(record(other.getKey(), other));

        assertThat(index.segments("rts-1")).extracting(SegmentIndex.Entry::key).containsExactly(a.getKey(), b.getKey());
        assertThat(index.lastEndMs("rts-1")).isEqualTo(1_700_000_008_000L);

        index.apply(record(a.getKey(), null));
        assertThat(index.segments("rts-1")).extracting(SegmentIndex.Entry::key).containsExactly(b.getKey());
        index.apply(record(b.getKey(), null));
        assertThat(index.segments("rts-1")).isEmpty();
        assertThat(index.lastEndMs("rts-1")).isEqualTo(Long.MIN_VALUE);
        assertThat(index.segments("rts-2")).hasSize(1);
    }

    @Test
    void skipsUndecodableRecordsAndKeylessOnes() {
        SegmentIndex index = new SegmentIndex();
        index.apply(new ConsumerRecord<>(TOPIC, 0, 0, "default/rts-1/1-x-0.ts", new byte[] {1, 2, 3}));
        index.apply(new ConsumerRecord<>(TOPIC, 0, 1, null, new byte[] {1}));
        assertThat(index.segments("rts-1")).isEmpty();
    }

    @Test
    void keysFollowTheSchemasFormat() {
        assertThat(FinishedSegment.key("default", "rts-1", 1_700_000_000_123L, "abcdef012345", 7))
                .isEqualTo("default/rts-1/1700000000123-abcdef012345-7.ts");
        assertThat(SegmentIndex.rtstreamIdOf("default/rts-1/1700000000123-abcdef012345-7.ts")).isEqualTo("rts-1");
        assertThat(segment("rts-1", 5, 0).getDiscontinuity()).isTrue();
        assertThat(segment("rts-1", 5, 1).getDiscontinuity()).isFalse();
    }
}
