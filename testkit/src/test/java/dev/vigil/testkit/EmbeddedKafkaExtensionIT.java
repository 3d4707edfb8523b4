package dev.vigil.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.kafka.embedded.EmbeddedKafka;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;

/** Runs on both broker kinds (the module's build runs it twice: embedded, then {@code VIGIL_TEST_KAFKA=container}). */
@ExtendWith(EmbeddedKafkaExtension.class)
class EmbeddedKafkaExtensionIT {

    private static TestKafka kafkaInBeforeAll;
    private final TestKafka kafkaInConstructor;
    private TestKafka kafkaInBeforeEach;

    EmbeddedKafkaExtensionIT(TestKafka kafka) {
        this.kafkaInConstructor = kafka;
    }

    @BeforeAll
    static void beforeAll(TestKafka kafka) {
        kafkaInBeforeAll = kafka;
    }

    @BeforeEach
    void beforeEach(TestKafka kafka) {
        kafkaInBeforeEach = kafka;
    }

    @Test
    void resolvesOneHelperEverywhereBoundToARunningBroker(TestKafka kafka) throws Exception {
        assertThat(List.of(kafkaInBeforeAll, kafkaInConstructor, kafkaInBeforeEach)).allSatisfy(k -> assertThat(k).isSameAs(kafka));
        Collection<Node> nodes = kafka.admin().describeCluster().nodes().get();
        assertThat(nodes).hasSize(1);
    }

    @Test
    @EnabledIf("dev.vigil.testkit.TestBrokerKind#embedded")
    void theEmbeddedBrokerItselfIsTheOneTheHelperUses(EmbeddedKafka broker, TestKafka kafka) {
        assertThat(broker.isRunning()).isTrue();
        assertThat(kafka.bootstrapServers()).isEqualTo(broker.bootstrapServers());
    }

    @Test
    @EnabledIf("dev.vigil.testkit.TestBrokerKind#container")
    void theContainerBrokerIsReachedThroughItsMappedPortWithTheBrokerAdvertisingIt(TestKafka kafka) throws Exception {
        // The client bootstraps at the published port and then talks to the advertised address: the
        // advertised listener must be that same host port, or every call after the first would fail.
        Node node = kafka.admin().describeCluster().nodes().get().iterator().next();
        assertThat(node.host() + ":" + node.port()).isEqualTo(kafka.bootstrapServers());
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
        void theSameBrokerIsShared(TestKafka kafka) {
            assertThat(kafka).isSameAs(kafkaInBeforeAll);
        }
    }
}
