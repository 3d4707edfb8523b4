package dev.vigil.api.records;

import dev.vigil.schemas.control.IndexSpec;
import dev.vigil.schemas.control.RtStreamSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.function.Function;

/**
 * Records and search results in VideoDB's JSON shapes (docs/videodb-wire.md §4.8, §5.5, §7): times
 * in Unix seconds (float), snake_case keys, lists always present.
 */
final class RecordsJson {

    private RecordsJson() {
    }

    /**
     * Unix seconds with millisecond precision, written plainly ({@code 1710000004.500}): a double would
     * be written as {@code 1.7100000045E9}, valid JSON but hard on people reading it.
     */
    static BigDecimal seconds(long epochMillis) {
        return BigDecimal.valueOf(epochMillis, 3);
    }

    /** {@code get_transcript}: {@code transcription_records} plus page metadata. */
    static JsonObject transcription(RecordPage page) {
        JsonArray records = new JsonArray();
        for (StoredRecord r : page.records()) {
            records.add(new JsonObject()
                    .put("start", seconds(r.startMs()))
                    .put("end", seconds(r.endMs()))
                    .put("text", r.text())
                    .put("word_timestamps", wordTimestamps(r.words()))
                    .put("rtstream_index_id", r.indexId()));
        }
        return paged(new JsonObject().put("transcription_records", records), page);
    }

    /**
     * VideoDB's word shape ({@code {word, start, end}}, as its SDKs type {@code word_timestamps}), times in
     * Unix seconds like the record's; empty when the engine gave no word times (offline engines).
     */
    static JsonArray wordTimestamps(java.util.List<StoredRecord.Word> words) {
        JsonArray json = new JsonArray();
        for (StoredRecord.Word w : words) {
            json.add(new JsonObject().put("word", w.word()).put("start", seconds(w.startMs())).put("end", seconds(w.endMs())));
        }
        return json;
    }

    /** {@code get_scenes}: {@code scene_index_records} plus page metadata. */
    static JsonObject scenes(RecordPage page) {
        JsonArray records = new JsonArray();
        for (StoredRecord r : page.records()) {
            records.add(new JsonObject()
                    .put("id", r.id())
                    .put("start", seconds(r.startMs()))
                    .put("end", seconds(r.endMs()))
                    .put("description", r.text())
                    .put("metadata", new JsonObject()
                            .put("channel", r.channel().wire())
                            .put("labels", new JsonArray(r.labels()))));
        }
        return paged(new JsonObject().put("scene_index_records", records), page);
    }

    private static JsonObject paged(JsonObject json, RecordPage page) {
        return json.put("next_page", page.nextPage())
                .put("total_count", page.total())
                .put("page", page.page())
                .put("page_size", page.pageSize());
    }

    /** {@code search}: {@code results}, each a shot with its stream and index. */
    static JsonObject results(java.util.List<SearchHit> hits, Function<String, RtStreamSpec> streams,
            Function<String, IndexSpec> indexes) {
        JsonArray results = new JsonArray();
        for (SearchHit hit : hits) {
            StoredRecord r = hit.record();
            RtStreamSpec stream = streams.apply(r.rtstreamId());
            IndexSpec index = indexes.apply(r.indexId());
            results.add(new JsonObject()
                    .put("rtstream_id", r.rtstreamId())
                    .put("rtstream_name", stream == null ? null : stream.getName())
                    .put("start", seconds(r.startMs()))
                    .put("end", seconds(r.endMs()))
                    .put("text", r.text())
                    .put("score", round(hit.score()))
                    .put("scene_index_id", r.indexId())
                    .put("scene_index_name", index == null ? null : index.getName())
                    .put("index_type", r.channel().indexType())
                    .put("metadata", new JsonObject()
                            .put("channel", r.channel().wire())
                            .put("labels", new JsonArray(r.labels()))
                            .put("bm25", round(hit.rawScore()))));
        }
        return new JsonObject().put("results", results);
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
