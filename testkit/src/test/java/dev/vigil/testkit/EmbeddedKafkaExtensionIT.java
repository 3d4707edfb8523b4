package dev.vigil.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.kafka.embedded.EmbeddedKafka;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedKafkaExtension.class)
class EmbeddedKafkaExtensionIT {

    private static EmbeddedKafka brokerInBeforeAll;
    private static TestKafka kafkaInBeforeAll;
    private final EmbeddedKafka brokerInConstructor;
    private final TestKafka kafkaInConstructor;
    private EmbeddedKafka brokerInBeforeEach;
    private TestKafka kafkaInBeforeEach;

    EmbeddedKafkaExtensionIT(EmbeddedKafka broker, TestKafka kafka) {
        this.brokerInConstructor = broker;
        this.kafkaInConstructor = kafka;
    }

    @BeforeAll
    static void beforeAll(EmbeddedKafka broker, TestKafka kafka) {
        brokerInBeforeAll = broker;
        kafkaInBeforeAll = kafka;
    }

    @BeforeEach
    void beforeEach(EmbeddedKafka broker, TestKafka kafka) {
        brokerInBeforeEach = broker;
        kafkaInBeforeEach = kafka;
    }

    @Test
    void resolvesOneRunningBrokerAndHelperEverywhere(EmbeddedKafka broker, TestKafka kafka) {
        assertThat(broker.isRunning()).isTrue();
        assertThat(List.of(brokerInBeforeAll, brokerInConstructor, brokerInBeforeEach)).allSatisfy(b -> assertThat(b).isSameAs(broker));
        assertThat(List.of(kafkaInBeforeAll, kafkaInConstructor, kafkaInBeforeEach)).allSatisfy(k -> assertThat(k).isSameAs(kafka));
        assertThat(kafka.bootstrapServers()).isEqualTo(broker.bootstrapServers());
    }

    @Test
    void rawBytesRoundTrip(TestKafka kafka) {
        String topic = kafka.uniquePrefix() + "raw";
        kafka.createTopic(topic, 1);

        kafka.sendRaw(topic, new byte[] {1}, new byte[] {2, 3});

        List<ConsumerRecord<byte[], byte[]>> received = kafka.consumeRaw(topic, 1, Duration.ofSeconds(30));
        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.key()).containsExactly(1);
            assertThat(r.value()).containsExactly(2, 3);
        });
    }

    @Test
    void uniquePrefixesAreValidTopicNamePrefixes(TestKafka kafka) {
        assertThat(kafka.uniquePrefix()).matches("t\\d+-vigil\\.");
    }

    @Nested
    class InANestedClass {

        @Test
        void theSameBrokerIsShared(EmbeddedKafka broker) {
            assertThat(broker).isSameAs(brokerInBeforeAll);
        }
    }
}
