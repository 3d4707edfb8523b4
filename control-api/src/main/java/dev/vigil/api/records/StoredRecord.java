package dev.vigil.api.records;

import dev.vigil.schemas.index.AudioRecord;
import dev.vigil.schemas.index.SceneRecord;
import dev.vigil.schemas.index.TranscriptRecord;
import dev.vigil.schemas.index.TranscriptWord;
import io.vertx.core.json.JsonArray;
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
        String text, List<String> labels, List<Word> words) {

    /**
     * One word of a transcript and when it was said (epoch milliseconds), as a transcription model gave
     * it ({@code verbose_json}); what VideoDB's {@code get_transcript} returns as {@code word_timestamps}.
     */
    public record Word(String word, long startMs, long endMs) {
    }

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
    /**
     * Stored only (never searched): the transcript's word timestamps as a JSON array of
     * {@code [word, startMs, endMs]} triples; absent when the engine gave none.
     */
    static final String WORDS = "words";

    public StoredRecord {
        labels = List.copyOf(labels);
        words = List.copyOf(words);
    }

    /** A record without word timestamps (scene and audio records, transcripts of offline engines). */
    public StoredRecord(Channel channel, String tenant, String rtstreamId, String indexId, long startMs, long endMs,
            String text, List<String> labels) {
        this(channel, tenant, rtstreamId, indexId, startMs, endMs, text, labels, List.of());
    }

    public static StoredRecord of(TranscriptRecord r) {
        return new StoredRecord(Channel.TRANSCRIPT, r.getCollectionId(), r.getRtstreamId(), r.getIndexId(),
                r.getStart().toEpochMilli(), r.getEnd().toEpochMilli(), r.getText(), List.of(), words(r.getWords()));
    }

    private static List<Word> words(List<TranscriptWord> words) {
        if (words == null) {
            return List.of(); // the engine gave no word timestamps
        }
        return words.stream().map(w -> new Word(w.getWord(), w.getStart().toEpochMilli(), w.getEnd().toEpochMilli()))
                .toList();
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
        if (!words.isEmpty()) {
            JsonArray triples = new JsonArray();
            for (Word w : words) {
                triples.add(new JsonArray().add(w.word()).add(w.startMs()).add(w.endMs()));
            }
            doc.add(new StoredField(WORDS, triples.encode()));
        }
        return doc;
    }

    static StoredRecord fromDocument(Document doc) {
        List<String> labels = new ArrayList<>();
        for (IndexableField f : doc.getFields(LABELS)) {
            labels.add(f.stringValue());
        }
        List<Word> words = new ArrayList<>();
        String stored = doc.get(WORDS);
        if (stored != null) {
            for (Object o : new JsonArray(stored)) {
                JsonArray triple = (JsonArray) o;
                words.add(new Word(triple.getString(0), triple.getLong(1), triple.getLong(2)));
            }
        }
        return new StoredRecord(Channel.fromWire(doc.get(CHANNEL)), doc.get(TENANT), doc.get(RTSTREAM), doc.get(INDEX),
                doc.getField(START).numericValue().longValue(), doc.getField(END).numericValue().longValue(),
                doc.get(TEXT), labels, words);
    }
}
