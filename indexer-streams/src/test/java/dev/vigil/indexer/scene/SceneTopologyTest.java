package dev.vigil.indexer.scene;

import static dev.vigil.indexer.Media.STREAM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.indexer.IndexerDriver;
import dev.vigil.indexer.Media;
import dev.vigil.schemas.control.IndexSpec;
import dev.vigil.schemas.control.IndexState;
import dev.vigil.schemas.control.IndexType;
import dev.vigil.schemas.index.SceneRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scene branch in a TopologyTestDriver, on the committed JPEG fixtures and generated frames. */
class SceneTopologyTest {

    private final IndexerDriver d = new IndexerDriver();

    @AfterEach
    void close() {
        d.close();
    }

    private static List<byte[]> vtest() {
        return IntStream.rangeClosed(1, 8).mapToObj(i -> Media.fixture("vtest-" + i + ".jpg")).toList();
    }

    @Test
    void emitsOneRecordPerTwoSecondWindowWithPeopleFromTheWalkingCrowd() {
        d.index(Media.index("a1b2c3d4e5f60001", STREAM, IndexType.SCENE, Map.of("time", "2", "frame_count", "5")));
        d.playFrames(STREAM, vtest(), 500); // 8 frames at 2 fps: two windows
        d.advance(500);

        List<SceneRecord> records = d.scene.readValuesToList();
        assertThat(records).hasSize(2);
        SceneRecord second = records.get(1);
        assertThat(second.getRtstreamId()).isEqualTo(STREAM);
        assertThat(second.getIndexId()).isEqualTo("a1b2c3d4e5f60001");
        assertThat(second.getCollectionId()).isEqualTo(Media.COLLECTION);
        assertThat(second.getStart().toEpochMilli()).isEqualTo(IndexerDriver.T0 + 2_000);
        assertThat(second.getEnd().toEpochMilli()).isEqualTo(IndexerDriver.T0 + 4_000);
        assertThat(second.getFrameCount()).isEqualTo(4);
        assertThat(second.getCounts()).containsKeys("people", "faces");
        assertThat(second.getCounts().get("people")).isBetween(3, 9); // 6–7 people walk in these frames
        assertThat(second.getLabels()).contains("person").doesNotContain("dark", "covered");
        assertThat(second.getMotion()).isGreaterThan(0.005);
        assertThat(second.getBrightness()).isBetween(0.3, 0.7);
        assertThat(second.getEngine()).isEqualTo("opencv");
        assertThat(second.getText()).matches("\\d+ people, .*\\.");
        assertThat(second.getEmitTs()).isAfterOrEqualTo(second.getCaptureTs());
        assertThat(d.metrics.count("vigil_indexer_records_emitted", "type", "scene")).isEqualTo(2);
    }

    @Test
    void motionOnAMovingObjectAndNoneOnAStillPicture() {
        d.index(Media.index("a1b2c3d4e5f60002", STREAM, IndexType.SCENE, Map.of("time", "2", "frame_count", "5")));
        List<byte[]> clip = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            clip.add(Frames.movingSquare(i));
        }
        d.playFrames(STREAM, clip, 500);
        d.playFrames(STREAM, Collections.nCopies(8, Frames.movingSquare(7)), 500);
        d.advance(500);

        List<SceneRecord> records = d.scene.readValuesToList();
        assertThat(records).hasSize(4);
        assertThat(records.get(1).getMotion()).isGreaterThanOrEqualTo(0.02);
        assertThat(records.get(1).getLabels()).contains("motion");
        assertThat(records.get(1).getText()).contains("motion in");
        assertThat(records.get(3).getMotion()).isLessThan(0.02);
        assertThat(records.get(3).getLabels()).doesNotContain("motion");
        assertThat(records.get(3).getText()).contains("no motion");
    }

    @Test
    void countsThePersonInsideTheZoneUnderHisFeet() {
        // person.jpg: one man standing left of centre; his feet are near (0.28, 0.85).
        String zones = "{\"Left Half\": [[0,0],[0.5,0],[0.5,1],[0,1]], \"right\": [[0.5,0],[1,0],[1,1],[0.5,1]]}";
        d.index(Media.index("a1b2c3d4e5f60003", STREAM, IndexType.SCENE, Map.of("time", "1", "frame_count", "2", "zones", zones)));
        d.playFrames(STREAM, List.of(Media.fixture("person.jpg"), Media.fixture("person.jpg")), 500);
        d.advance(500);

        SceneRecord r = d.scene.readValue();
        assertThat(r.getCounts()).containsEntry("people", 1);
        assertThat(r.getZones()).containsOnlyKeys("left_half", "right");
        assertThat(r.getZones().get("left_half")).containsEntry("people", 1);
        assertThat(r.getZones().get("right")).containsEntry("people", 0);
        assertThat(r.getText()).isEqualTo("1 person, no motion; in left_half: 1 person.");
    }

    @Test
    void aFaceCloseUpIsAFaceAndAPerson() {
        d.index(Media.index("a1b2c3d4e5f6000b", STREAM, IndexType.SCENE, Map.of("time", "1", "frame_count", "1")));
        d.playFrames(STREAM, List.of(Media.fixture("astronaut.jpg")), 1_500);

        SceneRecord r = d.scene.readValue();
        assertThat(r.getCounts()).containsEntry("faces", 1).containsEntry("people", 1);
        assertThat(r.getLabels()).contains("face", "person");
        assertThat(r.getText()).isEqualTo("1 person, 1 face, no motion.");
    }

    @Test
    void noPeopleOnEmptyScenes() {
        d.index(Media.index("a1b2c3d4e5f60004", STREAM, IndexType.SCENE, Map.of("time", "1", "frame_count", "2")));
        d.playFrames(STREAM, List.of(Media.fixture("home.jpg"), Media.fixture("building.jpg")), 500);
        d.advance(500);

        SceneRecord r = d.scene.readValue();
        assertThat(r.getCounts()).containsEntry("people", 0);
        assertThat(r.getLabels()).doesNotContain("person");
        assertThat(r.getText()).startsWith("No people");
    }

    @Test
    void blackFramesAreDarkAndCovered() {
        d.index(Media.index("a1b2c3d4e5f60005", STREAM, IndexType.SCENE, Map.of("time", "1", "frame_count", "2")));
        d.playFrames(STREAM, List.of(Frames.uniform(3), Frames.uniform(3)), 500);
        d.advance(500);

        SceneRecord r = d.scene.readValue();
        assertThat(r.getLabels()).contains("dark", "covered");
        assertThat(r.getBrightness()).isLessThan(0.03);
        assertThat(r.getText()).isEqualTo("Camera covered or blacked out.");
    }

    @Test
    void staleFramesAreSkippedAndCounted() {
        d.index(Media.index("a1b2c3d4e5f60006", STREAM, IndexType.SCENE, Map.of("time", "1", "frame_count", "2")));
        d.frames.pipeInput(STREAM, Media.frame(STREAM, 0, d.now() - 60_000, Media.fixture("home.jpg")), d.now());
        d.advance(3_000);

        assertThat(d.scene.isEmpty()).isTrue();
        assertThat(d.metrics.count("vigil_indexer_media_stale", "media", "frame")).isEqualTo(1);
    }

    @Test
    void undecodableImagesAndRecordsAreCountedAndSkipped() {
        d.index(Media.index("a1b2c3d4e5f60007", STREAM, IndexType.SCENE, Map.of("time", "1", "frame_count", "2")));
        d.frames.pipeInput(STREAM, Media.frame(STREAM, 0, d.now(), "not a jpeg".getBytes()), d.now());
        d.rawFrames.pipeInput(STREAM, new byte[] {1, 2, 3}, d.now());
        d.advance(500);
        d.frames.pipeInput(STREAM, Media.frame(STREAM, 1, d.now(), Media.fixture("home.jpg")), d.now());
        d.advance(1_000);

        assertThat(d.metrics.count("vigil_indexer_media_undecodable", "media", "frame")).isEqualTo(1);
        assertThat(d.metrics.count("vigil_indexer_media_undecodable", "media", "vigil.media.frames")).isEqualTo(1);
        SceneRecord r = d.scene.readValue();
        assertThat(r.getFrameCount()).isEqualTo(1); // the good frame still made its window
    }

    @Test
    void framesBeforeTheIndexStartsOrAfterItStopsAreNotIndexed() {
        d.playFrames(STREAM, List.of(Media.fixture("home.jpg")), 1_500); // no index yet: dropped by the join
        IndexSpec spec = Media.index("a1b2c3d4e5f60008", STREAM, IndexType.SCENE, Map.of("time", "1", "frame_count", "1"));
        d.index(spec);
        d.playFrames(STREAM, List.of(Media.fixture("home.jpg")), 1_500);
        d.index(IndexSpec.newBuilder(spec).setState(IndexState.STOPPED).build());
        d.playFrames(STREAM, List.of(Media.fixture("home.jpg")), 1_500);
        d.indexes.pipeInput(spec.getId(), null, d.now()); // deleted
        d.playFrames(STREAM, List.of(Media.fixture("home.jpg")), 1_500);

        assertThat(d.scene.readValuesToList()).hasSize(1);
    }

    @Test
    void twoIndexesOfOneStreamEachGetTheirWindows() {
        d.index(Media.index("a1b2c3d4e5f60009", STREAM, IndexType.SCENE, Map.of("time", "1", "frame_count", "1")));
        d.index(Media.index("a1b2c3d4e5f6000a", STREAM, IndexType.SCENE, Map.of("time", "2", "frame_count", "5")));
        d.playFrames(STREAM, Collections.nCopies(4, Media.fixture("home.jpg")), 500);
        d.advance(500);

        List<SceneRecord> records = d.scene.readValuesToList();
        assertThat(records.stream().filter(r -> r.getIndexId().endsWith("09")).toList()).hasSize(2)
                .allSatisfy(r -> assertThat(r.getFrameCount()).isEqualTo(1));
        assertThat(records.stream().filter(r -> r.getIndexId().endsWith("0a")).toList()).hasSize(1)
                .allSatisfy(r -> assertThat(r.getFrameCount()).isEqualTo(4));
    }
}
