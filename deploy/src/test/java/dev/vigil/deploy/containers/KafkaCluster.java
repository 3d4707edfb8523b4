package dev.vigil.deploy.containers;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.Slf4jLogConsumer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;

/**
 * A KRaft cluster of {@code nodes} containers of the Kafka image, each broker and controller at once
 * (static quorum of all nodes), with production-like durability: replication factor {@code nodes} for
 * every topic and internal topic, {@code min.insync.replicas} one less.
 *
 * <p>Two client listeners per node: {@code kafka-<n>:9092} on the containers' network (the services),
 * and {@code localhost:<port>} published on this machine (the test's own clients). The published port is
 * chosen before the node starts, because the node must advertise it.
 */
public final class KafkaCluster implements AutoCloseable {

    private static final String CLUSTER_ID = "dmlnaWwtdGVzdC1jbHVzdGVy"; // any 16 bytes, base64url
    private static final int INTERNAL_PORT = 9092;
    private static final int CONTROLLER_PORT = 9093;
    private static final int EXTERNAL_PORT = 9094;

    private final List<GenericContainer<?>> nodes = new ArrayList<>();
    private final List<Integer> hostPorts = new ArrayList<>();

    public KafkaCluster(Network network, int size) {
        String voters = IntStream.rangeClosed(1, size)
                .mapToObj(n -> n + "@" + alias(n) + ":" + CONTROLLER_PORT).collect(Collectors.joining(","));
        for (int n = 1; n <= size; n++) {
            int hostPort = freePort();
            hostPorts.add(hostPort);
            GenericContainer<?> node = new GenericContainer<>(Images.kafka())
                    .withNetwork(network)
                    .withNetworkAliases(alias(n))
                    .withEnv("CLUSTER_ID", CLUSTER_ID)
                    .withEnv("KAFKA_NODE_ID", Integer.toString(n))
                    .withEnv("KAFKA_PROCESS_ROLES", "broker,controller")
                    .withEnv("KAFKA_CONTROLLER_QUORUM_VOTERS", voters)
                    .withEnv("KAFKA_LISTENERS", "INTERNAL://:" + INTERNAL_PORT + ",CONTROLLER://:" + CONTROLLER_PORT
                            + ",EXTERNAL://:" + EXTERNAL_PORT)
                    .withEnv("KAFKA_ADVERTISED_LISTENERS", "INTERNAL://" + alias(n) + ":" + INTERNAL_PORT
                            + ",EXTERNAL://localhost:" + hostPort)
                    .withEnv("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTERNAL:PLAINTEXT")
                    .withEnv("KAFKA_INTER_BROKER_LISTENER_NAME", "INTERNAL")
                    .withEnv("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER")
                    // Durability as in production: every write on all in-sync replicas, at least two of them.
                    .withEnv("KAFKA_DEFAULT_REPLICATION_FACTOR", Integer.toString(size))
                    .withEnv("KAFKA_MIN_INSYNC_REPLICAS", Integer.toString(size - 1))
                    .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", Integer.toString(size))
                    .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", Integer.toString(size))
                    .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", Integer.toString(size - 1))
                    .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", Integer.toString(size))
                    .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", Integer.toString(size - 1))
                    .withEnv("KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS", "6")
                    .withEnv("KAFKA_HEAP_OPTS", "-Xmx384m -Xms128m")
                    .withExposedPorts(EXTERNAL_PORT)
                    .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
                            new PortBinding(Ports.Binding.bindIp("127.0.0.1").bindPort(hostPort), ExposedPort.tcp(EXTERNAL_PORT))))
                    .withLogConsumer(new Slf4jLogConsumer(LoggerFactory.getLogger("kafka." + alias(n))))
                    // Logged once the broker is unfenced, i.e. serving (the image logs it at INFO).
                    .waitingFor(Wait.forLogMessage(".*Kafka Server started.*", 1).withStartupTimeout(Duration.ofMinutes(4)));
            nodes.add(node);
        }
    }

    private static String alias(int node) {
        return "kafka-" + node;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts every node at once (a static quorum elects a leader only when a majority is up). */
    public KafkaCluster start() {
        Startables.deepStart(nodes).join();
        return this;
    }

    /** For the services on the containers' network. */
    public String internalBootstrapServers() {
        return IntStream.rangeClosed(1, nodes.size()).mapToObj(n -> alias(n) + ":" + INTERNAL_PORT)
                .collect(Collectors.joining(","));
    }

    /** For clients on this machine. */
    public String bootstrapServers() {
        return hostPorts.stream().map(p -> "localhost:" + p).collect(Collectors.joining(","));
    }

    public int size() {
        return nodes.size();
    }

    /** SIGKILL to node {@code n} (1-based): no controlled shutdown, no leader hand-over. */
    public void kill(int n) {
        DockerClientFactory.instance().client().killContainerCmd(nodes.get(n - 1).getContainerId()).withSignal("KILL").exec();
    }

    @Override
    public void close() {
        nodes.forEach(GenericContainer::stop);
    }
}
