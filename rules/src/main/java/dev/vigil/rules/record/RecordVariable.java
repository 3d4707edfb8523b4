package dev.vigil.rules.record;

import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;

/**
 * The variables a condition can use: one per field of {@link NormalisedRecord}, with its CEL type
 * and its user-facing description. This enum is the single source for the CEL declarations
 * ({@code dev.vigil.rules.cel.RuleEnvironment}) and for the record's activation map, so the two can
 * never disagree; {@code rules/DESIGN.md} renders the same table for users.
 */
public enum RecordVariable {
    CHANNEL("channel", SimpleType.STRING,
            "\"transcript\", \"scene_index\" or \"audio_index\": the kind of index that produced the record."),
    RTSTREAM_ID("rtstream_id", SimpleType.STRING, "Stream the record is about."),
    INDEX_ID("index_id", SimpleType.STRING, "Index that produced the record."),
    ENGINE("engine", SimpleType.STRING, "Engine that produced the record."),
    TEXT("text", SimpleType.STRING,
            "The record's text as produced: transcript words, scene description or audio description."),
    TEXT_NORM("text_norm", SimpleType.STRING,
            "text lower-cased, punctuation removed, words separated by single spaces and padded with one "
                    + "space at each end (\" help me \"), or \"\" when it has no words."),
    TRANSCRIPT("transcript", SimpleType.STRING,
            "Spoken words: text on transcript records, the window's transcript on audio_index records "
                    + "(\"\" when none), \"\" on scene_index records."),
    TRANSCRIPT_NORM("transcript_norm", SimpleType.STRING, "transcript normalised like text_norm."),
    IS_FINAL("is_final", SimpleType.BOOL,
            "False for an interim transcript hypothesis that a later record replaces; true otherwise."),
    LABELS("labels", ListType.create(SimpleType.STRING),
            "Lower-case labels. scene_index: e.g. motion, person, face, dark, covered. audio_index: silence, "
                    + "speech, music, tonal, alarm, noise, impulse. transcript: [\"speech\"] when text has words."),
    COUNTS("counts", MapType.create(SimpleType.STRING, SimpleType.INT),
            "Object counts by lower-case label (scene_index). Always holds people, faces, vehicles, animals "
                    + "and objects (0 when not detected); other keys only when the engine reports them."),
    ZONES("zones", MapType.create(SimpleType.STRING, MapType.create(SimpleType.STRING, SimpleType.INT)),
            "Per zone (key as in zone names, lower case, words joined by _), counts by label like counts, "
                    + "with the same default keys. A zone the engine does not report is absent: test "
                    + "\"dock\" in zones first."),
    CONFIDENCE("confidence", SimpleType.DOUBLE, "Engine confidence in [0, 1]."),
    LOUDNESS("loudness", SimpleType.DOUBLE,
            "RMS level of the window in dBFS (audio_index); -90.0 on other channels."),
    PEAK("peak", SimpleType.DOUBLE, "Peak level of the window in dBFS (audio_index); -90.0 on other channels."),
    MOTION("motion", SimpleType.DOUBLE,
            "Fraction of the picture that moved, in [0, 1] (scene_index); 0.0 on other channels."),
    BRIGHTNESS("brightness", SimpleType.DOUBLE,
            "Mean luma in [0, 1] (scene_index); 0.0 on other channels, so guard it with channel."),
    DURATION_S("duration_s", SimpleType.DOUBLE, "end - start, in seconds."),
    START("start", SimpleType.TIMESTAMP,
            "Start of the covered media (e.g. start.getHours(\"Europe/Paris\") >= 22)."),
    END("end", SimpleType.TIMESTAMP, "End of the covered media.");

    private final String celName;
    private final CelType type;
    private final String description;

    RecordVariable(String celName, CelType type, String description) {
        this.celName = celName;
        this.type = type;
        this.description = description;
    }

    /** The identifier used in conditions. */
    public String celName() {
        return celName;
    }

    /** The declared CEL type; the record's value always has the matching Java type. */
    public CelType type() {
        return type;
    }

    /** One sentence for users. */
    public String description() {
        return description;
    }
}
