package dev.vigil.common.kafka.reader;

import static dev.vigil.testkit.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.common.lifecycle.ServiceGroup;
import dev.vigil.common.ops.MeterRegistries;
import dev.vigil.common.ops.OpsServer;
import dev.vigil.common.supervision.RestartPolicy;
import dev.vigil.common.supervision.SupervisedLoop;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.TestKafka;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The supervised reader on the real broker: catching up, read-your-writes, restarts, death, close. */
@ExtendWith(EmbeddedKafkaExtension.class)
class TopicReaderIT {

    private static final RestartPolicy FAST = new RestartPolicy(Duration.ofMillis(20), Duration.ofMillis(100), 2,
            Duration.ofMinutes(1));

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(toClose);
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private static String topic(TestKafka kafka, int partitions) {
        String name = kafka.uniquePrefix() + "reader";
        kafka.createTopic(name, partitions);
        return name;
    }

    private static RecordMetadata send(TestKafka kafka, String topic, String key, String value) {
        return kafka.sendRaw(topic, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    private TopicReader<String, String> reader(TestKafka kafka, String name, String topic, StartPosition start,
            RecordHandler<String, String> handler) {
        TopicReader<String, String> reader = TopicReader.builder(name, kafka.consumerConfig("ignored-group"),
                        new StringDeserializer(), new StringDeserializer())
                .topic(topic)
                .startAt(start)
                .restartPolicy(FAST)
                .handler(handler)
                .build();
        toClose.add(reader);
        return reader;
    }

    @Test
    void readsEveryRecordFromTheBeginningAndCatchesUp(TestKafka kafka) throws Exception {
        String topic = topic(kafka, 3);
        for (int i = 0; i < 30; i++) {
            send(kafka, topic, "k" + i, "v" + i);
        }
        Map<String, String> view = new ConcurrentHashMap<>();
        TopicReader<String, String> reader = reader(kafka, "catch-up", topic, StartPosition.beginning(),
                r -> view.put(r.key(), r.value()));

        reader.start();
        reader.awaitCaughtUp(Duration.ofSeconds(30));

        assertThat(view).hasSize(30).containsEntry("k0", "v0").containsEntry("k29", "v29");
        assertThat(reader.isReady()).isTrue();
        assertThat(reader.partitions()).hasSize(3);
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().equals("vigil-catch-up"));
    }

    @Test
    void readToEndAfterAWriteSeesTheWrite(TestKafka kafka) throws Exception {
        String topic = topic(kafka, 2);
        Map<String, String> view = new ConcurrentHashMap<>();
        TopicReader<String, String> reader = reader(kafka, "read-to-end", topic, StartPosition.beginning(),
                r -> view.put(r.key(), r.value()));
        reader.start();
        reader.awaitCaughtUp(Duration.ofSeconds(30));

        for (int i = 0; i < 20; i++) {
            send(kafka, topic, "k" + i, "v" + i);
            reader.readToEnd().get(30, TimeUnit.SECONDS);
            assertThat(view).as("after readToEnd, the write just acknowledged is applied").containsEntry("k" + i, "v" + i);
        }
    }

    @Test
    void awaitPositionsCompletesOnceTheProducedOffsetIsApplied(TestKafka kafka) throws Exception {
        String topic = topic(kafka, 1);
        Map<String, String> view = new ConcurrentHashMap<>();
        TopicReader<String, String> reader = reader(kafka, "await-positions", topic, StartPosition.end(),
                r -> view.put(r.key(), r.value()));
        reader.start();

        RecordMetadata md = send(kafka, topic, "mine", "written");
        reader.awaitPositions(Map.of(new TopicPartition(md.topic(), md.partition()), md.offset() + 1)).get(30, TimeUnit.SECONDS);

        assertThat(view).containsExactly(Map.entry("mine", "written"));
    }

    @Test
    void startsAtTheEndOrAtATime(TestKafka kafka) throws Exception {
        String topic = topic(kafka, 1);
        send(kafka, topic, "old", "before");
        List<String> fromEnd = new CopyOnWriteArrayList<>();
        List<String> sinceNow = new CopyOnWriteArrayList<>();
        TopicReader<String, String> end = reader(kafka, "from-end", topic, StartPosition.end(), r -> fromEnd.add(r.key()));
        TopicReader<String, String> since = reader(kafka, "since", topic,
                StartPosition.since(() -> Instant.now().plusSeconds(3600)), r -> sinceNow.add(r.key()));
        end.start();
        since.start();

        send(kafka, topic, "new", "after");
        end.readToEnd().get(30, TimeUnit.SECONDS);
        since.readToEnd().get(30, TimeUnit.SECONDS);

        assertThat(fromEnd).containsExactly("new");
        assertThat(sinceNow).as("nothing at or after the time: starts at the end").containsExactly("new");
    }

    @Test
    void aCallbackThatThrowsOnceIsRetriedAfterARestartAndAppliedExactlyOnce(TestKafka kafka) throws Exception {
        String topic = topic(kafka, 1);
        for (int i = 0; i < 10; i++) {
            send(kafka, topic, "k" + i, "v" + i);
        }
        List<String> applied = new CopyOnWriteArrayList<>();
        AtomicInteger attemptsOfK5 = new AtomicInteger();
        TopicReader<String, String> reader = reader(kafka, "flaky", topic, StartPosition.beginning(), r -> {
            if (r.key().equals("k5") && attemptsOfK5.incrementAndGet() == 1) {
                throw new IllegalStateException("injected failure while applying k5");
            }
            applied.add(r.key());
        });

        reader.start();
        reader.awaitCaughtUp(Duration.ofSeconds(30));
        send(kafka, topic, "k10", "v10");
        reader.readToEnd().get(30, TimeUnit.SECONDS);

        assertThat(applied).containsExactly("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "k10");
        assertThat(attemptsOfK5).hasValue(2);
        assertThat(reader.failures()).isEqualTo(1);
        assertThat(reader.restarts()).isEqualTo(1);
        assertThat(reader.isAlive()).isTrue();
        assertThat(reader.isReady()).isTrue();
    }

    @Test
    void aReaderThatKeepsFailingBecomesDeadAndHealthyAnswers503(TestKafka kafka) throws Exception {
        String topic = topic(kafka, 1);
        Vertx vertx = Vertx.vertx();
        toClose.add(() -> vertx.close().await(10, TimeUnit.SECONDS));
        PrometheusMeterRegistry registry = MeterRegistries.prometheus("it");
        toClose.add(registry::close);
        AtomicInteger poisonAttempts = new AtomicInteger();
        TopicReader<String, String> reader = TopicReader.builder("doomed", kafka.consumerConfig("ignored"),
                        new StringDeserializer(), new StringDeserializer())
                .topic(topic)
                .restartPolicy(FAST)
                .meterRegistry(registry)
                .handler(r -> {
                    if (r.key().equals("poison")) {
                        poisonAttempts.incrementAndGet();
                        throw new IllegalStateException("cannot apply " + r.key());
                    }
                })
                .build();
        ServiceGroup services = new ServiceGroup("it");
        toClose.add(services);
        services.start(reader);
        OpsServer http = services.start(new OpsServer(vertx, "127.0.0.1", 0, services::readiness, services::liveness,
                registry, router -> { }));
        await().until(reader::isReady);
        assertThat(get(http, "/healthy").statusCode()).isEqualTo(200);

        send(kafka, topic, "poison", "x");

        await().until(() -> !reader.isAlive());
        assertThat(reader.state()).isEqualTo(SupervisedLoop.State.DEAD);
        assertThat(poisonAttempts).as("the first try and one per restart of the budget").hasValue(3);
        HttpResponse<String> healthy = get(http, "/healthy");
        assertThat(healthy.statusCode()).isEqualTo(503);
        assertThat(healthy.body()).contains("\"status\":\"DOWN\"").contains("\"doomed\":false");
        assertThat(get(http, "/ready").statusCode()).isEqualTo(503);
        assertThat(get(http, "/metrics").body())
                .containsPattern("vigil_loop_failures_total\\{.*loop=\"doomed\".*\\} 3\\.0")
                .containsPattern("vigil_loop_restarts_total\\{.*loop=\"doomed\".*\\} 2\\.0")
                .containsPattern("vigil_loop_dead\\{.*loop=\"doomed\".*\\} 1\\.0");
        assertThatThrownBy(() -> reader.readToEnd().get(30, TimeUnit.SECONDS)).hasMessageContaining("doomed is dead");
    }

    @Test
    void closeRunsTheCloseHookAndJoinsTheThread(TestKafka kafka) throws Exception {
        String topic = topic(kafka, 2);
        send(kafka, topic, "a", "1");
        List<Map<TopicPartition, Long>> closedAt = new CopyOnWriteArrayList<>();
        TopicReader<String, String> reader = reader(kafka, "closing", topic, StartPosition.beginning(),
                new RecordHandler<>() {
                    @Override
                    public void apply(ConsumerRecord<String, String> record) {
                    }

                    @Override
                    public void beforeClose(Map<TopicPartition, Long> positions) {
                        closedAt.add(positions);
                    }
                });
        reader.start();
        reader.awaitCaughtUp(Duration.ofSeconds(30));

        reader.close();

        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("vigil-closing"));
        assertThat(closedAt).hasSize(1);
        assertThat(closedAt.get(0).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1);
        assertThat(reader.state()).isEqualTo(SupervisedLoop.State.STOPPED);
        assertThatThrownBy(() -> reader.readToEnd().get(30, TimeUnit.SECONDS)).hasMessageContaining("closing is closed");
    }

    @Test
    void aMissingTopicFailsTheStart(TestKafka kafka) {
        TopicReader<String, String> reader = reader(kafka, "missing", kafka.uniquePrefix() + "absent",
                StartPosition.beginning(), r -> { });

        assertThatThrownBy(reader::start).hasMessageContaining("does not exist");
    }

    private static HttpResponse<String> get(OpsServer http, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
