package dev.vigil.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String HOST = "127.0.0.1";

    @TempDir
    Path tempDir;

    @Test
    void startsAndServesProduceAndConsume() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.forTests().start()) {
            assertThat(kafka.isRunning()).isTrue();
            createTopic(kafka, "greetings");

            produce(kafka, "greetings", Map.of("k1", "hello", "k2", "world"));

            assertThat(consume(kafka, "greetings", 2)).containsExactlyInAnyOrder("k1=hello", "k2=world");
        }
    }

    @Test
    void restartOnTheSameDataDirKeepsRecordsAndClusterId() throws Exception {
        Path dataDir = tempDir.resolve("kafka");
        int port = FreePorts.pick(HOST);
        int controllerPort = FreePorts.pick(HOST);
        String clusterId;

        try (EmbeddedKafka first = persistentBroker(port, controllerPort, dataDir).start()) {
            createTopic(first, "events");
            produce(first, "events", Map.of("a", "1", "b", "2", "c", "3"));
            clusterId = clusterId(first);
        }
        assertThat(dataDir.resolve("meta.properties")).as("a persistent data dir survives close").exists();

        try (EmbeddedKafka second = persistentBroker(port, controllerPort, dataDir).start()) {
            assertThat(clusterId(second)).isEqualTo(clusterId);
            assertThat(consume(second, "events", 3)).containsExactlyInAnyOrder("a=1", "b=2", "c=3");
        }
    }

    @Test
    void takenBrokerPortFailsNamingThePortAndLeavesNoBrokerThreads() throws Exception {
        Set<Thread> before = liveNonDaemonThreads();
        try (ServerSocket taken = bind(FreePorts.pick(HOST))) {
            int port = taken.getLocalPort();
            EmbeddedKafka kafka = persistentBroker(port, FreePorts.pick(HOST), tempDir.resolve("kafka"));

            assertThatThrownBy(kafka::start)
                    .isInstanceOf(EmbeddedKafkaException.class)
                    .hasMessageContaining(HOST + ":" + port)
                    .hasMessageContaining("already in use");
            assertThat(kafka.isRunning()).isFalse();
        }
        assertNoNewNonDaemonThreads(before);
    }

    @Test
    void takenControllerPortFailsNamingThePortAndLeavesNoBrokerThreads() throws Exception {
        Set<Thread> before = liveNonDaemonThreads();
        try (ServerSocket taken = bind(FreePorts.pick(HOST))) {
            int controllerPort = taken.getLocalPort();
            EmbeddedKafka kafka = persistentBroker(FreePorts.pick(HOST), controllerPort, tempDir.resolve("kafka"));

            assertThatThrownBy(kafka::start)
                    .isInstanceOf(EmbeddedKafkaException.class)
                    .hasMessageContaining("controller port " + HOST + ":" + controllerPort);
            assertThat(kafka.isRunning()).isFalse();
        }
        assertNoNewNonDaemonThreads(before);
    }

    @Test
    void startupFailingHalfwayStopsWhatStartedAndReleasesTheDataDir() throws Exception {
        Path dataDir = tempDir.resolve("kafka");
        int controllerPort = FreePorts.pick(HOST);
        Set<Thread> before = liveNonDaemonThreads();
        try (ServerSocket taken = bind(FreePorts.pick(HOST))) {
            // The override slips past the up-front port check: the controller starts, then the broker cannot bind.
            EmbeddedKafka kafka = EmbeddedKafka.builder().host(HOST).port(FreePorts.pick(HOST))
                    .controllerPort(controllerPort).dataDir(dataDir)
                    .override("listeners", "PLAINTEXT://" + HOST + ":" + taken.getLocalPort()
                            + ",CONTROLLER://" + HOST + ":" + controllerPort)
                    .build();

            assertThatThrownBy(kafka::start)
                    .isInstanceOf(EmbeddedKafkaException.class)
                    .hasMessageContaining("failed to start");
            assertThat(kafka.isRunning()).isFalse();
        }
        assertNoNewNonDaemonThreads(before);

        try (EmbeddedKafka again = persistentBroker(FreePorts.pick(HOST), controllerPort, dataDir).start()) {
            assertThat(again.isRunning()).isTrue();
        }
    }

    @Test
    void failedStartOfTestBrokerDeletesItsTempDir() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.forTests();
        int port = Integer.parseInt(kafka.bootstrapServers().substring(kafka.bootstrapServers().lastIndexOf(':') + 1));
        try (ServerSocket taken = bind(port)) {
            // The usual try-with-resources never sees a broker whose start() threw, so nobody could close it.
            assertThatThrownBy(kafka::start)
                    .isInstanceOf(EmbeddedKafkaException.class)
                    .hasMessageContaining(HOST + ":" + taken.getLocalPort());
        }
        assertThat(kafka.dataDir()).doesNotExist();
    }

    @Test
    void secondBrokerOnADataDirInUseFailsWithoutTouchingIt() throws Exception {
        Path dataDir = tempDir.resolve("kafka");
        int port = FreePorts.pick(HOST);
        int controllerPort = FreePorts.pick(HOST);
        try (EmbeddedKafka first = persistentBroker(port, controllerPort, dataDir).start()) {
            createTopic(first, "before");
            produce(first, "before", Map.of("k", "v1"));
            Set<Thread> before = liveNonDaemonThreads();
            EmbeddedKafka second = persistentBroker(FreePorts.pick(HOST), FreePorts.pick(HOST), dataDir);

            assertThatThrownBy(second::start)
                    .isInstanceOf(EmbeddedKafkaException.class)
                    .hasMessageContaining(dataDir.toString())
                    .hasMessageContaining("in use");
            assertThat(second.isRunning()).isFalse();
            assertNoNewNonDaemonThreads(before);

            createTopic(first, "after");
            produce(first, "after", Map.of("k", "v2"));
        }
        // The failed attempt must not have written to the metadata log: the directory still restarts whole.
        try (EmbeddedKafka restarted = persistentBroker(port, controllerPort, dataDir).start()) {
            assertThat(consume(restarted, "before", 1)).containsExactly("k=v1");
            assertThat(consume(restarted, "after", 1)).containsExactly("k=v2");
        }
    }

    @Test
    void closeIsIdempotentAndDeletesTheTempDirOfATestBroker() {
        EmbeddedKafka kafka = EmbeddedKafka.forTests().start();
        Path dataDir = kafka.dataDir();
        assertThat(dataDir.resolve("meta.properties")).exists();

        kafka.close();
        kafka.close();

        assertThat(kafka.isRunning()).isFalse();
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void closeStopsEveryNonDaemonThreadSoTheJvmCanExit() throws Exception {
        Set<Thread> before = liveNonDaemonThreads();
        try (EmbeddedKafka kafka = EmbeddedKafka.forTests().start()) {
            assertThat(kafka.isRunning()).isTrue();
            assertThat(liveNonDaemonThreads()).as("a running broker has non-daemon threads").isNotEqualTo(before);
        }
        assertNoNewNonDaemonThreads(before);
    }

    private static EmbeddedKafka persistentBroker(int port, int controllerPort, Path dataDir) {
        return EmbeddedKafka.builder().host(HOST).port(port).controllerPort(controllerPort).dataDir(dataDir).build();
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
        return socket;
    }

    private static Set<Thread> liveNonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isDaemon())
                .collect(Collectors.toSet());
    }

    /** Threads still finishing their shutdown get until the timeout; any left after it keep the JVM alive. */
    private static void assertNoNewNonDaemonThreads(Set<Thread> before) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (Thread thread : liveNonDaemonThreads()) {
            if (!before.contains(thread)) {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        }
        List<String> left = liveNonDaemonThreads().stream()
                .filter(t -> !before.contains(t))
                .map(Thread::getName)
                .toList();
        assertThat(left).as("non-daemon threads left behind").isEmpty();
    }

    private static Admin admin(EmbeddedKafka kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private static void createTopic(EmbeddedKafka kafka, String topic) throws Exception {
        try (Admin admin = admin(kafka)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static String clusterId(EmbeddedKafka kafka) throws Exception {
        try (Admin admin = admin(kafka)) {
            return admin.describeCluster().clusterId().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static void produce(EmbeddedKafka kafka, String topic, Map<String, String> records) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (Map.Entry<String, String> record : records.entrySet()) {
                producer.send(new ProducerRecord<>(topic, record.getKey(), record.getValue()))
                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Reads partition 0 of {@code topic} from the start until {@code count} records arrived, as "key=value". */
    private static List<String> consume(EmbeddedKafka kafka, String topic, int count) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (received.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    received.add(record.key() + "=" + record.value());
                }
            }
        }
        return received;
    }
}
