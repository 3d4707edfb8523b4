package dev.vigil.alerts.record;

import dev.vigil.rules.record.NormalisedRecord;
import dev.vigil.rules.record.RecordNormaliser;
import dev.vigil.schemas.alerts.Channel;
import dev.vigil.schemas.index.AudioRecord;
import dev.vigil.schemas.index.SceneRecord;
import dev.vigil.schemas.index.TranscriptRecord;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;

/**
 * One record of any of the three index topics ({@code vigil.index.transcript}, {@code .scene},
 * {@code .audio}) with the fields the router needs lifted out, so the rest of the topology handles
 * the three channels alike. It only travels between processors of one sub-topology, in memory, so it
 * needs no serde.
 *
 * <p>Fields may be null or blank when the producer wrote a broken record; {@link IndexRecordGuard}
 * drops those before anything else looks at them.
 */
public final class IndexRecord {

    private final Channel channel;
    private final SpecificRecord value;
    private final String rtstreamId;
    private final String collectionId;
    private final String indexId;
    private final Instant start;
    private final Instant end;
    private final String text;
    private final double confidence;
    private final Instant emitTs;

    private IndexRecord(Channel channel, SpecificRecord value, String rtstreamId, String collectionId, String indexId,
            Instant start, Instant end, String text, double confidence, Instant emitTs) {
        this.channel = channel;
        this.value = value;
        this.rtstreamId = rtstreamId;
        this.collectionId = collectionId;
        this.indexId = indexId;
        this.start = start;
        this.end = end;
        this.text = text;
        this.confidence = confidence;
        this.emitTs = emitTs;
    }

    /** Null for a null value (a tombstone on a data topic, which the guard drops). */
    public static IndexRecord of(TranscriptRecord r) {
        return r == null ? null : new IndexRecord(Channel.TRANSCRIPT, r, r.getRtstreamId(), r.getCollectionId(),
                r.getIndexId(), r.getStart(), r.getEnd(), r.getText(), r.getConfidence(), r.getEmitTs());
    }

    public static IndexRecord of(SceneRecord r) {
        return r == null ? null : new IndexRecord(Channel.SCENE_INDEX, r, r.getRtstreamId(), r.getCollectionId(),
                r.getIndexId(), r.getStart(), r.getEnd(), r.getText(), r.getConfidence(), r.getEmitTs());
    }

    public static IndexRecord of(AudioRecord r) {
        return r == null ? null : new IndexRecord(Channel.AUDIO_INDEX, r, r.getRtstreamId(), r.getCollectionId(),
                r.getIndexId(), r.getStart(), r.getEnd(), r.getText(), r.getConfidence(), r.getEmitTs());
    }

    /**
     * The part of the notification id that names this record: index, channel and covered media times.
     * A record reprocessed after a crash, or written twice by an indexer, gives the same key and so
     * the same notification id ({@code Ids.notificationId(alertId, key)}). An interim and a final
     * transcript of the same utterance span share it too, so receivers see them as one notification.
     */
    public String notificationKey() {
        return indexId + ":" + NormalisedRecord.wireName(channel) + ":" + start.toEpochMilli() + ":" + end.toEpochMilli();
    }

    /** The variables conditions see; computed once per record and shared by all its alerts. */
    public NormalisedRecord normalise() {
        return RecordNormaliser.normalise(value);
    }

    public Channel channel() {
        return channel;
    }

    public SpecificRecord value() {
        return value;
    }

    public String rtstreamId() {
        return rtstreamId;
    }

    public String collectionId() {
        return collectionId;
    }

    public String indexId() {
        return indexId;
    }

    public Instant start() {
        return start;
    }

    public Instant end() {
        return end;
    }

    public String text() {
        return text;
    }

    public double confidence() {
        return confidence;
    }

    public Instant emitTs() {
        return emitTs;
    }

    @Override
    public String toString() {
        return NormalisedRecord.wireName(channel) + " record of index " + indexId + " (stream " + rtstreamId
                + ", collection " + collectionId + ", " + start + " to " + end + ")";
    }
}
