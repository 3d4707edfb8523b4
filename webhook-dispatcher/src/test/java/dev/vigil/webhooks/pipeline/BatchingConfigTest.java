package dev.vigil.webhooks.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.kafka.KafkaClients;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class BatchingConfigTest {

    private static Map<String, Object> producer(Map<String, String> env) {
        return new KafkaClients(CommonConfig.fromEnv(env)).producer("test");
    }

    @Test
    void lingerIsAddedAndTheDeliveryTimeoutStaysValid() {
        Map<String, Object> config = DeliveryPipeline.batching(producer(Map.of("VIGIL_INSTANCE_ID", "t")));
        assertThat(config.get(ProducerConfig.LINGER_MS_CONFIG)).isEqualTo(5);
        // KafkaProducer refuses delivery.timeout.ms < linger.ms + request.timeout.ms at construction.
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer()).close();
    }

    @Test
    void passThroughTimeoutsAsStringsAreHonoured() {
        Map<String, Object> config = DeliveryPipeline.batching(producer(Map.of("VIGIL_INSTANCE_ID", "t",
                "VIGIL_KAFKA_CLIENT_REQUEST_TIMEOUT_MS", "60000")));
        assertThat(config.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)).isEqualTo(60_005);
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer()).close();
    }
}
