package dev.vigil.indexer.scene;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The key frame of a scene window, whose capture time and boxes alert snapshots show. */
class KeyFrameTest {

    private static FrameAnalysis frame(long ts, int people, int faces) {
        Box box = new Box(0.1f, 0.2f, 0.3f, 0.4f, 1f);
        return new FrameAnalysis(ts, 640, 360, 0, 0.5, 0.2, 100, true, java.util.Collections.nCopies(people, box),
                java.util.Collections.nCopies(faces, box));
    }

    @Test
    void isTheFrameWithTheMostDetectionsTheLatestOnATie() {
        assertThat(SceneSummary.keyFrame(List.of(frame(1, 1, 0), frame(2, 2, 1), frame(3, 0, 0))).captureTs()).isEqualTo(2);
        assertThat(SceneSummary.keyFrame(List.of(frame(1, 1, 0), frame(2, 0, 1), frame(3, 0, 0))).captureTs()).isEqualTo(2);
        assertThat(SceneSummary.keyFrame(List.of(frame(1, 0, 0), frame(2, 0, 0))).captureTs()).isEqualTo(2);
        assertThat(SceneSummary.keyFrame(List.of())).isNull();
    }
}
