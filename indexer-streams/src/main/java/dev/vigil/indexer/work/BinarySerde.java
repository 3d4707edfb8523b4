package dev.vigil.indexer.work;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A serde for the indexer's own state-store values, written field by field with Data streams after
 * a version byte. Store values are private to the indexer (changelogs only), so a compact hand-written
 * format is simpler than declaring Avro schemas for them.
 */
public final class BinarySerde<T> implements Serde<T> {

    /** Writes one value's fields. */
    public interface Writer<T> {
        void write(DataOutputStream out, T value) throws IOException;
    }

    /** Reads one value's fields. */
    public interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private final String type;
    private final byte version;
    private final Writer<T> writer;
    private final Reader<T> reader;

    public BinarySerde(String type, int version, Writer<T> writer, Reader<T> reader) {
        this.type = type;
        this.version = (byte) version;
        this.writer = writer;
        this.reader = reader;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(128); DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(version);
                writer.write(out, value);
                out.flush();
                return bytes.toByteArray();
            } catch (IOException e) {
                throw new SerializationException("cannot write " + type + " for " + topic, e);
            }
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
                byte v = in.readByte();
                if (v != version) {
                    throw new SerializationException("unknown " + type + " version " + v + " in " + topic);
                }
                return reader.read(in);
            } catch (IOException e) {
                throw new SerializationException("cannot read " + type + " from " + topic, e);
            }
        };
    }
}
