package dev.vigil.testkit;

import java.util.Locale;

/**
 * Where {@link EmbeddedKafkaExtension}'s shared broker runs, chosen per test JVM by the system property
 * {@value #PROPERTY} or else the environment variable {@value #ENV} ({@code embedded} or
 * {@code container}):
 *
 * <ul>
 *   <li>{@link #EMBEDDED} (default): the real broker in this JVM (kafka-embedded), about 2.5 s to start,
 *       no Docker needed.</li>
 *   <li>{@link #CONTAINER}: the same broker in a container started by Testcontainers'
 *       {@code KafkaContainer} from {@link KafkaImages#kafka()} (built by {@code scripts/build-images.sh
 *       kafka}); the clients reach it over the network like a deployment's would.</li>
 * </ul>
 *
 * <p>The environment variable reaches the test JVMs Maven forks (a {@code -D} on the Maven command line
 * does not): {@code VIGIL_TEST_KAFKA=container mvn verify -pl webhook-dispatcher}.
 */
public enum TestBrokerKind {
    EMBEDDED,
    CONTAINER;

    public static final String PROPERTY = "vigil.test.kafka";
    public static final String ENV = "VIGIL_TEST_KAFKA";

    /** The kind this JVM's tests use. */
    public static TestBrokerKind selected() {
        String value = System.getProperty(PROPERTY, System.getenv(ENV));
        return value == null || value.isBlank() ? EMBEDDED : parse(value);
    }

    static TestBrokerKind parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "embedded" -> EMBEDDED;
            case "container" -> CONTAINER;
            default -> throw new IllegalArgumentException(PROPERTY + " / " + ENV + " is '" + value
                    + "'; use 'embedded' (the broker in this JVM, the default) or 'container' (Testcontainers)");
        };
    }

    /** For {@code @EnabledIf("dev.vigil.testkit.TestBrokerKind#embedded")}. */
    public static boolean embedded() {
        return selected() == EMBEDDED;
    }

    /** For {@code @EnabledIf("dev.vigil.testkit.TestBrokerKind#container")}. */
    public static boolean container() {
        return selected() == CONTAINER;
    }
}
