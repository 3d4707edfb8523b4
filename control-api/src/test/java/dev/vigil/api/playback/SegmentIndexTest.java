package dev.vigil.api.playback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schemas.Topics;
import dev.vigil.schemas.media.RecordingSegment;
import dev.vigil.schemas.media.SegmentContainer;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * The index's state on its own (records applied as the reader thread would; the reader is never started):
 * ordering and overlap, replacement, tombstones, the per-stream bound, and undecodable records left to the
 * reader shell. The reader on the real broker is covered by PlaybackIT.
 */
class SegmentIndexTest {

    private static final String TOPIC = Topics.RECORDING_SEGMENTS.name("vigil.");
    private final SegmentIndex index = new SegmentIndex(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1"),
            "vigil.", 3);
    private long offset;

    private static String key(String stream, long startMs) {
        return "col/" + stream + "/" + startMs + "-s1-0.ts";
    }

    private void put(String stream, long startMs, long endMs) {
        RecordingSegment segment = RecordingSegment.newBuilder().setRtstreamId(stream).setCollectionId("col")
                .setKey(key(stream, startMs)).setSessionId("s1").setSeq(startMs / 4000).setStart(Instant.ofEpochMilli(startMs))
                .setEnd(Instant.ofEpochMilli(endMs)).setBytes(1000).setContainer(SegmentContainer.MPEGTS)
                .build();
        byte[] value = Topics.RECORDING_SEGMENTS.valueSerde().serializer().serialize(TOPIC, segment);
        index.apply(new ConsumerRecord<>(TOPIC, 0, offset++, segment.getKey(), value));
    }

    @Test
    void answersTheSegmentsOverlappingARangeInStartOrder() {
        put("rts-1", 8_000, 12_000);
        put("rts-1", 0, 4_000);
        put("rts-1", 4_000, 8_000);
        put("rts-2", 4_000, 8_000);

        assertThat(index.overlapping("rts-1", 5_000, 9_000)).extracting(Segment::startMs).containsExactly(4_000L, 8_000L);
        assertThat(index.overlapping("rts-1", 4_000, 8_000)).extracting(Segment::startMs).containsExactly(4_000L);
        assertThat(index.overlapping("rts-1", 12_000, 20_000)).isEmpty();
        assertThat(index.overlapping("rts-unknown", 0, 20_000)).isEmpty();
        assertThat(index.all("rts-1")).extracting(Segment::startMs).containsExactly(0L, 4_000L, 8_000L);
        assertThat(index.newest("rts-1")).map(Segment::startMs).contains(8_000L);
        assertThat(index.byKey(key("rts-2", 4_000))).map(Segment::rtstreamId).contains("rts-2");
    }

    @Test
    void aRecordWrittenAgainReplacesAndATombstoneRemoves() {
        put("rts-1", 0, 4_000);
        put("rts-1", 0, 3_500);
        assertThat(index.all("rts-1")).extracting(Segment::endMs).containsExactly(3_500L);

        index.apply(new ConsumerRecord<>(TOPIC, 0, offset++, key("rts-1", 0), null));
        assertThat(index.all("rts-1")).isEmpty();
        assertThat(index.byKey(key("rts-1", 0))).isEmpty();
        assertThat(index.newest("rts-1")).isEmpty();
    }

    @Test
    void forgetsAStreamsOldestSegmentsPastTheBound() {
        for (int i = 0; i < 5; i++) {
            put("rts-1", i * 4_000L, (i + 1) * 4_000L);
        }
        assertThat(index.all("rts-1")).extracting(Segment::startMs).containsExactly(8_000L, 12_000L, 16_000L);
        assertThat(index.byKey(key("rts-1", 0))).isEmpty();
        assertThat(index.forgotten()).isEqualTo(2);
    }

    @Test
    void leavesAnUndecodableRecordToTheReaderShellAndIgnoresOneWithoutAKey() {
        assertThatThrownBy(() -> index.apply(new ConsumerRecord<>(TOPIC, 0, 0, "col/rts-1/x.ts", new byte[] {1, 2, 3})))
                .isInstanceOf(SerializationException.class);
        index.apply(new ConsumerRecord<>(TOPIC, 0, 1, null, new byte[] {1}));
        assertThat(index.all("rts-1")).isEmpty();
        assertThat(index.name()).isEqualTo("segment-index");
    }
}
