package dev.vigil.indexer.scene;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The motion gate of {@link FrameAnalyzer}: people and faces are detected again only when the picture
 * changed since the last detection or that detection reached the max age.
 */
class MotionGateTest {

    private static final long STEP = 500;

    @Test
    void reusesTheDetectionsOfAStillPictureUntilTheMaxAge() throws Exception {
        FrameAnalyzer analyzer = new FrameAnalyzer(Duration.ofSeconds(1), Duration.ofSeconds(5));
        byte[] still = Frames.movingSquare(0);
        List<Long> detectedAt = new ArrayList<>();
        for (long t = 0; t <= 12_000; t += STEP) {
            if (analyzer.analyse("cam", t, still).fresh()) {
                detectedAt.add(t);
            }
        }
        // The first frame, then nothing moves: only when the last detection reaches the max age.
        assertThat(detectedAt).containsExactly(0L, 5_000L, 10_000L);
    }

    @Test
    void detectsAtTheNextIntervalOnceSomethingMoves() throws Exception {
        FrameAnalyzer analyzer = new FrameAnalyzer(Duration.ofSeconds(1), Duration.ofSeconds(30));
        byte[] still = Frames.movingSquare(0);
        long t = 0;
        for (; t < 6_000; t += STEP) {
            analyzer.analyse("cam", t, still);
        }
        List<Long> detectedAt = new ArrayList<>();
        for (int step = 1; step <= 4; step++, t += STEP) {
            if (analyzer.analyse("cam", t, Frames.movingSquare(step)).fresh()) {
                detectedAt.add(t);
            }
        }
        // Moving from 6 s: detected at once (the last detection is older than the interval), then once a second.
        assertThat(detectedAt).containsExactly(6_000L, 7_000L);
    }

    @Test
    void withoutAMaxAgeDetectsAtEveryInterval() throws Exception {
        FrameAnalyzer analyzer = new FrameAnalyzer(Duration.ofSeconds(1));
        byte[] still = Frames.movingSquare(0);
        int detections = 0;
        for (long t = 0; t < 5_000; t += STEP) {
            detections += analyzer.analyse("cam", t, still).fresh() ? 1 : 0;
        }
        assertThat(detections).isEqualTo(5);
    }
}
