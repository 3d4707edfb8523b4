package dev.vigil.rules.record;

import static dev.vigil.rules.IndexRecords.START;
import static dev.vigil.rules.IndexRecords.audio;
import static dev.vigil.rules.IndexRecords.scene;
import static dev.vigil.rules.IndexRecords.transcript;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import dev.vigil.schemas.alerts.Channel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The three Avro index records become the one shape conditions read, with CEL's Java types. */
class RecordNormaliserTest {

    @Test
    void normalisesASceneRecordWithLongCountsDefaultKeysAndZoneKeys() {
        NormalisedRecord r = RecordNormaliser.normalise(scene().people(2).count("Cars", 1).labels("Person", "MOTION")
                .zone("Loading Dock", "people", 1).emptyZone("gate").motion(0.25).brightness(0.4)
                .text("2 people, motion").build());

        assertThat(r.channel()).isEqualTo(Channel.SCENE_INDEX);
        assertThat(r.value(RecordVariable.CHANNEL)).isEqualTo("scene_index");
        assertThat(r.labels()).containsExactly("person", "motion");
        assertThat(r.counts()).containsExactlyEntriesOf(orderedMap(
                "people", 2L, "faces", 0L, "vehicles", 0L, "animals", 0L, "objects", 0L, "cars", 1L));
        assertThat(r.counts().values()).allSatisfy(v -> assertThat(v).isInstanceOf(Long.class));
        assertThat(r.zones()).containsOnlyKeys("loading_dock", "gate");
        assertThat(r.zones().get("loading_dock")).containsEntry("people", 1L).containsEntry("faces", 0L);
        assertThat(r.zones().get("gate")).containsEntry("people", 0L);
        assertThat(r.value(RecordVariable.MOTION)).isEqualTo(0.25);
        assertThat(r.value(RecordVariable.BRIGHTNESS)).isEqualTo(0.4);
        assertThat(r.value(RecordVariable.TEXT_NORM)).isEqualTo(" 2 people motion ");
        assertThat(r.transcript()).isEmpty();
        assertThat(r.value(RecordVariable.LOUDNESS)).isEqualTo(NormalisedRecord.SILENT_DBFS);
        assertThat(r.value(RecordVariable.DURATION_S)).isEqualTo(2.0);
        assertThat(r.value(RecordVariable.START)).isEqualTo(
                Timestamp.newBuilder().setSeconds(START.getEpochSecond()).build());
    }

    @Test
    void labelsATranscriptWithWordsAsSpeech() {
        NormalisedRecord spoken = RecordNormaliser.normalise(transcript("Help me!", false));
        NormalisedRecord empty = RecordNormaliser.normalise(transcript(" ... "));

        assertThat(spoken.channel()).isEqualTo(Channel.TRANSCRIPT);
        assertThat(spoken.labels()).containsExactly("speech");
        assertThat(spoken.transcript()).isEqualTo("Help me!");
        assertThat(spoken.value(RecordVariable.TRANSCRIPT_NORM)).isEqualTo(" help me ");
        assertThat(spoken.value(RecordVariable.IS_FINAL)).isEqualTo(false);
        assertThat(spoken.value(RecordVariable.CONFIDENCE)).isEqualTo(0.9);
        assertThat(empty.labels()).isEmpty();
        assertThat(empty.value(RecordVariable.TEXT_NORM)).isEqualTo("");
    }

    @Test
    void takesTheAudioTranscriptAndLevels() {
        NormalisedRecord r = RecordNormaliser.normalise(audio().labels("speech", "Alarm").loudness(-18.5).peak(-2)
                .transcript("Get OUT").text("Get out (speech, alarm)").build());
        NormalisedRecord noTranscript = RecordNormaliser.normalise(audio().build());

        assertThat(r.channel()).isEqualTo(Channel.AUDIO_INDEX);
        assertThat(r.labels()).containsExactly("speech", "alarm");
        assertThat(r.value(RecordVariable.LOUDNESS)).isEqualTo(-18.5);
        assertThat(r.value(RecordVariable.PEAK)).isEqualTo(-2.0);
        assertThat(r.value(RecordVariable.TRANSCRIPT_NORM)).isEqualTo(" get out ");
        assertThat(r.text()).isEqualTo("Get out (speech, alarm)");
        assertThat(noTranscript.transcript()).isEmpty();
        assertThat(noTranscript.value(RecordVariable.IS_FINAL)).isEqualTo(true);
    }

    @Test
    void givesEveryVariableItsDeclaredJavaType() {
        for (NormalisedRecord r : List.of(RecordNormaliser.normalise(scene().people(1).build()),
                RecordNormaliser.normalise(audio().build()), RecordNormaliser.normalise(transcript("x")))) {
            assertThat(r.value(RecordVariable.COUNTS)).isInstanceOf(Map.class);
            assertThat(r.value(RecordVariable.LABELS)).isInstanceOf(List.class);
            assertThat(r.value(RecordVariable.IS_FINAL)).isInstanceOf(Boolean.class);
            assertThat(r.value(RecordVariable.END)).isInstanceOf(Timestamp.class);
            for (RecordVariable v : List.of(RecordVariable.CONFIDENCE, RecordVariable.LOUDNESS, RecordVariable.PEAK,
                    RecordVariable.MOTION, RecordVariable.BRIGHTNESS, RecordVariable.DURATION_S)) {
                assertThat(r.value(v)).as(v.celName()).isInstanceOf(Double.class);
            }
            for (RecordVariable v : List.of(RecordVariable.CHANNEL, RecordVariable.RTSTREAM_ID, RecordVariable.INDEX_ID,
                    RecordVariable.ENGINE, RecordVariable.TEXT, RecordVariable.TEXT_NORM, RecordVariable.TRANSCRIPT,
                    RecordVariable.TRANSCRIPT_NORM)) {
                assertThat(r.value(v)).as(v.celName()).isInstanceOf(String.class);
            }
        }
    }

    @Test
    void refusesAnythingButAnIndexRecord() {
        assertThatThrownBy(() -> RecordNormaliser.normalise("scene"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.String");
    }

    private static Map<String, Long> orderedMap(Object... kv) {
        Map<String, Long> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Long) kv[i + 1]);
        }
        return m;
    }
}
