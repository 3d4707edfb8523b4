package dev.vigil.api.records;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.common.kafka.TopicBootstrap;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.index.TranscriptRecord;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.Eventually;
import dev.vigil.testkit.TestKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's life on the real broker: restart from committed offsets without duplicates, rebuild of
 * a damaged index from the topics, poison records, and offsets that retention deleted.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class RecordsStoreIT {

    private static final long T0 = 1_710_000_000_000L;
    private static final String RID = "rts-01a21a3d-0000-7000-8000-000000000001";

    @TempDir
    Path dir;
    private TestKafka kafka;
    private String prefix;
    private CommonConfig common;

    @BeforeEach
    void topics(TestKafka kafka) {
        this.kafka = kafka;
        prefix = kafka.uniquePrefix();
        common = CommonConfig.fromEnv(Map.of("VIGIL_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "VIGIL_TOPIC_PREFIX", prefix, "VIGIL_TOPIC_PARTITIONS", "3"));
        new TopicBootstrap(kafka.admin(), common).ensure(List.of(Topics.INDEX_TRANSCRIPT, Topics.INDEX_SCENE, Topics.INDEX_AUDIO));
    }

    private RecordsStore start() throws IOException {
        RecordsStore store = new RecordsStore(new KafkaClients(common).reader("records-store-it"), prefix,
                RecordsConfig.defaults().withDir(dir));
        store.start();
        return store;
    }

    private RecordMetadata send(int i) {
        Instant now = Instant.now();
        return kafka.send(prefix, Topics.INDEX_TRANSCRIPT, RID, TranscriptRecord.newBuilder()
                .setRtstreamId(RID).setCollectionId("alpha").setIndexId("tx")
                .setStart(Instant.ofEpochMilli(T0 + i * 1_000L)).setEnd(Instant.ofEpochMilli(T0 + i * 1_000L + 900))
                .setText("record " + i).setEngine("test").setCaptureTs(now).setEmitTs(now).build());
    }

    private static long listed(RecordsStore store) throws Exception {
        store.refreshNow();
        return store.list(RecordFilter.stream("alpha", RID), 1, 1000).get().total();
    }

    @Test
    void aRestartResumesFromTheCommittedOffsetsWithoutDuplicates() throws Exception {
        for (int i = 0; i < 10; i++) {
            send(i);
        }
        try (RecordsStore store = start()) {
            Eventually.await().until(store::isReady);
            assertThat(store.indexedRecords()).isEqualTo(10);
        } // close commits the offsets
        for (int i = 10; i < 15; i++) {
            send(i);
        }
        try (RecordsStore store = start()) {
            Eventually.await().until(store::isReady);
            // Only the five new records were read again.
            assertThat(store.indexedRecords()).isEqualTo(5);
            assertThat(listed(store)).isEqualTo(15);
        }
    }

    @Test
    void aDamagedIndexIsRebuiltFromTheTopics() throws Exception {
        for (int i = 0; i < 8; i++) {
            send(i);
        }
        try (RecordsStore store = start()) {
            Eventually.await().until(store::isReady);
        }
        try (Stream<Path> files = Files.list(dir.resolve(RecordsIndex.SUBDIR))) {
            for (Path file : files.filter(p -> p.getFileName().toString().startsWith("segments")).toList()) {
                Files.write(file, "not a segments file".getBytes(StandardCharsets.UTF_8));
            }
        }
        try (RecordsStore store = start()) {
            Eventually.await().until(store::isReady);
            assertThat(store.indexedRecords()).isEqualTo(8);
            assertThat(listed(store)).isEqualTo(8);
        }
    }

    @Test
    void undecodableRecordsAreSkipped() throws Exception {
        send(0);
        kafka.sendRaw(Topics.INDEX_TRANSCRIPT.name(prefix), RID.getBytes(StandardCharsets.UTF_8),
                "garbage".getBytes(StandardCharsets.UTF_8));
        send(1);
        try (RecordsStore store = start()) {
            Eventually.await().until(store::isReady);
            assertThat(store.skippedRecords()).isEqualTo(1);
            assertThat(listed(store)).isEqualTo(2);
        }
    }

    @Test
    void anOffsetDeletedByRetentionRestartsFromTheEarliestRecord() throws Exception {
        RecordMetadata first = send(0);
        for (int i = 1; i < 4; i++) {
            send(i);
        }
        try (RecordsStore store = start()) {
            Eventually.await().until(store::isReady);
        } // committed: next offset 4 on the stream's partition
        for (int i = 4; i < 10; i++) {
            send(i);
        }
        // Retention drops offsets below 7 while the store is down: its committed offset 4 is gone.
        TopicPartition tp = new TopicPartition(first.topic(), first.partition());
        kafka.admin().deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(7))).all().get();
        try (RecordsStore store = start()) {
            Eventually.await().until(store::isReady);
            assertThat(store.indexedRecords()).isEqualTo(3);
            assertThat(listed(store)).isEqualTo(4 + 3);
        }
    }
}
