package dev.vigil.schemas;

import dev.vigil.schemas.serde.AvroSerde;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One Vigil topic: its name below the configurable prefix, key and value serdes, and the defaults the
 * topic bootstrap creates it with. Immutable; the full set is {@link Topics#ALL}.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class TopicDef<K, V> {

    private final String suffix;
    private final TopicGroup group;
    private final Serde<K> keySerde;
    private final AvroSerde<? extends SpecificRecord> avroValueSerde;
    private final Serde<V> valueSerde;
    private final CleanupPolicy cleanupPolicy;
    private final Duration retention;
    private final int partitions;
    private final String doc;

    private TopicDef(String suffix, TopicGroup group, Serde<K> keySerde, AvroSerde<?> avroValueSerde, Serde<V> valueSerde,
            CleanupPolicy cleanupPolicy, Duration retention, int partitions, String doc) {
        if (!suffix.matches("[a-z0-9][a-z0-9._-]*")) {
            throw new IllegalArgumentException("bad topic suffix: " + suffix);
        }
        this.suffix = suffix;
        this.group = Objects.requireNonNull(group);
        this.keySerde = Objects.requireNonNull(keySerde);
        this.avroValueSerde = avroValueSerde;
        this.valueSerde = Objects.requireNonNull(valueSerde);
        this.cleanupPolicy = Objects.requireNonNull(cleanupPolicy);
        this.retention = retention;
        this.partitions = partitions;
        this.doc = doc;
    }

    /** A compacted topic keyed by string id: the latest value per key is kept forever. */
    static <V extends SpecificRecord> TopicDef<String, V> compacted(String suffix, Class<V> valueType, int partitions, String doc) {
        AvroSerde<V> serde = AvroSerde.of(valueType);
        return new TopicDef<>(suffix, TopicGroup.CONTROL, Serdes.String(), serde, serde, CleanupPolicy.COMPACT, null, partitions, doc);
    }

    /** A data topic keyed by string id whose records are deleted after {@code retention}. */
    static <V extends SpecificRecord> TopicDef<String, V> retained(String suffix, TopicGroup group, Class<V> valueType,
            Duration retention, int partitions, String doc) {
        AvroSerde<V> serde = AvroSerde.of(valueType);
        return new TopicDef<>(suffix, group, Serdes.String(), serde, serde, CleanupPolicy.DELETE,
                Objects.requireNonNull(retention), partitions, doc);
    }

    /** The topic name under {@code prefix}, e.g. {@code vigil.} + {@code media.frames}. */
    public String name(String prefix) {
        return prefix + suffix;
    }

    /** The name without prefix, e.g. {@code media.frames}. */
    public String suffix() {
        return suffix;
    }

    /** The family of the topic, which decides its retention settings. */
    public TopicGroup group() {
        return group;
    }

    public Serde<K> keySerde() {
        return keySerde;
    }

    public Serde<V> valueSerde() {
        return valueSerde;
    }

    /** The Avro serde of the value, with its schema. */
    public AvroSerde<? extends SpecificRecord> avroValueSerde() {
        return avroValueSerde;
    }

    public CleanupPolicy cleanupPolicy() {
        return cleanupPolicy;
    }

    /** How long records are kept; empty for compacted topics, which keep the latest value per key. */
    public Optional<Duration> retention() {
        return Optional.ofNullable(retention);
    }

    /** Default partition count; config may override it. */
    public int partitions() {
        return partitions;
    }

    /** What the topic holds. */
    public String doc() {
        return doc;
    }

    @Override
    public String toString() {
        return "TopicDef[" + suffix + ", " + cleanupPolicy + ", " + avroValueSerde.type().getSimpleName() + "]";
    }
}
