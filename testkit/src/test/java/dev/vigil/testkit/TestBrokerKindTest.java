package dev.vigil.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TestBrokerKindTest {

    @Test
    void parsesBothKindsIgnoringCaseAndSpace() {
        assertThat(TestBrokerKind.parse("embedded")).isEqualTo(TestBrokerKind.EMBEDDED);
        assertThat(TestBrokerKind.parse(" Container ")).isEqualTo(TestBrokerKind.CONTAINER);
    }

    @Test
    void refusesAnUnknownKindNamingTheChoices() {
        assertThatThrownBy(() -> TestBrokerKind.parse("docker"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'docker'").hasMessageContaining("embedded").hasMessageContaining("container");
    }

    @Test
    void theKafkaImageIsASubstituteForApacheKafkaOfTheClientsVersion() {
        assertThat(KafkaImages.kafka().isCompatibleWith(org.testcontainers.utility.DockerImageName.parse("apache/kafka")))
                .isTrue();
        assertThat(KafkaImages.kafkaClientsVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(KafkaImages.defaultName()).isEqualTo("vigil/kafka:" + KafkaImages.kafkaClientsVersion());
    }
}
