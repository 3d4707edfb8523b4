package dev.vigil.indexer.models;

import static dev.vigil.indexer.Media.STREAM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.models.ModelConfig;
import dev.vigil.indexer.IndexerDriver;
import dev.vigil.indexer.Media;
import dev.vigil.indexer.Speech;
import dev.vigil.indexer.audio.Signals;
import dev.vigil.indexer.scene.FrameAnalyzer;
import dev.vigil.indexer.speech.SphinxGrammarEngine;
import dev.vigil.schemas.control.IndexSpec;
import dev.vigil.schemas.control.IndexType;
import dev.vigil.schemas.index.AudioRecord;
import dev.vigil.schemas.index.SceneRecord;
import dev.vigil.schemas.index.TranscriptRecord;
import dev.vigil.schemas.index.TranscriptWord;
import dev.vigil.testkit.models.FakeModelServer;
import dev.vigil.testkit.models.RecordedRequest;
import dev.vigil.testkit.models.Reply;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Indexes on models, in a TopologyTestDriver against {@link FakeModelServer} (a real HTTP server speaking
 * the OpenAI wire format): the index prompt reaches the model, the answer becomes the record with the
 * offline measurements kept, and a model that gives no answer leaves the offline record.
 */
class ModelIndexingTest {

    private static final String SENTENCE = "the delivery truck is parked next to the loading dock";
    private static FakeModelServer fake;
    private IndexerDriver d;
    private IndexModels models;

    @BeforeAll
    static void startFake() {
        fake = FakeModelServer.start();
    }

    @AfterAll
    static void stopFake() {
        fake.close();
    }

    @BeforeEach
    void resetFake() {
        fake.reset();
        driverWith(Map.of());
    }

    /** A driver whose models read the base settings below plus {@code extra}. */
    private void driverWith(Map<String, String> extra) {
        if (d != null) {
            d.close();
            models.close();
        }
        Map<String, String> env = new HashMap<>();
        env.put("VIGIL_MODEL_BASE_URL", fake.baseUrl());
        env.put("VIGIL_MODEL_VISION", "llava");
        env.put("VIGIL_MODEL_TEXT", "qwen");
        env.put("VIGIL_MODEL_TRANSCRIBE", "whisper-1");
        env.put("VIGIL_MODEL_TIERS", "pro=big-vl");
        env.put("VIGIL_MODEL_TIMEOUT", "5s");
        env.putAll(extra);
        models = IndexModels.of(ModelConfig.from(ConfigValues.read(env, ModelConfig.SETTINGS)), new SimpleMeterRegistry());
        d = new IndexerDriver(new FrameAnalyzer(Duration.ZERO), models, Map.of(SphinxGrammarEngine.NAME, IndexerDriver.SPHINX));
    }

    @AfterEach
    void close() {
        d.close();
        models.close();
        d = null;
    }

    @Test
    void aSceneIndexWithAVisionModelGetsItsDescriptionWithOpenCvCountsKept() {
        fake.always("llava", Reply.content("A man in a blue jacket stands in front of a wall."));
        byte[] person = Media.fixture("person.jpg");
        d.index(IndexSpec.newBuilder(Media.index("e1b2c3d4e5f60001", STREAM, IndexType.SCENE,
                Map.of("time", "1", "frame_count", "2"))).setPrompt("Describe people and what they wear").build());
        d.playFrames(STREAM, List.of(person, person), 500);
        d.advance(500);

        SceneRecord r = d.scene.readValue();
        assertThat(r.getEngine()).isEqualTo("llava");
        assertThat(r.getText()).isEqualTo("A man in a blue jacket stands in front of a wall.");
        assertThat(r.getCounts()).containsEntry("people", 1);
        assertThat(r.getLabels()).contains("person");
        assertThat(d.scene.isEmpty()).isTrue();
        RecordedRequest sent = fake.requests("/v1/chat/completions").get(0);
        assertThat(sent.model()).isEqualTo("llava");
        assertThat(sent.texts()).contains("Describe people and what they wear");
        assertThat(sent.imageUrls()).hasSize(2).allSatisfy(url -> assertThat(
                Base64.getDecoder().decode(url.substring("data:image/jpeg;base64,".length()))).isEqualTo(person));
    }

    @Test
    void anIndexModelNameTierPicksItsModel() {
        fake.always("big-vl", Reply.content("An empty room."));
        d.index(IndexSpec.newBuilder(Media.index("e1b2c3d4e5f60002", STREAM, IndexType.SCENE,
                Map.of("time", "1", "frame_count", "1"))).setModelName("pro").build());
        d.playFrames(STREAM, List.of(Media.fixture("home.jpg")), 1_500);

        assertThat(d.scene.readValue().getEngine()).isEqualTo("big-vl");
        assertThat(fake.requests("/v1/chat/completions")).extracting(RecordedRequest::model).containsExactly("big-vl");
    }

    @Test
    void aFailingVisionModelLeavesTheOpenCvRecordCounted() {
        fake.always("llava", Reply.error(500));
        d.index(Media.index("e1b2c3d4e5f60003", STREAM, IndexType.SCENE, Map.of("time", "1", "frame_count", "1")));
        d.playFrames(STREAM, List.of(Media.fixture("home.jpg")), 1_500);

        SceneRecord r = d.scene.readValue();
        assertThat(r.getEngine()).isEqualTo("opencv");
        assertThat(r.getText()).startsWith("No people");
        assertThat(d.metrics.count("vigil_indexer_model_fallbacks", "reason", "server_error")).isEqualTo(1);
    }

    @Test
    void aSceneIndexNamingOpenCvCallsNoModel() {
        fake.always("llava", Reply.content("never asked"));
        d.index(IndexSpec.newBuilder(Media.index("e1b2c3d4e5f60004", STREAM, IndexType.SCENE,
                Map.of("time", "1", "frame_count", "1"))).setEngine("opencv").build());
        d.playFrames(STREAM, List.of(Media.fixture("home.jpg")), 1_500);

        assertThat(d.scene.readValue().getEngine()).isEqualTo("opencv");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void aTranscriptionModelPutsAFreeFormSentenceWithWordTimesOnTheTranscriptTopic() {
        fake.always("whisper-1", Reply.transcript(SENTENCE));
        d.index(IndexSpec.newBuilder(Media.index("c1b2c3d4e5f60001", STREAM, IndexType.TRANSCRIPT,
                Map.of("vocabulary", "loading dock"))).build());
        d.playAudio(STREAM, Speech.concat(Signals.silence(1_000), Speech.say(SENTENCE, "en-us"), Signals.silence(1_000)), 200);
        d.advance(100);

        List<TranscriptRecord> records = d.transcripts.readValuesToList();
        assertThat(records).hasSize(1);
        TranscriptRecord r = records.get(0);
        assertThat(r.getText()).isEqualTo(SENTENCE);
        assertThat(r.getEngine()).isEqualTo("whisper-1");
        assertThat(r.getWords()).extracting(TranscriptWord::getWord).containsExactly(SENTENCE.split(" "));
        long start = r.getStart().toEpochMilli();
        assertThat(r.getWords().get(0).getStart().toEpochMilli()).isEqualTo(start);
        assertThat(r.getWords().get(1).getStart().toEpochMilli()).isEqualTo(start + 300);
        RecordedRequest sent = fake.requests("/v1/audio/transcriptions").get(0);
        assertThat(sent.formValue("prompt")).isEqualTo("loading dock");
        assertThat(new String(sent.file(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("RIFF");
    }

    @Test
    void aFailingTranscriptionModelFallsBackToTheOfflineEngine() {
        fake.always("whisper-1", Reply.error(503));
        d.index(Media.index("c1b2c3d4e5f60002", STREAM, IndexType.TRANSCRIPT, Map.of()));
        d.playAudio(STREAM, Speech.concat(Signals.silence(500), Speech.say("call the police", "en-us"), Signals.silence(1_000)), 200);
        d.advance(100);

        List<TranscriptRecord> records = d.transcripts.readValuesToList();
        assertThat(records).extracting(TranscriptRecord::getText).containsExactly("call the police");
        assertThat(records.get(0).getEngine()).isEqualTo("sphinx4-grammar");
        assertThat(records.get(0).getWords()).isNull();
        assertThat(d.metrics.count("vigil_indexer_model_fallbacks", "type", "transcript")).isEqualTo(1);
    }

    @Test
    void anAudioIndexWithATextModelIsSummarisedPerItsPromptWithLabelsKept() {
        fake.always("qwen", Reply.content("A loud tone like an alarm sounds."));
        d.index(IndexSpec.newBuilder(Media.index("b1b2c3d4e5f60001", STREAM, IndexType.AUDIO,
                Map.of("segmenter", "time", "segmentation_value", "2"))).setPrompt("Is an alarm going off?").build());
        d.playAudio(STREAM, Speech.concat(Signals.noise(2_000, -70, 1), Signals.tone(1_000, 2_000, -12)), 200);
        d.advance(2_500);

        List<AudioRecord> r = d.sounds.readValuesToList();
        assertThat(r).hasSize(2);
        // the silent window has nothing to summarise: no call, the DSP record
        assertThat(r.get(0).getEngine()).isEqualTo("dsp");
        assertThat(r.get(0).getText()).isEqualTo("Silence.");
        assertThat(r.get(1).getEngine()).isEqualTo("qwen");
        assertThat(r.get(1).getText()).isEqualTo("A loud tone like an alarm sounds.");
        assertThat(r.get(1).getLabels()).contains("tonal", "alarm");
        List<RecordedRequest> sent = fake.requests("/v1/chat/completions");
        assertThat(sent).hasSize(1);
        assertThat(String.join("\n", sent.get(0).texts())).contains("Is an alarm going off?").contains("alarm");
    }

    @Test
    void aCollectionPastItsBudgetGetsOfflineRecordsCounted() {
        driverWith(Map.of("VIGIL_MODEL_CALLS_PER_MINUTE", "1"));
        fake.always("llava", Reply.content("A quiet room."));
        d.index(Media.index("e1b2c3d4e5f60005", STREAM, IndexType.SCENE, Map.of("time", "1", "frame_count", "1")));
        d.playFrames(STREAM, List.of(Media.fixture("home.jpg"), Media.fixture("home.jpg")), 1_000);
        d.advance(1_000);

        assertThat(d.scene.readValuesToList()).extracting(SceneRecord::getEngine).containsExactly("llava", "opencv");
        assertThat(fake.requests("/v1/chat/completions")).hasSize(1);
        assertThat(d.metrics.count("vigil_indexer_model_fallbacks", "reason", "budget_exhausted")).isEqualTo(1);
    }

    @Test
    void aFailingTextModelLeavesTheDspRecord() {
        fake.always("qwen", Reply.slow(Duration.ofSeconds(10), Reply.content("too late")));
        driverWith(Map.of("VIGIL_MODEL_TIMEOUT", "200ms"));
        d.index(IndexSpec.newBuilder(Media.index("b1b2c3d4e5f60002", STREAM, IndexType.AUDIO,
                Map.of("segmenter", "time", "segmentation_value", "2"))).setPrompt("Is an alarm going off?").build());
        d.playAudio(STREAM, Signals.tone(1_000, 2_000, -12), 200);
        d.advance(2_500);

        List<AudioRecord> r = d.sounds.readValuesToList();
        assertThat(r).hasSize(1);
        assertThat(r.get(0).getEngine()).isEqualTo("dsp");
        assertThat(r.get(0).getText()).startsWith("Alarm-like tone");
        assertThat(d.metrics.count("vigil_indexer_model_fallbacks", "reason", "timeout")).isEqualTo(1);
    }
}
