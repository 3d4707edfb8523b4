package dev.vigil.alerts.binding;

import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.AlertBinding;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of {@link StreamAlerts} for the aggregated alert table's store and its changelog (an internal
 * topic of the alert-router, not part of the public contract): a format byte, a hash of the rest, the
 * number of alerts, then each alert as a length-prefixed {@link AlertBinding} in the Avro
 * single-object encoding of {@code vigil.alerts}, so an alert written under an older schema version
 * still decodes.
 *
 * <p>The join reads its stream's value for every index record, and a store hands out a fresh copy of
 * the bytes each time: decoding ten alerts costs more than evaluating them. So the deserializer keeps,
 * per thread, the last {@value #CACHE_SIZE} decoded values, found by the stored hash (computed once,
 * when the value is written) and confirmed by comparing the bytes: values are immutable, and equal
 * bytes decode to equal values.
 */
public final class StreamAlertsSerde implements Serde<StreamAlerts> {

    static final int CACHE_SIZE = 1_024;
    private static final byte FORMAT_V1 = 1;
    private static final int HEADER = 1 + Integer.BYTES;
    private static final String TOPIC = "alert-router.alerts-by-rtstream";

    private record Decoded(byte[] bytes, StreamAlerts alerts) {
    }

    // Per thread: stream threads never contend, and each one only sees its own tasks' streams.
    private final ThreadLocal<Map<Integer, Decoded>> decoded = ThreadLocal.withInitial(() ->
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Integer, Decoded> eldest) {
                    return size() > CACHE_SIZE;
                }
            });

    @Override
    public Serializer<StreamAlerts> serializer() {
        return (topic, alerts) -> alerts == null ? null : encode(alerts);
    }

    @Override
    public Deserializer<StreamAlerts> deserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            if (data.length < HEADER) {
                throw new SerializationException("truncated StreamAlerts value");
            }
            Map<Integer, Decoded> cache = decoded.get();
            int hash = ByteBuffer.wrap(data).getInt(1);
            Decoded hit = cache.get(hash);
            if (hit != null && Arrays.equals(hit.bytes(), data)) {
                return hit.alerts();
            }
            StreamAlerts alerts = decode(data);
            cache.put(hash, new Decoded(data.clone(), alerts)); // a copy: the caller owns data
            return alerts;
        };
    }

    static byte[] encode(StreamAlerts alerts) {
        List<byte[]> encoded = new ArrayList<>(alerts.size());
        int size = HEADER + Integer.BYTES;
        for (AlertBinding alert : alerts.all()) {
            byte[] bytes = Topics.ALERTS.valueSerde().serializer().serialize(TOPIC, alert);
            encoded.add(bytes);
            size += Integer.BYTES + bytes.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size).put(FORMAT_V1).putInt(0).putInt(encoded.size());
        encoded.forEach(bytes -> buffer.putInt(bytes.length).put(bytes));
        byte[] out = buffer.array();
        int hash = Arrays.hashCode(Arrays.copyOfRange(out, HEADER, out.length));
        ByteBuffer.wrap(out).putInt(1, hash);
        return out;
    }

    static StreamAlerts decode(byte[] data) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(data);
            byte format = buffer.get();
            if (format != FORMAT_V1) {
                throw new SerializationException("unknown StreamAlerts format " + format);
            }
            buffer.getInt(); // the hash, only used by the cache
            int count = buffer.getInt();
            if (count < 0 || count > buffer.remaining() / Integer.BYTES) {
                throw new SerializationException("bad StreamAlerts alert count " + count);
            }
            List<AlertBinding> alerts = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] bytes = new byte[buffer.getInt()];
                buffer.get(bytes);
                alerts.add(Topics.ALERTS.valueSerde().deserializer().deserialize(TOPIC, bytes));
            }
            return StreamAlerts.of(alerts);
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new SerializationException("truncated StreamAlerts value", e);
        }
    }
}
