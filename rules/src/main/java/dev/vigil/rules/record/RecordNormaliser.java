package dev.vigil.rules.record;

import dev.vigil.schemas.alerts.Channel;
import dev.vigil.schemas.index.AudioRecord;
import dev.vigil.schemas.index.SceneRecord;
import dev.vigil.schemas.index.TranscriptRecord;
import java.util.Map;

/**
 * Turns the three Avro index records (topics {@code vigil.index.transcript}, {@code vigil.index.scene},
 * {@code vigil.index.audio}) into {@link NormalisedRecord}s. It reads nothing else and holds no state.
 *
 * <p>What each channel fills beyond the common fields:
 * <ul>
 *   <li>transcript: {@code text} and {@code transcript} are the recognised words; {@code labels} is
 *       {@code ["speech"]} when they contain a word, so "speech" means the same on transcript and
 *       audio records.</li>
 *   <li>scene_index: labels, counts, zones, motion, brightness.</li>
 *   <li>audio_index: labels, loudness, peak, and {@code transcript} from the window's transcript.</li>
 * </ul>
 * Integer counts are widened to {@code Long} (CEL 0.11 has no {@code Integer} overloads).
 */
public final class RecordNormaliser {

    private RecordNormaliser() {
    }

    /** Normalises any of the three index records. */
    public static NormalisedRecord normalise(Object indexRecord) {
        if (indexRecord instanceof TranscriptRecord t) {
            return normalise(t);
        }
        if (indexRecord instanceof SceneRecord s) {
            return normalise(s);
        }
        if (indexRecord instanceof AudioRecord a) {
            return normalise(a);
        }
        throw new IllegalArgumentException("not an index record: "
                + (indexRecord == null ? "null" : indexRecord.getClass().getName()));
    }

    public static NormalisedRecord normalise(TranscriptRecord r) {
        String text = str(r.getText());
        NormalisedRecord.Builder b = NormalisedRecord.builder(Channel.TRANSCRIPT)
                .rtstreamId(str(r.getRtstreamId()))
                .indexId(str(r.getIndexId()))
                .engine(str(r.getEngine()))
                .text(text)
                .transcript(text)
                .isFinal(r.getIsFinal())
                .confidence(r.getConfidence())
                .start(r.getStart())
                .end(r.getEnd());
        if (!TextNormaliser.words(text).isEmpty()) {
            b.label("speech");
        }
        return b.build();
    }

    public static NormalisedRecord normalise(SceneRecord r) {
        NormalisedRecord.Builder b = NormalisedRecord.builder(Channel.SCENE_INDEX)
                .rtstreamId(str(r.getRtstreamId()))
                .indexId(str(r.getIndexId()))
                .engine(str(r.getEngine()))
                .text(str(r.getText()))
                .labels(r.getLabels())
                .confidence(r.getConfidence())
                .motion(r.getMotion())
                .brightness(r.getBrightness())
                .start(r.getStart())
                .end(r.getEnd());
        if (r.getCounts() != null) {
            for (Map.Entry<String, Integer> e : r.getCounts().entrySet()) {
                b.count(String.valueOf(e.getKey()), longValue(e.getValue()));
            }
        }
        if (r.getZones() != null) {
            for (Map.Entry<String, Map<String, Integer>> zone : r.getZones().entrySet()) {
                String name = String.valueOf(zone.getKey());
                b.zone(name);
                if (zone.getValue() != null) {
                    for (Map.Entry<String, Integer> e : zone.getValue().entrySet()) {
                        b.zoneCount(name, String.valueOf(e.getKey()), longValue(e.getValue()));
                    }
                }
            }
        }
        return b.build();
    }

    public static NormalisedRecord normalise(AudioRecord r) {
        return NormalisedRecord.builder(Channel.AUDIO_INDEX)
                .rtstreamId(str(r.getRtstreamId()))
                .indexId(str(r.getIndexId()))
                .engine(str(r.getEngine()))
                .text(str(r.getText()))
                .transcript(str(r.getTranscript()))
                .labels(r.getLabels())
                .loudness(r.getLoudnessDbfs())
                .peak(r.getPeakDbfs())
                .confidence(r.getConfidence())
                .start(r.getStart())
                .end(r.getEnd())
                .build();
    }

    // Avro may hand over Utf8 instead of String when a reader schema lacks avro.java.string.
    private static String str(CharSequence value) {
        return value == null ? "" : value.toString();
    }

    private static long longValue(Number n) {
        return n == null ? 0L : n.longValue();
    }
}
