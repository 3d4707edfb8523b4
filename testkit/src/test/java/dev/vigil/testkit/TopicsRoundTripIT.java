package dev.vigil.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schemas.TopicDef;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.EventRule;
import dev.vigil.schemas.control.RtStreamSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every Vigil record type survives a trip through a real broker with the Topics serdes. */
@ExtendWith(EmbeddedKafkaExtension.class)
class TopicsRoundTripIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int RECORDS_PER_TOPIC = 5;
    private static final long SEED = 42L;

    private static String prefix;
    private final TestKafka kafka;

    TopicsRoundTripIT(TestKafka kafka) {
        this.kafka = kafka;
    }

    @BeforeAll
    static void createAllTopics(TestKafka kafka) {
        prefix = kafka.uniquePrefix();
        kafka.createTopics(prefix, Topics.ALL, 3);
    }

    static Stream<TopicDef<String, ?>> topics() {
        return Topics.ALL.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    void randomRecordsComeBackEqual(TopicDef<String, ?> def) {
        assertRoundTrips(def);
    }

    private <V> void assertRoundTrips(TopicDef<String, V> def) {
        Map<String, V> sent = new LinkedHashMap<>();
        List<V> values = RandomRecords.of(def, RECORDS_PER_TOPIC, SEED);
        for (int i = 0; i < values.size(); i++) {
            sent.put(def.suffix() + "-key-" + i, values.get(i));
        }
        sent.forEach((key, value) -> kafka.send(prefix, def, key, value));

        List<ConsumerRecord<String, V>> received = kafka.consume(prefix, def, sent.size(), TIMEOUT);

        assertThat(received).hasSize(sent.size());
        assertThat(received.stream().collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value)))
                .isEqualTo(sent);
    }

    @Test
    void tombstoneOnACompactedTopicComesBackAsNull() {
        RtStreamSpec spec = RandomRecords.of(Topics.RTSTREAMS, 1, SEED).get(0);
        String topicPrefix = kafka.uniquePrefix();
        kafka.createTopics(topicPrefix, List.of(Topics.RTSTREAMS), 1);

        kafka.send(topicPrefix, Topics.RTSTREAMS, "rts-1", spec);
        kafka.send(topicPrefix, Topics.RTSTREAMS, "rts-1", null);

        List<ConsumerRecord<String, RtStreamSpec>> received = kafka.consume(topicPrefix, Topics.RTSTREAMS, 2, TIMEOUT);
        assertThat(received).extracting(ConsumerRecord::key).containsExactly("rts-1", "rts-1");
        assertThat(received).extracting(ConsumerRecord::value).containsExactly(spec, null);
    }

    @Test
    void topicsAreCreatedWithTheirCleanupPolicyAndRetention() throws Exception {
        Set<ConfigResource> resources = Topics.ALL.stream()
                .map(def -> new ConfigResource(ConfigResource.Type.TOPIC, def.name(prefix)))
                .collect(Collectors.toSet());
        Map<ConfigResource, Config> configs = kafka.admin().describeConfigs(resources).all()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        for (TopicDef<String, ?> def : Topics.ALL) {
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, def.name(prefix)));
            assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).as(def.suffix())
                    .isEqualTo(def.cleanupPolicy().configValue());
            def.retention().ifPresent(retention -> {
                ConfigEntry entry = config.get(TopicConfig.RETENTION_MS_CONFIG);
                assertThat(entry.value()).as(def.suffix()).isEqualTo(Long.toString(retention.toMillis()));
            });
        }
    }

    @Test
    void uniquePrefixesIsolateTopics() {
        String first = kafka.uniquePrefix();
        String second = kafka.uniquePrefix();
        assertThat(first).isNotEqualTo(second);
        kafka.createTopics(first, List.of(Topics.EVENTS), 1);
        kafka.createTopics(second, List.of(Topics.EVENTS), 1);
        List<EventRule> rules = RandomRecords.of(Topics.EVENTS, 2, SEED);

        kafka.send(first, Topics.EVENTS, "only-in-first", rules.get(0));
        kafka.send(second, Topics.EVENTS, "only-in-second", rules.get(1));

        assertThat(kafka.consume(first, Topics.EVENTS, 1, TIMEOUT))
                .singleElement().satisfies(r -> assertThat(r.key()).isEqualTo("only-in-first"));
        assertThat(kafka.consume(second, Topics.EVENTS, 1, TIMEOUT))
                .singleElement().satisfies(r -> assertThat(r.key()).isEqualTo("only-in-second"));
        Eventually.await().untilAsserted(() -> assertThat(topicsStartingWith(first))
                .containsExactly(Topics.EVENTS.name(first)));
    }

    private Set<String> topicsStartingWith(String topicPrefix) throws Exception {
        return kafka.admin().listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).stream()
                .filter(name -> name.startsWith(topicPrefix))
                .collect(Collectors.toSet());
    }

    @Test
    void consumeGivingUpListsWhatArrived() {
        String topicPrefix = kafka.uniquePrefix();
        kafka.createTopics(topicPrefix, List.of(Topics.EVENTS), 1);
        kafka.send(topicPrefix, Topics.EVENTS, "the-only-one", RandomRecords.of(Topics.EVENTS, 1, SEED).get(0));

        assertThatThrownBy(() -> kafka.consume(topicPrefix, Topics.EVENTS, 2, Duration.ofMillis(500)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expected 2 records on " + Topics.EVENTS.name(topicPrefix))
                .hasMessageContaining("1 arrived")
                .hasMessageContaining("the-only-one");
    }
}
