package dev.vigil.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for a generated Avro record, using Avro single-object encoding: every value starts with
 * the marker {@code C3 01} and the 64-bit fingerprint of its writer schema, so any consumer can tell
 * which schema wrote it without a registry.
 *
 * <p>Values written with an older version of the schema decode as long as that version is listed in
 * the schema history (see {@link SchemaHistory}); the reader then resolves them to the current schema.
 * {@code null} maps to {@code null} both ways, so tombstones on compacted topics pass through.
 *
 * <p>Thread-safe: Avro's message encoder and decoder keep their buffers per thread.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final Class<T> type;
    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private AvroSerde(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
        SpecificData model = SpecificData.getForClass(type);
        this.schema = model.getSchema(type);
        TrustedTypes.trust(schema);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema, SchemaHistory.instance());
    }

    /** A serde for the generated record class {@code type}. */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        return new AvroSerde<>(type);
    }

    public Class<T> type() {
        return type;
    }

    /** The schema this serde writes and resolves to. */
    public Schema schema() {
        return schema;
    }

    /** Encodes {@code value} (single-object encoding); {@code null} stays {@code null}. */
    public byte[] encode(String topic, T value) {
        if (value == null) {
            return null;
        }
        try {
            ByteBuffer buffer = encoder.encode(value);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException | AvroRuntimeException | ClassCastException | NullPointerException e) {
            // NullPointerException: a required field was left null by the caller.
            throw new SerializationException(
                    "Cannot encode a " + type.getSimpleName() + " for topic '" + topic + "': " + e.getMessage(), e);
        }
    }

    /** Decodes {@code data}; {@code null} stays {@code null}. Garbage fails naming the topic. */
    public T decode(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return decoder.decode(data);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot decode a " + type.getSimpleName() + " from topic '" + topic
                    + "' (" + data.length + " bytes): " + describe(e), e);
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    @Override
    public Serializer<T> serializer() {
        return this::encode;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this::decode;
    }

    @Override
    public String toString() {
        return "AvroSerde[" + type.getName() + "]";
    }
}
