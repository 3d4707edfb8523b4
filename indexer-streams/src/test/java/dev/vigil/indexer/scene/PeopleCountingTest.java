package dev.vigil.indexer.scene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.indexer.Media;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * People counts of the OpenCV engine on a hand-labelled frame set (labels: people at least ~40 px
 * tall, counted by eye on the fixtures; see src/test/resources/fixtures/README.md):
 * vtest-4 6, vtest-8 7 (small walking figures, OpenCV's vtest.avi), person.jpg 1 (darknet),
 * home.jpg and building.jpg 0 (opencv-doc), astronaut.jpg 1 face and so 1 person (scikit-image's
 * portrait of Eileen Collins, upper body only). Small figures are found on moving regions, so the vtest
 * frames are analysed as a sequence. Tolerance: ±2 on the crowd, exact on the others.
 */
class PeopleCountingTest {

    @Test
    void countsPeopleOnTheLabelledFrames() throws Exception {
        FrameAnalyzer analyzer = new FrameAnalyzer(Duration.ZERO);
        int[] counts = new int[9];
        for (int i = 1; i <= 8; i++) {
            counts[i] = analyzer.analyse("vtest", i * 500L, Media.fixture("vtest-" + i + ".jpg")).people().size();
        }
        System.out.printf("PEOPLE vtest-4 %d (label 6), vtest-8 %d (label 7)%n", counts[4], counts[8]);
        assertThat(counts[4]).isBetween(4, 8);
        assertThat(counts[8]).isBetween(5, 9);
        assertThat(analyzer.analyse("person", 0, Media.fixture("person.jpg")).people()).hasSize(1);
        assertThat(analyzer.analyse("home", 0, Media.fixture("home.jpg")).people()).isEmpty();
        assertThat(analyzer.analyse("building", 0, Media.fixture("building.jpg")).people()).isEmpty();
        FrameAnalysis portrait = analyzer.analyse("astronaut", 0, Media.fixture("astronaut.jpg"));
        assertThat(portrait.faces()).singleElement().satisfies(f -> {
            assertThat(f.centreX()).isBetween(0.40, 0.53); // her face, left of centre
            assertThat(f.centreY()).isBetween(0.10, 0.35);
        });
        assertThat(portrait.people()).hasSize(1); // a face with no body box still counts as a person
        assertThat(analyzer.analyse("person", 0, Media.fixture("person.jpg")).faces()).isEmpty(); // he faces away
    }
}
