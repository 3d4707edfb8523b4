package dev.vigil.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Kafka image tests run brokers from: {@code vigil/kafka:<the Kafka version on the class path>},
 * built from Maven Central's Kafka jars on a Debian JRE by {@code scripts/build-images.sh kafka} (no
 * registry needed), declared a compatible substitute for {@code apache/kafka} so Testcontainers'
 * {@code KafkaContainer} accepts it. The system property {@value #PROPERTY} or the environment variable
 * {@value #ENV} names another image (e.g. {@code apache/kafka:4.1.0} where Docker Hub is reachable).
 */
public final class KafkaImages {

    public static final String PROPERTY = "vigil.test.kafka.image";
    public static final String ENV = "VIGIL_TEST_KAFKA_IMAGE";
    /** The image Testcontainers' {@code KafkaContainer} is made for. */
    public static final String APACHE_KAFKA = "apache/kafka";

    /** Where {@code KafkaContainer} copies its start script (its last line runs {@code /etc/kafka/docker/run}). */
    private static final String STARTER_SCRIPT = "/tmp/testcontainers_start.sh";

    private KafkaImages() {
    }

    /** The broker image, accepted by {@code org.testcontainers.kafka.KafkaContainer}. */
    public static DockerImageName kafka() {
        String name = System.getProperty(PROPERTY, System.getenv(ENV));
        return DockerImageName.parse(name == null || name.isBlank() ? defaultName() : name)
                .asCompatibleSubstituteFor(APACHE_KAFKA);
    }

    /**
     * Testcontainers' {@code KafkaContainer} of {@link #kafka()}, made safe to start:
     * <ul>
     *   <li>its command waits for the start script Testcontainers copies in after the container started
     *       until the script is complete (it ends with the image's run line), then has bash read it instead
     *       of executing it: the stock command runs the file as soon as it exists, and a run that catches
     *       Docker still writing it fails with "Text file busy" or runs an empty script, after which the
     *       broker never starts and the wait times out (testcontainers-java#11682; CI saw it twice after
     *       another test's stack was torn down);</li>
     *   <li>it waits 3 minutes for the broker instead of 60 s: a busy 2-core machine can need it.</li>
     * </ul>
     */
    public static KafkaContainer container() {
        return new KafkaContainer(kafka())
                .withCommand("sh", "-c", "while ! grep -qs 'docker/run' " + STARTER_SCRIPT + "; do sleep 0.1; done; "
                        + "exec bash " + STARTER_SCRIPT)
                .withStartupTimeout(Duration.ofMinutes(3));
    }

    /** {@code vigil/kafka:<version>}: the broker of the same Kafka release as the clients under test. */
    static String defaultName() {
        return "vigil/kafka:" + kafkaClientsVersion();
    }

    /** The version kafka-clients records in its jar ({@code kafka/kafka-version.properties}). */
    static String kafkaClientsVersion() {
        try (InputStream in = Admin.class.getResourceAsStream("/kafka/kafka-version.properties")) {
            if (in == null) {
                throw new IllegalStateException("kafka-clients carries no kafka/kafka-version.properties");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kafka-clients version", e);
        }
    }
}
