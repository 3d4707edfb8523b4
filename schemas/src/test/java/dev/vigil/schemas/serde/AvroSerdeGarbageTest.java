package dev.vigil.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schemas.RandomRecords;
import dev.vigil.schemas.TopicDef;
import dev.vigil.schemas.Topics;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Undecodable values must fail with Kafka's SerializationException naming the topic, never return junk. */
class AvroSerdeGarbageTest {

    private static final long SEED = 7L;

    static Stream<TopicDef<String, ?>> topics() {
        return Topics.ALL.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    void randomBytesFailNamingTheTopic(TopicDef<String, ?> def) {
        byte[] garbage = new byte[64];
        new Random(SEED).nextBytes(garbage);
        assertThat(garbage[0]).as("not the single-object marker").isNotEqualTo((byte) 0xC3);

        assertDecodeFails(def, garbage);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    void emptyBytesFailNamingTheTopic(TopicDef<String, ?> def) {
        assertDecodeFails(def, new byte[0]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    void truncatedRecordFailsNamingTheTopic(TopicDef<String, ?> def) {
        byte[] valid = encodeRandom(def);

        // Cut inside the body (past the 10-byte header) and inside the header itself.
        assertDecodeFails(def, Arrays.copyOf(valid, valid.length - 1));
        assertDecodeFails(def, Arrays.copyOf(valid, 10 + (valid.length - 10) / 2));
        assertDecodeFails(def, Arrays.copyOf(valid, 5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    void recordOfAnotherTypeFailsNamingTheTopic(TopicDef<String, ?> def) {
        TopicDef<String, ?> other = def == Topics.MEDIA_FRAMES ? Topics.MEDIA_AUDIO : Topics.MEDIA_FRAMES;
        byte[] foreign = encodeRandom(other);

        assertDecodeFails(def, foreign);
    }

    private static void assertDecodeFails(TopicDef<String, ?> def, byte[] bytes) {
        String topic = def.name(Topics.DEFAULT_PREFIX);
        assertThatThrownBy(() -> def.valueSerde().deserializer().deserialize(topic, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'" + topic + "'");
    }

    private static <V> byte[] encodeRandom(TopicDef<String, V> def) {
        V value = RandomRecords.of(def, 1, SEED).get(0);
        return def.valueSerde().serializer().serialize(def.name(Topics.DEFAULT_PREFIX), value);
    }
}
