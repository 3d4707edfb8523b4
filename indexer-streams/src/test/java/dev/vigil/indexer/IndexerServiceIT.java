package dev.vigil.indexer;

import static dev.vigil.indexer.Media.STREAM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.common.kafka.TopicBootstrap;
import dev.vigil.common.ops.MeterRegistries;
import dev.vigil.schemas.TopicDef;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.IndexType;
import dev.vigil.schemas.index.AudioRecord;
import dev.vigil.schemas.index.SceneRecord;
import dev.vigil.schemas.index.TranscriptRecord;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.Eventually;
import dev.vigil.testkit.TestKafka;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The indexer service on the real embedded broker: index specs as control-api writes them, frames and
 * audio chunks as the ingest worker writes them (JPEG fixtures, espeak-ng speech in 200 ms chunks),
 * and the three kinds of index records out, keyed by rtstream id.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class IndexerServiceIT {

    @Test
    void turnsIngestOutputIntoSceneTranscriptAndAudioRecords(TestKafka kafka) throws Exception {
        String prefix = kafka.uniquePrefix();
        CommonConfig common = CommonConfig.fromEnv(Map.of("VIGIL_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "VIGIL_TOPIC_PREFIX", prefix, "VIGIL_TOPIC_PARTITIONS", "3", "VIGIL_INSTANCE_ID", "indexer-it"));
        try (Admin admin = Admin.create(new KafkaClients(common).admin("indexer-it"))) {
            new TopicBootstrap(admin, common).ensure(Topics.ALL);
        }
        // A generous max lag: the media below is sent at once, captured up to 6 s before, and the first
        // frames wait for OpenCV to load on a busy machine; freshness is covered by the topology tests.
        IndexerConfig config = IndexerConfig.fromEnv(Map.of("VIGIL_INDEXER_STATE_DIR",
                Files.createTempDirectory("indexer-it").toString(), "VIGIL_INDEXER_MAX_LAG", "60s"));
        PrometheusMeterRegistry registry = MeterRegistries.prometheus("indexer-it");
        try (IndexerService indexer = new IndexerService(common, config, registry)) {
            indexer.start();
            assertThat(indexer.isReady()).isTrue();

            kafka.send(prefix, Topics.INDEXES, "d1b2c3d4e5f60001", Media.index("d1b2c3d4e5f60001", STREAM, IndexType.SCENE,
                    Map.of("time", "2", "frame_count", "5")));
            kafka.send(prefix, Topics.INDEXES, "d1b2c3d4e5f60002", Media.index("d1b2c3d4e5f60002", STREAM, IndexType.TRANSCRIPT, Map.of()));
            kafka.send(prefix, Topics.INDEXES, "d1b2c3d4e5f60003", Media.index("d1b2c3d4e5f60003", STREAM, IndexType.AUDIO,
                    Map.of("segmenter", "time", "segmentation_value", "2")));
            Eventually.await().alias("indexer sees the 3 indexes").ignoreExceptions()
                    .until(() -> indexer.activeIndexes(STREAM).byId().size() == 3);

            // Six seconds of media captured just now (within the max lag), sent as fast as ingest can.
            long t0 = (System.currentTimeMillis() / 2_000) * 2_000 - 6_000;
            for (int i = 0; i < 12; i++) {
                byte[] jpeg = Media.fixture("vtest-" + (i % 8 + 1) + ".jpg");
                kafka.send(prefix, Topics.MEDIA_FRAMES, STREAM, Media.frame(STREAM, i, t0 + i * 500L, jpeg));
            }
            short[] speech = Speech.say("call the police", "en-us");
            short[] audio = java.util.Arrays.copyOf(Speech.concat(new short[16_000], speech), 6 * 16_000);
            long seq = 0;
            long ts = t0;
            for (short[] chunk : Speech.chunks(audio, 200)) {
                kafka.send(prefix, Topics.MEDIA_AUDIO, STREAM, Media.chunk(STREAM, seq++, ts, chunk));
                ts += 200;
            }

            List<ConsumerRecord<String, TranscriptRecord>> transcripts = kafka.consume(prefix, Topics.INDEX_TRANSCRIPT, 1,
                    Duration.ofSeconds(60));
            assertThat(transcripts).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo(STREAM);
                assertThat(r.value().getText()).isEqualTo("call the police");
                assertThat(r.value().getStart().toEpochMilli()).isBetween(t0 + 1_000, t0 + 1_300);
            });
            // Wait for the three windows rather than for three records: at-least-once allows a window twice.
            List<ConsumerRecord<String, SceneRecord>> scenes = untilAllWindows(kafka, prefix, Topics.INDEX_SCENE,
                    r -> r.value().getStart().toEpochMilli(), List.of(t0, t0 + 2_000, t0 + 4_000));
            assertThat(scenes).allSatisfy(r -> assertThat(r.key()).isEqualTo(STREAM));
            assertThat(scenes).anySatisfy(r -> assertThat(r.value().getCounts().get("people")).isPositive());
            List<ConsumerRecord<String, AudioRecord>> sounds = untilAllWindows(kafka, prefix, Topics.INDEX_AUDIO,
                    r -> r.value().getStart().toEpochMilli(), List.of(t0, t0 + 2_000, t0 + 4_000));
            assertThat(sounds).anySatisfy(r -> {
                assertThat(r.value().getLabels()).contains("speech");
                assertThat(r.value().getTranscript()).isEqualTo("call the police");
            });

            String metrics = registry.scrape();
            assertThat(metrics).contains("vigil_indexer_records_emitted_total{", "type=\"scene\"", "type=\"transcript\"",
                    "vigil_indexer_engine_latency_seconds");
        }
    }

    /** Every record of {@code def} once the starts of all {@code windows} are among them (60 s at most). */
    private static <V> List<ConsumerRecord<String, V>> untilAllWindows(TestKafka kafka, String prefix,
            TopicDef<String, V> def, Function<ConsumerRecord<String, V>, Long> start, List<Long> windows) {
        AtomicReference<List<ConsumerRecord<String, V>>> seen = new AtomicReference<>(List.of());
        try {
            Eventually.within(Duration.ofSeconds(60)).until(() -> {
                seen.set(kafka.consume(prefix, def, 1, Duration.ofSeconds(10)));
                return seen.get().stream().map(start).toList().containsAll(windows);
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("expected windows " + windows + " on " + def.name(prefix) + " but saw starts "
                    + seen.get().stream().map(start).toList(), e);
        }
        return seen.get();
    }
}
