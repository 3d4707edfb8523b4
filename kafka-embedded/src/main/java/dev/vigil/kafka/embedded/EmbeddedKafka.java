package dev.vigil.kafka.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channel;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller roles) running inside this
 * JVM: the production broker classes, not a fake.
 *
 * <p>Two flavours: {@link #builder()} with fixed ports and a persistent data directory (the launcher;
 * a restart on the same directory keeps the data), and {@link #forTests()} with free ports and a
 * temporary directory that is deleted on close. Start with {@link #start()}, which returns once the
 * broker answers metadata requests; {@link #close()} stops it in order.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final String LOCK_FILE = ".vigil-embedded.lock";

    private final String host;
    private final int port;
    private final int controllerPort;
    private final Path dataDir;
    private final boolean deleteOnClose;
    private final Map<String, String> overrides;
    private KafkaRaftServer server;
    private FileLock dataDirLock;

    private EmbeddedKafka(Builder builder) {
        this.host = builder.host;
        this.port = builder.port;
        this.controllerPort = builder.controllerPort;
        this.dataDir = builder.dataDir;
        this.deleteOnClose = builder.deleteOnClose;
        this.overrides = Map.copyOf(builder.overrides);
    }

    /** A broker on fixed ports with a persistent data directory. */
    public static Builder builder() {
        return new Builder();
    }

    /** A broker for tests: loopback, free ports, a temporary data directory deleted on close. */
    public static EmbeddedKafka forTests() {
        try {
            return builder()
                    .port(0)
                    .controllerPort(0)
                    .dataDir(Files.createTempDirectory("vigil-kafka-test-"), true)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary Kafka data directory", e);
        }
    }

    /**
     * Locks and, if new, formats the data directory, starts the broker and waits until it serves
     * metadata. On failure everything is undone as by {@link #close()}, test directory included.
     */
    public synchronized EmbeddedKafka start() {
        if (server != null) {
            throw new IllegalStateException("already started: " + bootstrapServers());
        }
        long started = System.nanoTime();
        try {
            FreePorts.requireFree(host, port, "broker");
            FreePorts.requireFree(host, controllerPort, "controller");
            lockDataDir();
            formatIfNew();
            server = startServer();
            awaitReady();
        } catch (RuntimeException e) {
            // try-with-resources never sees a broker whose start() threw, so nobody else would clean up.
            close();
            throw e;
        }
        log.info("Embedded Kafka ready at {} (data {}) in {} ms", bootstrapServers(), dataDir,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return this;
    }

    private KafkaRaftServer startServer() {
        KafkaRaftServer candidate = null;
        try {
            candidate = new KafkaRaftServer(new KafkaConfig(brokerProperties(), false), Time.SYSTEM);
            candidate.startup();
            return candidate;
        } catch (RuntimeException e) {
            if (candidate != null) {
                // Without an explicit shutdown the broker's non-daemon threads keep the JVM alive.
                stopQuietly(candidate);
            }
            throw new EmbeddedKafkaException("embedded Kafka failed to start on " + host + ":" + port
                    + " with data in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Takes an exclusive lock on the data directory for as long as the broker runs. Kafka's own
     * {@code .lock} is taken only when the broker part starts, after the controller has already become
     * leader of the metadata log in the same directory: a second broker on a directory in use would
     * append to the live metadata log, and Kafka then halts the JVM.
     */
    private void lockDataDir() {
        FileChannel channel = null;
        try {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                throw new EmbeddedKafkaException("The Kafka data directory " + dataDir.toAbsolutePath()
                        + " is in use by another embedded Kafka (in this or another process)."
                        + " Stop it or choose another data directory.");
            }
            dataDirLock = lock;
        } catch (IOException e) {
            throw new EmbeddedKafkaException("cannot lock Kafka data directory " + dataDir.toAbsolutePath(), e);
        } finally {
            if (dataDirLock == null && channel != null) {
                closeQuietly(channel);
            }
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // Held by another EmbeddedKafka in this JVM.
            return null;
        }
    }

    private void unlockDataDir() {
        if (dataDirLock != null) {
            closeQuietly(dataDirLock.acquiredBy());
            dataDirLock = null;
        }
    }

    private static void closeQuietly(Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            log.warn("Cannot release the lock channel {}", channel, e);
        }
    }

    private Map<String, String> brokerProperties() {
        Map<String, String> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        props.put("listeners", "PLAINTEXT://" + host + ":" + port + "," + CONTROLLER_LISTENER + "://" + host + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dataDir.toAbsolutePath().toString());
        // One node: every internal topic has a single replica.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "12");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        // Consumer groups (ingest workers, Streams apps) start at once instead of waiting 3 s.
        props.put("group.initial.rebalance.delay.ms", "0");
        // Topics come from Vigil's topic bootstrap with their real settings, never by accident.
        props.put("auto.create.topics.enable", "false");
        props.putAll(overrides);
        return props;
    }

    private void formatIfNew() {
        // Re-formatting a formatted directory with a new cluster id fails, and would lose data anyway.
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            log.debug("Kafka data directory {} already formatted", dataDir);
            return;
        }
        try {
            Files.createDirectories(dataDir);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setClusterId(Uuid.randomUuid().toString())
                    .setNodeId(NODE_ID)
                    .setDirectories(List.of(dataDir.toAbsolutePath().toString()))
                    .setMetadataLogDirectory(dataDir.toAbsolutePath().toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .run();
        } catch (Exception e) {
            throw new EmbeddedKafkaException("cannot format Kafka data directory " + dataDir, e);
        }
    }

    private void awaitReady() {
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            admin.describeCluster().nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("interrupted while waiting for embedded Kafka to become ready", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new EmbeddedKafkaException("embedded Kafka did not become ready within " + READY_TIMEOUT, e);
        }
    }

    /** {@code host:port} for clients. */
    public String bootstrapServers() {
        return host + ":" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /**
     * Stops the broker and waits for it, releases the data directory; deletes the data directory of a
     * test broker. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (server != null) {
            long started = System.nanoTime();
            stopQuietly(server);
            server = null;
            log.info("Embedded Kafka at {} stopped in {} ms", bootstrapServers(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
        unlockDataDir();
        if (deleteOnClose) {
            deleteRecursively(dataDir);
        }
    }

    private static void stopQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("Embedded Kafka did not shut down cleanly", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("Cannot delete Kafka data directory {}", dir, e);
        }
    }

    /** Settings of an embedded broker. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 9092;
        private int controllerPort = 9093;
        private Path dataDir = Path.of("data", "kafka");
        private boolean deleteOnClose;
        private final Map<String, String> overrides = new HashMap<>();

        private Builder() {
        }

        /** Listener host; loopback by default so nothing is exposed by accident. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host);
            return this;
        }

        /** Client port; 0 picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** KRaft controller port; 0 picks a free one. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = controllerPort;
            return this;
        }

        /** Where logs and metadata live; an existing formatted directory is reused. */
        public Builder dataDir(Path dataDir) {
            return dataDir(dataDir, false);
        }

        public Builder dataDir(Path dataDir, boolean deleteOnClose) {
            this.dataDir = Objects.requireNonNull(dataDir);
            this.deleteOnClose = deleteOnClose;
            return this;
        }

        /** A broker config override, e.g. {@code log.retention.hours}. */
        public Builder override(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        public EmbeddedKafka build() {
            if (port < 0 || port > 65535 || controllerPort < 0 || controllerPort > 65535) {
                throw new IllegalArgumentException("ports must be in 0..65535");
            }
            if (port == 0) {
                port = FreePorts.pick(host);
            }
            if (controllerPort == 0) {
                do {
                    controllerPort = FreePorts.pick(host);
                } while (controllerPort == port);
            }
            if (port == controllerPort) {
                throw new IllegalArgumentException("broker and controller ports must differ: " + port);
            }
            return new EmbeddedKafka(this);
        }
    }
}
