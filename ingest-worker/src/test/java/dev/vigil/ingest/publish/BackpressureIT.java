package dev.vigil.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.common.kafka.TopicBootstrap;
import dev.vigil.ingest.IngestWorkerService;
import dev.vigil.ingest.testing.StallingProxy;
import dev.vigil.kafka.embedded.EmbeddedKafka;
import dev.vigil.schemas.media.AudioChunk;
import dev.vigil.schemas.media.MediaFrame;
import dev.vigil.testkit.Eventually;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Kafka falling behind under running streams, with a broker of its own reached through a relay that
 * can stall: frames are dropped and counted instead of blocking the grabber or growing memory; audio
 * waits briefly, then is dropped and counted too, and while Kafka stays stuck later chunks do not wait
 * again. Then the broker goes away altogether: sends fail at once, counted, still without waiting.
 */
class BackpressureIT {

    private static final int BUFFER = 1024 * 1024;

    @Test
    void dropsAndCountsMediaWhenKafkaStallsOrDisappearsInsteadOfBlocking() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        StallingProxy proxy = new StallingProxy("127.0.0.1");
        proxy.target(port);
        EmbeddedKafka broker = EmbeddedKafka.builder().port(port).controllerPort(0)
                .dataDir(java.nio.file.Files.createTempDirectory("vigil-kafka-stall-"), true)
                // Clients learn the relay's address from the metadata, so every connection goes through it.
                .override("advertised.listeners", "PLAINTEXT://127.0.0.1:" + proxy.port())
                .build().start();
        MediaPublisher publisher = null;
        try {
            CommonConfig common = CommonConfig.fromEnv(Map.of("VIGIL_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + proxy.port(),
                    "VIGIL_TOPIC_PARTITIONS", "1", "VIGIL_INSTANCE_ID", "backpressure"));
            KafkaClients clients = new KafkaClients(common);
            try (Admin admin = Admin.create(clients.admin("test"))) {
                new TopicBootstrap(admin, common).ensure(IngestWorkerService.topics());
            }
            publisher = new MediaPublisher(
                    new KafkaProducer<>(ProducerSettings.forMedia(clients, BUFFER), new ByteArraySerializer(), new ByteArraySerializer()),
                    new KafkaProducer<>(ProducerSettings.forStatus(clients), new ByteArraySerializer(), new ByteArraySerializer()),
                    common.topicPrefix(), BUFFER, Duration.ofMillis(300));
            publisher.awaitMetadata(Duration.ofSeconds(30));
            StreamMetrics metrics = new StreamMetrics(new SimpleMeterRegistry(), "rts-test");
            assertThat(publisher.sendFrame(frame(0), System.nanoTime(), metrics)).isTrue();
            Eventually.await().until(() -> metrics.framesProduced() == 1);

            proxy.stall();
            long begin = System.nanoTime();
            int accepted = 0;
            for (int i = 1; i <= 30; i++) {
                if (publisher.sendFrame(frame(i), System.nanoTime(), metrics)) {
                    accepted++;
                }
            }
            // Frames may hold half of the 1 MiB buffer: at most five 100 KB frames wait for Kafka,
            // every other one is dropped and counted.
            assertThat(accepted).isBetween(4, 5);
            assertThat(metrics.framesDropped()).isEqualTo(30 - accepted);
            assertThat(Duration.ofNanos(System.nanoTime() - begin)).as("frame sends never wait for Kafka")
                    .isLessThan(Duration.ofSeconds(2));
            // (give or take one batch: the producer takes memory in batches, not in records)
            assertThat(publisher.bytesInUse()).isLessThanOrEqualTo(BUFFER / 2 + 64 * 1024);

            int chunksAccepted = 0;
            for (int i = 0; i < 30; i++) {
                if (publisher.sendAudio(chunk(i), System.nanoTime(), metrics)) {
                    chunksAccepted++;
                }
            }
            // Audio may fill the buffer down to its last tenth: some 400 KB more, about 24 chunks of
            // 16 KB in 64 KB batches; the first one over waited 300 ms for room, the next ones were
            // dropped at once.
            assertThat(chunksAccepted).isBetween(18, 26);
            assertThat(metrics.chunksDropped()).isEqualTo(30 - chunksAccepted);
            long dropBegin = System.nanoTime();
            assertThat(publisher.sendAudio(chunk(99), System.nanoTime(), metrics)).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - dropBegin)).isLessThan(Duration.ofMillis(250));
            assertThat(publisher.bytesInUse()).isLessThanOrEqualTo(BUFFER * 9 / 10 + 64 * 1024);
            assertThat(metrics.framesProduced()).isEqualTo(1);

            // The broker goes away for good: its metadata with it. Nothing waits, everything is counted.
            proxy.close();
            broker.close();
            double droppedBefore = metrics.framesDropped();
            long goneBegin = System.nanoTime();
            for (int i = 31; i <= 40; i++) {
                publisher.sendFrame(frame(i), System.nanoTime(), metrics);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - goneBegin)).isLessThan(Duration.ofSeconds(2));
            assertThat(metrics.framesDropped()).isGreaterThanOrEqualTo(droppedBefore + 10);
        } finally {
            if (publisher != null) {
                publisher.close(Duration.ZERO);
            }
            broker.close();
            proxy.close();
        }
    }

    private static MediaFrame frame(long seq) {
        return MediaFrame.newBuilder().setRtstreamId("rts-test").setCollectionId("default").setSeq(seq)
                .setCaptureTs(Instant.now()).setPtsMs(seq * 1000).setWidth(640).setHeight(360)
                .setData(ByteBuffer.wrap(new byte[100_000])).build();
    }

    private static AudioChunk chunk(long seq) {
        return AudioChunk.newBuilder().setRtstreamId("rts-test").setCollectionId("default").setSeq(seq)
                .setStartTs(Instant.ofEpochMilli(seq * 500)).setDurationMs(500)
                .setData(ByteBuffer.wrap(new byte[16_000])).build();
    }
}
