package dev.vigil.standalone;

import dev.vigil.common.lifecycle.Service;
import dev.vigil.kafka.embedded.EmbeddedKafka;

/** Runs the embedded broker as a {@link Service} of the standalone process. */
final class EmbeddedKafkaService implements Service {

    private final EmbeddedKafka kafka;

    EmbeddedKafkaService(EmbeddedKafka kafka) {
        this.kafka = kafka;
    }

    @Override
    public String name() {
        return "embedded-kafka";
    }

    @Override
    public void start() {
        kafka.start();
    }

    @Override
    public boolean isReady() {
        return kafka.isRunning();
    }

    @Override
    public void close() {
        kafka.close();
    }
}
