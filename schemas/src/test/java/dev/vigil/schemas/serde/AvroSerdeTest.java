package dev.vigil.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.RandomRecords;
import dev.vigil.schemas.TopicDef;
import dev.vigil.schemas.Topics;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroSerdeTest {

    private static final long SEED = 20240611L;
    private static final int RECORDS_PER_TOPIC = 25;

    static Stream<TopicDef<String, ?>> topics() {
        return Topics.ALL.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    void roundTripsRandomRecordsThroughTheTopicValueSerde(TopicDef<String, ?> def) {
        assertRoundTrips(def);
    }

    private static <V> void assertRoundTrips(TopicDef<String, V> def) {
        String topic = def.name(Topics.DEFAULT_PREFIX);
        Serde<V> serde = def.valueSerde();
        List<V> values = RandomRecords.of(def, RECORDS_PER_TOPIC, SEED);

        assertThat(values).hasSize(RECORDS_PER_TOPIC).doesNotHaveDuplicates();
        for (V value : values) {
            byte[] bytes = serde.serializer().serialize(topic, value);
            assertThat(serde.deserializer().deserialize(topic, bytes)).isEqualTo(value);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    void randomRecordsCarryTheGeneratedJavaTypes(TopicDef<String, ?> def) {
        // Guards the round trip above: records full of raw longs or Utf8 would also compare equal.
        for (Object value : RandomRecords.of(def, RECORDS_PER_TOPIC, SEED)) {
            SpecificRecord record = (SpecificRecord) value;
            assertJavaTypes(SpecificData.getForClass(record.getClass()), record.getSchema(), record,
                    record.getSchema().getName());
        }
    }

    private static void assertJavaTypes(SpecificData model, Schema schema, Object value, String path) {
        switch (schema.getType()) {
            case RECORD -> {
                assertThat(value.getClass().getName()).as(path).isEqualTo(schema.getFullName());
                SpecificRecord record = (SpecificRecord) value;
                for (Schema.Field field : schema.getFields()) {
                    assertJavaTypes(model, field.schema(), record.get(field.pos()), path + "." + field.name());
                }
            }
            case UNION -> {
                int branch = model.resolveUnion(schema, value);
                assertJavaTypes(model, schema.getTypes().get(branch), value, path);
            }
            case ENUM -> assertThat(value.getClass().getName()).as(path).isEqualTo(schema.getFullName());
            case STRING -> assertThat(value).as(path).isInstanceOf(String.class);
            case BYTES -> assertThat(value).as(path).isInstanceOf(ByteBuffer.class);
            case LONG -> {
                if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
                    assertThat(value).as(path).isInstanceOf(Instant.class);
                } else {
                    assertThat(value).as(path).isInstanceOf(Long.class);
                }
            }
            case ARRAY -> {
                assertThat(value).as(path).isInstanceOf(List.class);
                ((List<?>) value).forEach(item -> assertJavaTypes(model, schema.getElementType(), item, path + "[]"));
            }
            case MAP -> {
                assertThat(value).as(path).isInstanceOf(Map.class);
                ((Map<?, ?>) value).forEach((k, v) -> {
                    assertThat(k).as(path + " key").isInstanceOf(String.class);
                    assertJavaTypes(model, schema.getValueType(), v, path + "[" + k + "]");
                });
            }
            case NULL -> assertThat(value).as(path).isNull();
            default -> assertThat(value).as(path).isNotNull();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    void writesSingleObjectEncodingWithTheSchemaFingerprint(TopicDef<String, ?> def) {
        Object value = RandomRecords.of(def, 1, SEED).get(0);
        byte[] bytes = encode(def, value);

        long fingerprint = SchemaNormalization.parsingFingerprint64(def.avroValueSerde().schema());
        ByteBuffer header = ByteBuffer.wrap(bytes, 0, 10).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(header.get()).isEqualTo((byte) 0xC3);
        assertThat(header.get()).isEqualTo((byte) 0x01);
        assertThat(header.getLong()).isEqualTo(fingerprint);
    }

    @SuppressWarnings("unchecked")
    private static <V> byte[] encode(TopicDef<String, V> def, Object value) {
        return def.valueSerde().serializer().serialize(def.name(Topics.DEFAULT_PREFIX), (V) value);
    }
}
