package dev.vigil.api.records;

import dev.vigil.schemas.index.AudioRecord;
import dev.vigil.schemas.index.SceneRecord;
import dev.vigil.schemas.index.TranscriptRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.Term;

/**
 * One transcript, scene or audio record as the records store keeps it, and its Lucene document.
 *
 * <p>The document id is derived from the record itself (channel, stream, index, start, end), not from
 * its topic offset: a record read twice after a crash, or emitted twice by an indexer that was
 * restarted, replaces the earlier copy instead of duplicating it. Times are epoch milliseconds.
 */
public record StoredRecord(Channel channel, String tenant, String rtstreamId, String indexId, long startMs, long endMs,
        String text, List<String> labels) {

    /** Exact-match keyword fields (filters). */
    static final String ID = "id";
    static final String TENANT = "tenant";
    static final String RTSTREAM = "rtstream";
    static final String INDEX = "index";
    static final String CHANNEL = "channel";
    /** Points (range filters), doc values (sorting) and stored value. */
    static final String START = "start";
    static final String END = "end";
    /** Analysed, stored: what search matches and what the endpoints return. */
    static final String TEXT = "text";
    /** One keyword per label, stored; also matched by search (lower-case labels). */
    static final String LABELS = "labels";

    public StoredRecord {
        labels = List.copyOf(labels);
    }

    public static StoredRecord of(TranscriptRecord r) {
        return new StoredRecord(Channel.TRANSCRIPT, r.getCollectionId(), r.getRtstreamId(), r.getIndexId(),
                r.getStart().toEpochMilli(), r.getEnd().toEpochMilli(), r.getText(), List.of());
    }

    public static StoredRecord of(SceneRecord r) {
        return new StoredRecord(Channel.SCENE_INDEX, r.getCollectionId(), r.getRtstreamId(), r.getIndexId(),
                r.getStart().toEpochMilli(), r.getEnd().toEpochMilli(), r.getText(), r.getLabels());
    }

    public static StoredRecord of(AudioRecord r) {
        return new StoredRecord(Channel.AUDIO_INDEX, r.getCollectionId(), r.getRtstreamId(), r.getIndexId(),
                r.getStart().toEpochMilli(), r.getEnd().toEpochMilli(), r.getText(), r.getLabels());
    }

    /** The identity of the record: the same window of the same index is the same record. */
    public String id() {
        return channel.wire() + '/' + rtstreamId + '/' + indexId + '/' + startMs + '/' + endMs;
    }

    Term idTerm() {
        return new Term(ID, id());
    }

    Document toDocument() {
        Document doc = new Document();
        doc.add(new StringField(ID, id(), Field.Store.NO));
        doc.add(new StringField(TENANT, tenant, Field.Store.YES));
        doc.add(new StringField(RTSTREAM, rtstreamId, Field.Store.YES));
        doc.add(new StringField(INDEX, indexId, Field.Store.YES));
        doc.add(new StringField(CHANNEL, channel.wire(), Field.Store.YES));
        doc.add(new LongField(START, startMs, Field.Store.YES));
        doc.add(new LongField(END, endMs, Field.Store.YES));
        doc.add(new TextField(TEXT, text, Field.Store.YES));
        for (String label : labels) {
            doc.add(new StringField(LABELS, label.toLowerCase(java.util.Locale.ROOT), Field.Store.YES));
        }
        return doc;
    }

    static StoredRecord fromDocument(Document doc) {
        List<String> labels = new ArrayList<>();
        for (IndexableField f : doc.getFields(LABELS)) {
            labels.add(f.stringValue());
        }
        return new StoredRecord(Channel.fromWire(doc.get(CHANNEL)), doc.get(TENANT), doc.get(RTSTREAM), doc.get(INDEX),
                doc.getField(START).numericValue().longValue(), doc.getField(END).numericValue().longValue(),
                doc.get(TEXT), labels);
    }
}
