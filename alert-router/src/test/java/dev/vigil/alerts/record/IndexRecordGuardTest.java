package dev.vigil.alerts.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.alerts.Fixtures;
import dev.vigil.alerts.poison.Problem;
import dev.vigil.schemas.index.SceneRecord;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IndexRecordGuardTest {

    private final SceneRecord good = Fixtures.scene(Fixtures.T0, 1);

    private static Optional<String> reason(String key, SceneRecord record) {
        return IndexRecordGuard.problem(key, IndexRecord.of(record)).map(Problem::reason);
    }

    @Test
    void acceptsAGoodRecord() {
        assertThat(reason(Fixtures.STREAM, good)).isEmpty();
    }

    @Test
    void namesWhatIsWrong() {
        assertThat(reason(Fixtures.STREAM, null)).contains("null_value");
        assertThat(reason(null, good)).contains("missing_key");
        assertThat(reason(Fixtures.STREAM_2, good)).contains("key_mismatch");
        assertThat(reason(Fixtures.STREAM, SceneRecord.newBuilder(good).setEnd(Fixtures.T0.minusMillis(1)).build()))
                .contains("bad_times");
        SceneRecord blank = SceneRecord.newBuilder(good).setCollectionId("").setIndexId("  ").build();
        assertThat(IndexRecordGuard.problem(Fixtures.STREAM, IndexRecord.of(blank)))
                .contains(new Problem("missing_field", "no collection_id, index_id"));
    }

    @Test
    void theNotificationKeyNamesIndexChannelAndTimes() {
        assertThat(IndexRecord.of(good).notificationKey())
                .isEqualTo(Fixtures.SCENE_INDEX + ":scene_index:1772359200000:1772359202000");
    }
}
