package dev.vigil.indexer.scene;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Scene windows survive their changelog. */
class SceneWindowSerdeTest {

    @Test
    void roundTrips() {
        SceneWindow w = SceneWindow.open("rts-1", "default", "idx", 2_000, 4_000);
        w.accepted = 2;
        w.pending = 1;
        w.lastAcceptedTs = 2_500;
        w.analyses.add(new FrameAnalysis(2_500, 640, 360, 0.05, 0.4, 0.2, 700, true,
                List.of(new Box(0.1f, 0.2f, 0.05f, 0.2f, 1.5f)), List.of()));
        SceneWindowSerde serde = new SceneWindowSerde();
        SceneWindow back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", w));
        assertThat(back).usingRecursiveComparison().isEqualTo(w);
    }
}
