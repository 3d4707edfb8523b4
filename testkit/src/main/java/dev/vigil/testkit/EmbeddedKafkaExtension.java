package dev.vigil.testkit;

import dev.vigil.kafka.embedded.EmbeddedKafka;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives tests a real Kafka broker: {@code @ExtendWith(EmbeddedKafkaExtension.class)}, then ask for an
 * {@link EmbeddedKafka} or a {@link TestKafka} as a parameter of the constructor or of any
 * {@code @BeforeAll}, {@code @BeforeEach} or test method.
 *
 * <p>One broker serves the whole test JVM: it starts on first use (about 2.5 s) and stops when the test
 * run ends. Tests share it, so each takes its own topics with {@link TestKafka#uniquePrefix()}.
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
        return parameterContext.getParameter().getType() == EmbeddedKafka.class ? shared.broker : shared.kafka;
    }

    private static SharedBroker shared(ExtensionContext context) {
        // The root store lives as long as the test run and closes AutoCloseable values at its end.
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedBroker.class, key -> SharedBroker.start(), SharedBroker.class);
    }

    /** The JVM-wide broker and the helper bound to it, closed together when the test run ends. */
    private static final class SharedBroker implements AutoCloseable {
        private final EmbeddedKafka broker;
        private final TestKafka kafka;

        private SharedBroker(EmbeddedKafka broker) {
            this.broker = broker;
            this.kafka = new TestKafka(broker);
        }

        static SharedBroker start() {
            EmbeddedKafka broker = EmbeddedKafka.forTests().start();
            log.info("Shared test broker started at {}", broker.bootstrapServers());
            return new SharedBroker(broker);
        }

        @Override
        public void close() {
            try {
                kafka.close();
            } finally {
                broker.close();
                log.info("Shared test broker at {} stopped", broker.bootstrapServers());
            }
        }
    }
}
