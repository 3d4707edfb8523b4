package dev.vigil.api.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordsJsonTest {

    private static final StoredRecord RECORD = new StoredRecord(Channel.TRANSCRIPT, "alpha", "rts-1", "ix", 1_710_000_004_500L,
            1_710_000_006_000L, "hello there", List.of());

    @Test
    void timesAreUnixSecondsWrittenPlainly() {
        String json = RecordsJson.transcription(new RecordPage(List.of(RECORD), 1, 1, 100, false)).encode();
        assertThat(json).contains("\"start\":1710000004.500", "\"end\":1710000006.000");
        assertThat(new JsonObject(json).getJsonArray("transcription_records").getJsonObject(0).getDouble("start"))
                .isEqualTo(1_710_000_004.5);
    }

    @Test
    void transcriptionHasVideoDbsKeys() {
        JsonObject data = RecordsJson.transcription(new RecordPage(List.of(RECORD), 7, 2, 5, true));
        assertThat(data.fieldNames()).containsExactlyInAnyOrder("transcription_records", "next_page", "total_count", "page",
                "page_size");
        assertThat(data.getJsonArray("transcription_records").getJsonObject(0).fieldNames())
                .contains("start", "end", "text", "word_timestamps");
        assertThat(data.getBoolean("next_page")).isTrue();
        assertThat(data.getLong("total_count")).isEqualTo(7);
    }

    @Test
    void wordTimestampsAreVideoDbsWordShapeInUnixSeconds() {
        StoredRecord spoken = new StoredRecord(Channel.TRANSCRIPT, "alpha", "rts-1", "ix", 1_710_000_004_500L,
                1_710_000_006_000L, "hello there", List.of(), List.of(new StoredRecord.Word("hello", 1_710_000_004_500L,
                        1_710_000_005_000L), new StoredRecord.Word("there", 1_710_000_005_120L, 1_710_000_006_000L)));
        JsonObject data = RecordsJson.transcription(new RecordPage(List.of(spoken, RECORD), 2, 1, 100, false));
        JsonArray words = data.getJsonArray("transcription_records").getJsonObject(0).getJsonArray("word_timestamps");
        assertThat(words).hasSize(2);
        assertThat(words.getJsonObject(0).fieldNames()).containsExactlyInAnyOrder("word", "start", "end");
        assertThat(words.getJsonObject(1).getString("word")).isEqualTo("there");
        assertThat(words.getJsonObject(1).getDouble("start")).isEqualTo(1_710_000_005.12);
        assertThat(words.getJsonObject(1).getDouble("end")).isEqualTo(1_710_000_006.0);
        assertThat(data.encode()).contains("\"start\":1710000005.120");
        // An engine without word times: the key is there, the list empty.
        assertThat(data.getJsonArray("transcription_records").getJsonObject(1).getJsonArray("word_timestamps")).isEmpty();
    }

    @Test
    void scenesHaveDescriptions() {
        StoredRecord scene = new StoredRecord(Channel.SCENE_INDEX, "alpha", "rts-1", "ix", 0, 1_000, "a person", List.of("person"));
        JsonObject data = RecordsJson.scenes(new RecordPage(List.of(scene), 1, 1, 100, false));
        JsonObject record = data.getJsonArray("scene_index_records").getJsonObject(0);
        assertThat(record.getString("description")).isEqualTo("a person");
        assertThat(record.getJsonObject("metadata").getJsonArray("labels").getList()).containsExactly("person");
    }

    @Test
    void searchResultsAreShots() {
        JsonObject data = RecordsJson.results(List.of(new SearchHit(RECORD, 1.0, 3.21)), id -> null, id -> null);
        JsonObject shot = data.getJsonArray("results").getJsonObject(0);
        assertThat(shot.fieldNames()).contains("rtstream_id", "start", "end", "text", "score", "scene_index_id");
        assertThat(shot.getDouble("score")).isEqualTo(1.0);
        assertThat(shot.getString("scene_index_id")).isEqualTo("ix");
    }
}
