package dev.vigil.rules;

import dev.vigil.rules.record.NormalisedRecord;
import dev.vigil.rules.record.RecordNormaliser;
import dev.vigil.schemas.index.AudioRecord;
import dev.vigil.schemas.index.SceneRecord;
import dev.vigil.schemas.index.TranscriptRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test fixture: real Avro index records (as the indexers write them), with terse builders, and
 * their normalised form. Every record starts neutral: no labels, no counts, mid brightness.
 */
public final class IndexRecords {

    public static final Instant START = Instant.parse("2026-03-01T23:15:00Z");

    private IndexRecords() {
    }

    public static Scene scene() {
        return new Scene();
    }

    public static Audio audio() {
        return new Audio();
    }

    public static TranscriptRecord transcript(String text) {
        return transcript(text, true);
    }

    public static TranscriptRecord transcript(String text, boolean isFinal) {
        return TranscriptRecord.newBuilder()
                .setRtstreamId("rts-0001").setCollectionId("default").setIndexId("00000000000000t1")
                .setStart(START).setEnd(START.plusMillis(1_500))
                .setText(text).setIsFinal(isFinal).setConfidence(0.9).setEngine("test")
                .setCaptureTs(START).setEmitTs(START)
                .build();
    }

    /** Normalises a record built here (or any Avro index record, or a builder of this class). */
    public static NormalisedRecord normalised(Object record) {
        if (record instanceof Scene s) {
            return RecordNormaliser.normalise(s.build());
        }
        if (record instanceof Audio a) {
            return RecordNormaliser.normalise(a.build());
        }
        return RecordNormaliser.normalise(record);
    }

    /** A SceneRecord in the making. */
    public static final class Scene {
        private final List<String> labels = new ArrayList<>();
        private final Map<String, Integer> counts = new LinkedHashMap<>();
        private final Map<String, Map<String, Integer>> zones = new LinkedHashMap<>();
        private double motion;
        private double brightness = 0.5;
        private String text = "scene";

        public Scene people(int n) {
            return count("people", n);
        }

        public Scene faces(int n) {
            return count("faces", n);
        }

        public Scene count(String key, int n) {
            counts.put(key, n);
            return this;
        }

        public Scene zone(String zone, String key, int n) {
            zones.computeIfAbsent(zone, z -> new LinkedHashMap<>()).put(key, n);
            return this;
        }

        public Scene emptyZone(String zone) {
            zones.computeIfAbsent(zone, z -> new LinkedHashMap<>());
            return this;
        }

        public Scene labels(String... values) {
            labels.addAll(List.of(values));
            return this;
        }

        public Scene motion(double value) {
            motion = value;
            return this;
        }

        public Scene brightness(double value) {
            brightness = value;
            return this;
        }

        public Scene text(String value) {
            text = value;
            return this;
        }

        public SceneRecord build() {
            return SceneRecord.newBuilder()
                    .setRtstreamId("rts-0001").setCollectionId("default").setIndexId("00000000000000s1")
                    .setStart(START).setEnd(START.plusSeconds(2))
                    .setText(text).setLabels(labels).setCounts(counts).setZones(zones)
                    .setMotion(motion).setBrightness(brightness).setFrameCount(5)
                    .setConfidence(0.8).setEngine("test").setCaptureTs(START).setEmitTs(START)
                    .build();
        }

        @Override
        public String toString() {
            return "scene" + counts + zones + labels + " motion=" + motion + " brightness=" + brightness;
        }
    }

    /** An AudioRecord in the making. */
    public static final class Audio {
        private final List<String> labels = new ArrayList<>();
        private double loudness = -45.0;
        private double peak = -30.0;
        private String transcript;
        private String text = "audio";

        public Audio labels(String... values) {
            labels.addAll(List.of(values));
            return this;
        }

        public Audio loudness(double dbfs) {
            loudness = dbfs;
            return this;
        }

        public Audio peak(double dbfs) {
            peak = dbfs;
            return this;
        }

        public Audio transcript(String value) {
            transcript = value;
            return this;
        }

        public Audio text(String value) {
            text = value;
            return this;
        }

        public AudioRecord build() {
            return AudioRecord.newBuilder()
                    .setRtstreamId("rts-0001").setCollectionId("default").setIndexId("00000000000000a1")
                    .setStart(START).setEnd(START.plusSeconds(1))
                    .setText(text).setLabels(labels).setLoudnessDbfs(loudness).setPeakDbfs(peak)
                    .setTranscript(transcript).setConfidence(0.7).setEngine("test")
                    .setCaptureTs(START).setEmitTs(START)
                    .build();
        }

        @Override
        public String toString() {
            return "audio" + labels + " loudness=" + loudness + " transcript=" + transcript;
        }
    }
}
