package dev.vigil.rules.record;

import com.google.protobuf.Timestamp;
import dev.cel.runtime.CelVariableResolver;
import dev.vigil.schemas.alerts.Channel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one input shape a condition sees, whichever index produced the record: a transcript utterance,
 * a scene window or an audio window, reduced to the variables listed in {@link RecordVariable} (and
 * in {@code rules/DESIGN.md}, the user-facing reference of what a {@code condition} can use).
 *
 * <p>Built by {@link RecordNormaliser} from the Avro index records, or by {@link #builder(Channel)}.
 * Every variable is always present and has the Java type CEL expects ({@code Long} not
 * {@code Integer}, {@code List} not arrays, protobuf {@code Timestamp} not {@code Instant}), because
 * CEL 0.11 reports a missing variable, a missing map key or an {@code Integer} as an evaluation
 * error rather than {@code false}. {@code counts} and every zone's map hold {@link #DEFAULT_COUNT_KEYS}
 * with 0 for the same reason.
 *
 * <p>Immutable and thread-safe. The variable map is built once, so evaluating many conditions
 * against one record (the alert-router's case) pays the normalisation once.
 */
public final class NormalisedRecord {

    /** Count keys present in {@code counts} and in every zone, 0 when the engine did not report them. */
    public static final List<String> DEFAULT_COUNT_KEYS = List.of("people", "faces", "vehicles", "animals", "objects");

    /** Level reported for "no sound" and on channels that do not measure sound, dBFS. */
    public static final double SILENT_DBFS = -90.0;

    private final Channel channel;
    private final String text;
    private final String transcript;
    private final List<String> labels;
    private final Map<String, Long> counts;
    private final Map<String, Map<String, Long>> zones;
    private final Map<String, Optional<Object>> variables;
    private final CelVariableResolver resolver;

    private NormalisedRecord(Builder b) {
        this.channel = b.channel;
        this.text = b.text;
        this.transcript = b.transcript;
        this.labels = List.copyOf(b.labels);
        this.counts = withDefaults(b.counts);
        Map<String, Map<String, Long>> z = new LinkedHashMap<>();
        b.zones.forEach((zone, zoneCounts) -> z.put(zone, withDefaults(zoneCounts)));
        this.zones = Collections.unmodifiableMap(z);

        Map<RecordVariable, Object> values = new EnumMap<>(RecordVariable.class);
        values.put(RecordVariable.CHANNEL, wireName(channel));
        values.put(RecordVariable.RTSTREAM_ID, b.rtstreamId);
        values.put(RecordVariable.INDEX_ID, b.indexId);
        values.put(RecordVariable.ENGINE, b.engine);
        values.put(RecordVariable.TEXT, text);
        values.put(RecordVariable.TEXT_NORM, TextNormaliser.normalise(text));
        values.put(RecordVariable.TRANSCRIPT, transcript);
        values.put(RecordVariable.TRANSCRIPT_NORM, TextNormaliser.normalise(transcript));
        values.put(RecordVariable.IS_FINAL, b.isFinal);
        values.put(RecordVariable.LABELS, labels);
        values.put(RecordVariable.COUNTS, counts);
        values.put(RecordVariable.ZONES, zones);
        values.put(RecordVariable.CONFIDENCE, b.confidence);
        values.put(RecordVariable.LOUDNESS, b.loudness);
        values.put(RecordVariable.PEAK, b.peak);
        values.put(RecordVariable.MOTION, b.motion);
        values.put(RecordVariable.BRIGHTNESS, b.brightness);
        values.put(RecordVariable.DURATION_S, Duration.between(b.start, b.end).toMillis() / 1000.0);
        values.put(RecordVariable.START, timestamp(b.start));
        values.put(RecordVariable.END, timestamp(b.end));

        // Optionals are created once here: CEL asks the resolver for each variable it reads, on
        // every evaluation, and this keeps that lookup allocation-free.
        Map<String, Optional<Object>> vars = new HashMap<>();
        values.forEach((v, value) -> vars.put(v.celName(), Optional.of(value)));
        this.variables = Collections.unmodifiableMap(vars);
        this.resolver = name -> variables.getOrDefault(name, Optional.empty());
    }

    /** A builder for records of {@code channel}; every field starts at its neutral default. */
    public static Builder builder(Channel channel) {
        return new Builder(channel);
    }

    /** The value of {@code channel} for records of this kind: {@code transcript}, {@code scene_index}, {@code audio_index}. */
    public static String wireName(Channel channel) {
        return channel.name().toLowerCase(Locale.ROOT);
    }

    public Channel channel() {
        return channel;
    }

    /** The original text, for notifications and for an LLM judge. */
    public String text() {
        return text;
    }

    /** The spoken words of the record, {@code ""} when none. */
    public String transcript() {
        return transcript;
    }

    public List<String> labels() {
        return labels;
    }

    public Map<String, Long> counts() {
        return counts;
    }

    public Map<String, Map<String, Long>> zones() {
        return zones;
    }

    /** The value a condition sees for {@code variable}. */
    public Object value(RecordVariable variable) {
        return variables.get(variable.celName()).orElseThrow();
    }

    /** The variables as CEL reads them (see {@link dev.vigil.rules.cel.Condition}). */
    public CelVariableResolver resolver() {
        return resolver;
    }

    @Override
    public String toString() {
        Map<String, Object> shown = new LinkedHashMap<>();
        for (RecordVariable v : RecordVariable.values()) {
            shown.put(v.celName(), value(v));
        }
        return "NormalisedRecord" + shown;
    }

    private static Map<String, Long> withDefaults(Map<String, Long> reported) {
        Map<String, Long> all = new LinkedHashMap<>();
        for (String key : DEFAULT_COUNT_KEYS) {
            all.put(key, 0L);
        }
        all.putAll(reported);
        return Collections.unmodifiableMap(all);
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    /** Collects the fields of a {@link NormalisedRecord}; keys and labels are lower-cased here. */
    public static final class Builder {
        private final Channel channel;
        private String rtstreamId = "";
        private String indexId = "";
        private String engine = "";
        private String text = "";
        private String transcript = "";
        private boolean isFinal = true;
        private final List<String> labels = new ArrayList<>();
        private final Map<String, Long> counts = new LinkedHashMap<>();
        private final Map<String, Map<String, Long>> zones = new LinkedHashMap<>();
        private double confidence;
        private double loudness = SILENT_DBFS;
        private double peak = SILENT_DBFS;
        private double motion;
        private double brightness;
        private Instant start = Instant.EPOCH;
        private Instant end = Instant.EPOCH;

        private Builder(Channel channel) {
            this.channel = Objects.requireNonNull(channel, "channel");
        }

        public Builder rtstreamId(String value) {
            this.rtstreamId = nonNull(value);
            return this;
        }

        public Builder indexId(String value) {
            this.indexId = nonNull(value);
            return this;
        }

        public Builder engine(String value) {
            this.engine = nonNull(value);
            return this;
        }

        public Builder text(String value) {
            this.text = nonNull(value);
            return this;
        }

        public Builder transcript(String value) {
            this.transcript = nonNull(value);
            return this;
        }

        public Builder isFinal(boolean value) {
            this.isFinal = value;
            return this;
        }

        /** Adds a label, lower-cased and trimmed; blank labels are dropped. */
        public Builder label(String label) {
            if (label != null && !label.isBlank()) {
                String l = label.trim().toLowerCase(Locale.ROOT);
                if (!labels.contains(l)) {
                    labels.add(l);
                }
            }
            return this;
        }

        public Builder labels(Iterable<? extends CharSequence> values) {
            if (values != null) {
                values.forEach(l -> label(l == null ? null : l.toString()));
            }
            return this;
        }

        /** Sets a count; the key is lower-cased, so "People" and "people" are one key. */
        public Builder count(String key, long value) {
            counts.put(countKey(key), value);
            return this;
        }

        /** Sets a zone's count; the zone name becomes its {@link TextNormaliser#zoneKey zone key}. */
        public Builder zoneCount(String zone, String key, long value) {
            String zoneKey = TextNormaliser.zoneKey(zone);
            if (!zoneKey.isEmpty()) {
                zones.computeIfAbsent(zoneKey, z -> new LinkedHashMap<>()).put(countKey(key), value);
            }
            return this;
        }

        /** Declares a zone even if nothing was counted in it (all its counts are then 0). */
        public Builder zone(String zone) {
            String zoneKey = TextNormaliser.zoneKey(zone);
            if (!zoneKey.isEmpty()) {
                zones.computeIfAbsent(zoneKey, z -> new LinkedHashMap<>());
            }
            return this;
        }

        public Builder confidence(double value) {
            this.confidence = value;
            return this;
        }

        public Builder loudness(double dbfs) {
            this.loudness = dbfs;
            return this;
        }

        public Builder peak(double dbfs) {
            this.peak = dbfs;
            return this;
        }

        public Builder motion(double value) {
            this.motion = value;
            return this;
        }

        public Builder brightness(double value) {
            this.brightness = value;
            return this;
        }

        public Builder start(Instant value) {
            this.start = Objects.requireNonNull(value, "start");
            return this;
        }

        public Builder end(Instant value) {
            this.end = Objects.requireNonNull(value, "end");
            return this;
        }

        public NormalisedRecord build() {
            return new NormalisedRecord(this);
        }

        private static String nonNull(String value) {
            return value == null ? "" : value;
        }

        private static String countKey(String key) {
            return key.trim().toLowerCase(Locale.ROOT);
        }
    }
}
