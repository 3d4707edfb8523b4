package dev.vigil.standalone;

import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.common.kafka.TopicBootstrap;
import dev.vigil.common.lifecycle.Service;
import dev.vigil.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;

/** Creates Vigil's topics at start-up (when configured to); ready once they exist. */
final class TopicBootstrapService implements Service {

    private final CommonConfig config;
    private volatile TopicBootstrap.Result result;

    TopicBootstrapService(CommonConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "topic-bootstrap";
    }

    @Override
    public void start() {
        if (!config.topicBootstrap()) {
            result = new TopicBootstrap.Result(java.util.List.of(), java.util.List.of(), java.util.List.of());
            return;
        }
        try (Admin admin = Admin.create(new KafkaClients(config).admin("vigil-topic-bootstrap"))) {
            result = new TopicBootstrap(admin, config).ensure(Topics.ALL);
        }
    }

    /** What the bootstrap did, once started. */
    TopicBootstrap.Result result() {
        return result;
    }

    @Override
    public boolean isReady() {
        return result != null;
    }

    @Override
    public void close() {
        // Nothing held: the admin client is closed at the end of start().
    }
}
