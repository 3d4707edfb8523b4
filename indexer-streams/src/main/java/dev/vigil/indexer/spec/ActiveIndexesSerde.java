package dev.vigil.indexer.spec;

import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.IndexSpec;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of {@link ActiveIndexes} for the table's store and changelog: a count followed by each spec
 * as a length-prefixed Avro single-object record (the {@code vigil.indexes} encoding, so schema
 * evolution of IndexSpec carries over).
 */
public final class ActiveIndexesSerde implements Serde<ActiveIndexes> {

    private static final byte VERSION = 1;
    private final Serde<IndexSpec> specSerde = Topics.INDEXES.valueSerde();

    @Override
    public Serializer<ActiveIndexes> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            byte[][] specs = value.byId().values().stream()
                    .map(s -> specSerde.serializer().serialize(topic, s)).toArray(byte[][]::new);
            int size = 1 + 4;
            for (byte[] s : specs) {
                size += 4 + s.length;
            }
            ByteBuffer buf = ByteBuffer.allocate(size).put(VERSION).putInt(specs.length);
            for (byte[] s : specs) {
                buf.putInt(s.length).put(s);
            }
            return buf.array();
        };
    }

    @Override
    public Deserializer<ActiveIndexes> deserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            try {
                ByteBuffer buf = ByteBuffer.wrap(data);
                if (buf.get() != VERSION) {
                    throw new SerializationException("unknown ActiveIndexes version in " + topic);
                }
                int n = buf.getInt();
                Map<String, IndexSpec> byId = new TreeMap<>();
                for (int i = 0; i < n; i++) {
                    byte[] s = new byte[buf.getInt()];
                    buf.get(s);
                    IndexSpec spec = specSerde.deserializer().deserialize(topic, s);
                    byId.put(spec.getId(), spec);
                }
                return ActiveIndexes.of(byId);
            } catch (RuntimeException e) {
                throw new SerializationException("cannot read ActiveIndexes from " + topic, e);
            }
        };
    }
}
