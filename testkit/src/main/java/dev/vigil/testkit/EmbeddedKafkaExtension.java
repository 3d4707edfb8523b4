package dev.vigil.testkit;

import dev.vigil.kafka.embedded.EmbeddedKafka;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Gives tests a real Kafka broker: {@code @ExtendWith(EmbeddedKafkaExtension.class)}, then ask for a
 * {@link TestKafka} (or, for tests that need the in-process broker itself, an {@link EmbeddedKafka})
 * as a parameter of the constructor or of any {@code @BeforeAll}, {@code @BeforeEach} or test method.
 *
 * <p>One broker serves the whole test JVM: it starts on first use and stops when the test run ends.
 * Tests share it, so each takes its own topics with {@link TestKafka#uniquePrefix()}. It runs in this
 * JVM by default (about 2.5 s to start); {@link TestBrokerKind} selects a Testcontainers broker instead
 * ({@code VIGIL_TEST_KAFKA=container}), on which every test that asks only for {@link TestKafka} runs
 * unchanged.
 */
public final class EmbeddedKafkaExtension implements ParameterResolver {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaExtension.class);
    private static final Namespace NAMESPACE = Namespace.create(EmbeddedKafkaExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == EmbeddedKafka.class || type == TestKafka.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        SharedBroker shared = shared(extensionContext);
        if (parameterContext.getParameter().getType() == TestKafka.class) {
            return shared.kafka;
        }
        if (shared.embedded == null) {
            throw new ParameterResolutionException(parameterContext.getDeclaringExecutable()
                    + " asks for the in-process EmbeddedKafka, but this run's shared broker is a container ("
                    + TestBrokerKind.ENV + "=container); ask for TestKafka instead, or run with the embedded broker");
        }
        return shared.embedded;
    }

    private static SharedBroker shared(ExtensionContext context) {
        // The root store lives as long as the test run and closes AutoCloseable values at its end.
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedBroker.class, key -> SharedBroker.start(TestBrokerKind.selected()),
                        SharedBroker.class);
    }

    /** The JVM-wide broker (in this JVM or a container) and the helper bound to it, closed together at the end. */
    private static final class SharedBroker implements AutoCloseable {
        private final EmbeddedKafka embedded;
        private final KafkaContainer container;
        private final TestKafka kafka;

        private SharedBroker(EmbeddedKafka embedded, KafkaContainer container, String bootstrapServers) {
            this.embedded = embedded;
            this.container = container;
            this.kafka = new TestKafka(bootstrapServers);
        }

        static SharedBroker start(TestBrokerKind kind) {
            return switch (kind) {
                case EMBEDDED -> {
                    EmbeddedKafka broker = EmbeddedKafka.forTests().start();
                    log.info("Shared test broker started at {}", broker.bootstrapServers());
                    yield new SharedBroker(broker, null, broker.bootstrapServers());
                }
                case CONTAINER -> {
                    KafkaContainer broker = KafkaImages.container();
                    long started = System.nanoTime();
                    ContainerLogTail.start(broker, 20);
                    log.info("Shared test broker started in a container of {} at {} in {} ms", broker.getDockerImageName(),
                            broker.getBootstrapServers(), (System.nanoTime() - started) / 1_000_000);
                    yield new SharedBroker(null, broker, broker.getBootstrapServers());
                }
            };
        }

        @Override
        public void close() {
            try {
                kafka.close();
            } finally {
                if (embedded != null) {
                    embedded.close();
                } else {
                    container.stop();
                }
                log.info("Shared test broker at {} stopped", kafka.bootstrapServers());
            }
        }
    }
}
