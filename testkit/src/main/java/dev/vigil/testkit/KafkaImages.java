package dev.vigil.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
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

    private KafkaImages() {
    }

    /** The broker image, accepted by {@code org.testcontainers.kafka.KafkaContainer}. */
    public static DockerImageName kafka() {
        String name = System.getProperty(PROPERTY, System.getenv(ENV));
        return DockerImageName.parse(name == null || name.isBlank() ? defaultName() : name)
                .asCompatibleSubstituteFor(APACHE_KAFKA);
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
