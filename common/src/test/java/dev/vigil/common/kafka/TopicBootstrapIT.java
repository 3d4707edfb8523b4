package dev.vigil.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.config.CommonConfig;
import dev.vigil.schemas.TopicDef;
import dev.vigil.schemas.Topics;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.TestKafka;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedKafkaExtension.class)
class TopicBootstrapIT {

    private static final long TIMEOUT_S = 30;

    private static CommonConfig config(TestKafka kafka, String prefix, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("VIGIL_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("VIGIL_TOPIC_PREFIX", prefix);
        return CommonConfig.fromEnv(env);
    }

    @Test
    void createsEveryTopicWithItsPolicyAndRetention(TestKafka kafka) throws Exception {
        String prefix = kafka.uniquePrefix();
        CommonConfig config = config(kafka, prefix, Map.of("VIGIL_TOPIC_PARTITIONS", "3", "VIGIL_TOPIC_RETENTION_MEDIA", "2h"));

        TopicBootstrap.Result result = new TopicBootstrap(kafka.admin(), config).ensure(Topics.ALL);

        List<String> names = Topics.ALL.stream().map(t -> t.name(prefix)).toList();
        assertThat(result.created()).containsExactlyInAnyOrderElementsOf(names);
        assertThat(result.existing()).isEmpty();
        Admin admin = kafka.admin();
        Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS);
        assertThat(described.values()).allSatisfy(d -> assertThat(d.partitions()).hasSize(3));

        assertThat(topicConfig(admin, Topics.RTSTREAMS.name(prefix)).get("cleanup.policy").value()).isEqualTo("compact");
        Config frames = topicConfig(admin, Topics.MEDIA_FRAMES.name(prefix));
        assertThat(frames.get("cleanup.policy").value()).isEqualTo("delete");
        assertThat(frames.get("retention.ms").value()).isEqualTo(Long.toString(Duration.ofHours(2).toMillis()));
        Config transcripts = topicConfig(admin, Topics.INDEX_TRANSCRIPT.name(prefix));
        assertThat(transcripts.get("retention.ms").value()).isEqualTo(Long.toString(Duration.ofDays(7).toMillis()));
    }

    @Test
    void secondRunIsANoOp(TestKafka kafka) {
        String prefix = kafka.uniquePrefix();
        CommonConfig config = config(kafka, prefix, Map.of("VIGIL_TOPIC_PARTITIONS", "2"));
        TopicBootstrap bootstrap = new TopicBootstrap(kafka.admin(), config);

        TopicBootstrap.Result first = bootstrap.ensure(Topics.ALL);
        TopicBootstrap.Result second = bootstrap.ensure(Topics.ALL);

        assertThat(first.created()).hasSize(Topics.ALL.size());
        assertThat(second.created()).isEmpty();
        assertThat(second.existing()).containsExactlyInAnyOrderElementsOf(first.created());
        assertThat(second.warnings()).isEmpty();
    }

    @Test
    void reportsButKeepsAnExistingTopicWithOtherPartitions(TestKafka kafka) throws Exception {
        String prefix = kafka.uniquePrefix();
        kafka.createTopic(Topics.EVENTS.name(prefix), 1);
        CommonConfig config = config(kafka, prefix, Map.of("VIGIL_TOPIC_PARTITIONS", "4"));

        List<TopicDef<String, ?>> defs = List.of(Topics.EVENTS, Topics.ALERTS);
        TopicBootstrap.Result result = new TopicBootstrap(kafka.admin(), config).ensure(defs);

        assertThat(result.created()).containsExactly(Topics.ALERTS.name(prefix));
        assertThat(result.warnings()).singleElement().asString().contains(Topics.EVENTS.name(prefix), "1 partitions", "4");
        TopicDescription events = kafka.admin().describeTopics(List.of(Topics.EVENTS.name(prefix))).allTopicNames()
                .get(TIMEOUT_S, TimeUnit.SECONDS).get(Topics.EVENTS.name(prefix));
        assertThat(events.partitions()).hasSize(1);
    }

    private static Config topicConfig(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get(TIMEOUT_S, TimeUnit.SECONDS).get(resource);
    }
}
