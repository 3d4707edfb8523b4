package dev.vigil.indexer.models;

import static dev.vigil.indexer.Media.STREAM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.common.kafka.TopicBootstrap;
import dev.vigil.common.ops.MeterRegistries;
import dev.vigil.indexer.IndexerConfig;
import dev.vigil.indexer.IndexerService;
import dev.vigil.indexer.Media;
import dev.vigil.indexer.Speech;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.IndexSpec;
import dev.vigil.schemas.control.IndexType;
import dev.vigil.schemas.index.SceneRecord;
import dev.vigil.schemas.index.TranscriptRecord;
import dev.vigil.schemas.index.TranscriptWord;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.Eventually;
import dev.vigil.testkit.TestKafka;
import dev.vigil.testkit.models.FakeModelServer;
import dev.vigil.testkit.models.RecordedRequest;
import dev.vigil.testkit.models.Reply;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The indexer service with a model server configured (VIGIL_MODEL_*), on the real embedded broker and
 * {@link FakeModelServer}: model calls run on the service's own model and speech lanes, and their answers
 * reach the scene and transcript topics.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class IndexerModelsIT {

    private static final String SENTENCE = "the delivery truck is parked next to the loading dock";

    @Test
    void sceneDescriptionsAndFreeFormTranscriptsComeFromTheModels(TestKafka kafka) throws Exception {
        String prefix = kafka.uniquePrefix();
        CommonConfig common = CommonConfig.fromEnv(Map.of("VIGIL_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "VIGIL_TOPIC_PREFIX", prefix, "VIGIL_TOPIC_PARTITIONS", "3", "VIGIL_INSTANCE_ID", "indexer-models-it"));
        try (Admin admin = Admin.create(new KafkaClients(common).admin("indexer-models-it"));
                FakeModelServer fake = FakeModelServer.start()) {
            new TopicBootstrap(admin, common).ensure(Topics.ALL);
            fake.requireKey("sk-it").always("llava", Reply.content("Several pedestrians walk across a square."))
                    .always("whisper-1", Reply.transcript(SENTENCE));
            IndexerConfig config = IndexerConfig.fromEnv(Map.of(
                    "VIGIL_INDEXER_STATE_DIR", Files.createTempDirectory("indexer-models-it").toString(),
                    "VIGIL_INDEXER_MAX_LAG", "60s",
                    "VIGIL_MODEL_BASE_URL", fake.baseUrl(),
                    "VIGIL_MODEL_API_KEY", "sk-it",
                    "VIGIL_MODEL_VISION", "llava",
                    "VIGIL_MODEL_TRANSCRIBE", "whisper-1"));
            PrometheusMeterRegistry registry = MeterRegistries.prometheus("indexer-models-it");
            try (IndexerService indexer = new IndexerService(common, config, registry)) {
                indexer.start();
                kafka.send(prefix, Topics.INDEXES, "f1b2c3d4e5f60001", IndexSpec.newBuilder(Media.index("f1b2c3d4e5f60001",
                        STREAM, IndexType.SCENE, Map.of("time", "2", "frame_count", "3"))).setPrompt("Count the pedestrians").build());
                kafka.send(prefix, Topics.INDEXES, "f1b2c3d4e5f60002", Media.index("f1b2c3d4e5f60002", STREAM,
                        IndexType.TRANSCRIPT, Map.of()));
                Eventually.await().alias("indexer sees the 2 indexes").ignoreExceptions()
                        .until(() -> indexer.activeIndexes(STREAM).byId().size() == 2);

                long t0 = (System.currentTimeMillis() / 2_000) * 2_000 - 4_000;
                for (int i = 0; i < 8; i++) {
                    kafka.send(prefix, Topics.MEDIA_FRAMES, STREAM,
                            Media.frame(STREAM, i, t0 + i * 500L, Media.fixture("vtest-" + (i + 1) + ".jpg")));
                }
                short[] audio = java.util.Arrays.copyOf(Speech.concat(new short[16_000], Speech.say(SENTENCE, "en-us")),
                        8 * 16_000);
                long seq = 0;
                long ts = t0;
                for (short[] chunk : Speech.chunks(audio, 200)) {
                    kafka.send(prefix, Topics.MEDIA_AUDIO, STREAM, Media.chunk(STREAM, seq++, ts, chunk));
                    ts += 200;
                }

                List<ConsumerRecord<String, TranscriptRecord>> transcripts = kafka.consume(prefix, Topics.INDEX_TRANSCRIPT, 1,
                        Duration.ofSeconds(60));
                assertThat(transcripts).singleElement().satisfies(r -> {
                    assertThat(r.value().getText()).isEqualTo(SENTENCE);
                    assertThat(r.value().getEngine()).isEqualTo("whisper-1");
                    assertThat(r.value().getWords()).extracting(TranscriptWord::getWord).containsExactly(SENTENCE.split(" "));
                });
                // One window is enough here (a loaded machine may drop the other's frames from a full lane); the
                // OpenCV measurements riding along are pinned by ModelIndexingTest.
                List<ConsumerRecord<String, SceneRecord>> scenes = kafka.consume(prefix, Topics.INDEX_SCENE, 1,
                        Duration.ofSeconds(60));
                assertThat(scenes).allSatisfy(r -> {
                    assertThat(r.value().getEngine()).isEqualTo("llava");
                    assertThat(r.value().getText()).isEqualTo("Several pedestrians walk across a square.");
                    assertThat(r.value().getCounts()).containsKey("people");
                    assertThat(r.value().getFrameCount()).isPositive();
                });
                assertThat(fake.requests("/v1/chat/completions")).allSatisfy(req -> {
                    assertThat(req.texts()).contains("Count the pedestrians");
                    assertThat(req.imageUrls()).isNotEmpty();
                });
                assertThat(fake.requests()).extracting(RecordedRequest::authorization).containsOnly("Bearer sk-it");
                assertThat(registry.scrape()).contains("vigil_model_calls_total{", "task=\"vision\"", "task=\"transcribe\"")
                        .doesNotContain("sk-it");
            }
        }
    }
}
