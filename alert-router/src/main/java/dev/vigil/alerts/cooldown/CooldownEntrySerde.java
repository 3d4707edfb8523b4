package dev.vigil.alerts.cooldown;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of {@link CooldownEntry} for the {@code alert-cooldown} store and its changelog (an internal
 * topic of the alert-router): a format byte, the firing time, the cooldown and the notification id.
 */
public final class CooldownEntrySerde implements Serde<CooldownEntry> {

    private static final byte FORMAT_V1 = 1;

    @Override
    public Serializer<CooldownEntry> serializer() {
        return (topic, entry) -> {
            if (entry == null) {
                return null;
            }
            byte[] id = entry.notificationId().getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(1 + 2 * Long.BYTES + id.length)
                    .put(FORMAT_V1).putLong(entry.firedAt()).putLong(entry.cooldownMillis()).put(id)
                    .array();
        };
    }

    @Override
    public Deserializer<CooldownEntry> deserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            try {
                ByteBuffer buffer = ByteBuffer.wrap(data);
                byte format = buffer.get();
                if (format != FORMAT_V1) {
                    throw new SerializationException("unknown cooldown entry format " + format);
                }
                long firedAt = buffer.getLong();
                long cooldown = buffer.getLong();
                String id = new String(data, buffer.position(), buffer.remaining(), StandardCharsets.UTF_8);
                return new CooldownEntry(firedAt, cooldown, id);
            } catch (BufferUnderflowException e) {
                throw new SerializationException("truncated cooldown entry", e);
            }
        };
    }
}
