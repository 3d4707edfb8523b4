package dev.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class TopicsTest {

    private static final String PREFIX = Topics.DEFAULT_PREFIX;

    @Test
    void everyRecordEnumAndFieldHasADoc() {
        List<String> undocumented = new ArrayList<>();
        Set<Schema> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (TopicDef<String, ?> def : Topics.ALL) {
            collectUndocumented(def.avroValueSerde().schema(), seen, undocumented);
        }

        assertThat(undocumented).as("schemas, enums and fields without a doc").isEmpty();
    }

    private static void collectUndocumented(Schema schema, Set<Schema> seen, List<String> undocumented) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema)) {
                    return;
                }
                if (isBlank(schema.getDoc())) {
                    undocumented.add(schema.getFullName());
                }
                for (Schema.Field field : schema.getFields()) {
                    if (isBlank(field.doc())) {
                        undocumented.add(schema.getFullName() + "." + field.name());
                    }
                    collectUndocumented(field.schema(), seen, undocumented);
                }
            }
            case ENUM, FIXED -> {
                if (seen.add(schema) && isBlank(schema.getDoc())) {
                    undocumented.add(schema.getFullName());
                }
            }
            case ARRAY -> collectUndocumented(schema.getElementType(), seen, undocumented);
            case MAP -> collectUndocumented(schema.getValueType(), seen, undocumented);
            case UNION -> schema.getTypes().forEach(branch -> collectUndocumented(branch, seen, undocumented));
            default -> {
                // Primitive types carry no doc of their own.
            }
        }
    }

    private static boolean isBlank(String doc) {
        return doc == null || doc.isBlank();
    }

    @Test
    void topicNamesAreUniqueAndResolveBack() {
        List<String> names = Topics.ALL.stream().map(t -> t.name(PREFIX)).toList();

        assertThat(names).doesNotHaveDuplicates().allSatisfy(name -> assertThat(name).startsWith(PREFIX));
        for (TopicDef<String, ?> def : Topics.ALL) {
            assertThat(Topics.byName(PREFIX, def.name(PREFIX))).containsSame(def);
        }
    }

    @Test
    void everyTopicHasItsOwnValueTypeExceptTheWebhookRetryFamily() {
        // The retry tiers and the dead-letter topic carry the same WebhookDelivery on purpose.
        List<TopicDef<String, ?>> family = new java.util.ArrayList<>(Topics.WEBHOOK_RETRY_TIERS);
        family.add(Topics.WEBHOOK_DEAD);
        List<Class<?>> others = Topics.ALL.stream().filter(t -> !family.contains(t))
                .<Class<?>>map(t -> t.avroValueSerde().type()).toList();
        assertThat(others).doesNotHaveDuplicates().doesNotContain(dev.vigil.schemas.alerts.WebhookDelivery.class);
        assertThat(family).allSatisfy(t -> assertThat(t.avroValueSerde().type())
                .isEqualTo(dev.vigil.schemas.alerts.WebhookDelivery.class));
        assertThat(Topics.WEBHOOK_RETRY_TIERS.stream().map(TopicDef::suffix)).containsExactly(
                "webhooks.retry.5s", "webhooks.retry.30s", "webhooks.retry.2m", "webhooks.retry.10m",
                "webhooks.retry.1h", "webhooks.retry.6h");
    }

    @Test
    void compactedTopicsKeepForeverAndOthersHaveARetention() {
        for (TopicDef<String, ?> def : Topics.ALL) {
            if (def.cleanupPolicy() == CleanupPolicy.COMPACT) {
                assertThat(def.retention()).as(def.suffix()).isEmpty();
            } else {
                assertThat(def.retention()).as(def.suffix()).hasValueSatisfying(
                        retention -> assertThat(retention).isGreaterThan(Duration.ZERO));
            }
        }
    }

    @Test
    void joinedDataTopicsShareOnePartitionCount() {
        // Kafka Streams joins media and index records by rtstream id only if they are co-partitioned.
        List<TopicDef<String, ?>> joined = List.of(Topics.MEDIA_FRAMES, Topics.MEDIA_AUDIO,
                Topics.INDEX_TRANSCRIPT, Topics.INDEX_SCENE, Topics.INDEX_AUDIO, Topics.RTSTREAMS);

        assertThat(joined).extracting(TopicDef::partitions).containsOnly(Topics.DEFAULT_PARTITIONS);
    }

    @Test
    void nullPassesThroughEverySerdeAsTombstone() {
        for (TopicDef<String, ?> def : Topics.ALL) {
            String topic = def.name(PREFIX);
            assertThat(def.valueSerde().serializer().serialize(topic, null)).as(topic).isNull();
            assertThat(def.valueSerde().deserializer().deserialize(topic, null)).as(topic).isNull();
            assertThat(def.keySerde().deserializer().deserialize(topic, null)).as(topic).isNull();
        }
    }
}
