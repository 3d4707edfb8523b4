package dev.vigil.indexer.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.indexer.Media;
import dev.vigil.schemas.control.IndexSpec;
import dev.vigil.schemas.control.IndexState;
import dev.vigil.schemas.control.IndexType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-stream set of running indexes, its serde, and the extraction_config readers. */
class ActiveIndexesTest {

    private final IndexSpec scene = Media.index("0000000000000001", Media.STREAM, IndexType.SCENE, Map.of("time", "3", "frame_count", "4"));
    private final IndexSpec audio = Media.index("0000000000000002", Media.STREAM, IndexType.AUDIO,
            Map.of("segmenter", "sentence", "segmentation_value", "2"));

    @Test
    void stoppedIndexesLeaveTheSetAndTheSerdeRoundTrips() {
        ActiveIndexes set = ActiveIndexes.EMPTY.with(scene).with(audio);
        assertThat(set.ofType(IndexType.SCENE)).containsExactly(scene);
        assertThat(set.with(IndexSpec.newBuilder(scene).setState(IndexState.STOPPED).build()).byId()).containsOnlyKeys(audio.getId());
        assertThat(set.without(audio).byId()).containsOnlyKeys(scene.getId());
        ActiveIndexesSerde serde = new ActiveIndexesSerde();
        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", set))).isEqualTo(set);
    }

    @Test
    void readsWindowsZonesAndVocabulary() {
        assertThat(SceneSettings.of(scene)).satisfies(s -> {
            assertThat(s.windowMs()).isEqualTo(3_000);
            assertThat(s.frameCount()).isEqualTo(4);
        });
        assertThat(AudioSettings.of(audio)).isEqualTo(new AudioSettings(8_000, "sentence", true));
        IndexSpec zoned = Media.index("0000000000000003", Media.STREAM, IndexType.SCENE,
                Map.of("zones", "{\"Loading Dock\": [[0,0],[0.5,0],[0.5,1]], \"bad\": [[0,0]]}"));
        assertThat(SceneSettings.of(zoned).zones()).extracting(Zone::key).containsExactly("loading_dock");
        assertThat(SceneSettings.of(zoned).zones().get(0).contains(0.4, 0.5, 640, 360)).isTrue();
        assertThat(SceneSettings.of(zoned).zones().get(0).contains(0.9, 0.5, 640, 360)).isFalse();
        assertThat(TranscriptSettings.phrases("Help me!, call the police;\nfire")).containsExactly("help me", "call the police", "fire");
        assertThat(TranscriptSettings.phrases("[\"Open the gate\", \"open the gate\"]")).containsExactly("open the gate");
    }

    @Test
    void badExtractionValuesFallBackToDefaults() {
        IndexSpec bad = Media.index("0000000000000004", Media.STREAM, IndexType.SCENE,
                Map.of("time", "soon", "frame_count", "999", "zones", "not json"));
        SceneSettings s = SceneSettings.of(bad);
        assertThat(s.windowMs()).isEqualTo(2_000);
        assertThat(s.frameCount()).isEqualTo(5);
        assertThat(s.zones()).isEmpty();
    }
}
