package dev.vigil.indexer.scene;

import dev.vigil.indexer.spec.SceneSettings;
import dev.vigil.indexer.spec.Zone;
import dev.vigil.schemas.index.Detection;
import dev.vigil.schemas.index.SceneRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a closed window's frame analyses into a {@link SceneRecord}: counts are the maximum over the
 * window's frames, motion the largest moving fraction, brightness the mean, and the labels and the
 * description sentence follow the thresholds the rules vocabulary uses (rules/DESIGN.md).
 */
public final class SceneSummary {

    public static final String ENGINE = "opencv";
    /** rules: "motion" compiles to {@code motion >= 0.02}. */
    static final double MOTION = 0.02;
    /** rules: "dark" compiles to {@code brightness < 0.15}. */
    static final double DARK = 0.15;
    /** rules: "covered" compiles to {@code "covered" in labels || brightness < 0.03}. */
    static final double COVERED_BRIGHTNESS = 0.03;
    /** A hand or tape on the lens: almost uniform (low contrast) and no edges (low Laplacian variance). */
    static final double COVERED_CONTRAST = 0.035;
    static final double COVERED_SHARPNESS = 15;
    static final double BLURRY_SHARPNESS = 20;

    private SceneSummary() {
    }

    public static SceneRecord summarise(SceneWindow w, SceneSettings settings, long captureTs, long emitTs) {
        List<FrameAnalysis> frames = w.analyses;
        int people = 0;
        int faces = 0;
        double motion = 0;
        double brightness = 0;
        int covered = 0;
        int blurry = 0;
        double bestScore = 0;
        Map<String, Map<String, Integer>> zones = new TreeMap<>();
        for (Zone z : settings.zones()) {
            zones.put(z.key(), new LinkedHashMap<>(Map.of("people", 0, "faces", 0)));
        }
        for (FrameAnalysis f : frames) {
            people = Math.max(people, f.people().size());
            faces = Math.max(faces, f.faces().size());
            motion = Math.max(motion, f.motion());
            brightness += f.brightness();
            boolean isCovered = f.brightness() < COVERED_BRIGHTNESS
                    || (f.contrast() < COVERED_CONTRAST && f.sharpness() < COVERED_SHARPNESS);
            covered += isCovered ? 1 : 0;
            blurry += !isCovered && f.sharpness() < BLURRY_SHARPNESS ? 1 : 0;
            for (Box b : f.people()) {
                bestScore = Math.max(bestScore, b.score());
            }
            for (Zone z : settings.zones()) {
                Map<String, Integer> counts = zones.get(z.key());
                int zp = (int) f.people().stream().filter(b -> z.contains(b.footX(), b.footY(), f.width(), f.height())).count();
                int zf = (int) f.faces().stream().filter(b -> z.contains(b.centreX(), b.centreY(), f.width(), f.height())).count();
                counts.merge("people", zp, Math::max);
                counts.merge("faces", zf, Math::max);
            }
        }
        brightness = frames.isEmpty() ? 0 : brightness / frames.size();
        boolean isCovered = !frames.isEmpty() && covered * 2 > frames.size();

        List<String> labels = new ArrayList<>();
        if (motion >= MOTION) {
            labels.add("motion");
        }
        if (people > 0) {
            labels.add("person");
        }
        if (faces > 0) {
            labels.add("face");
        }
        if (!frames.isEmpty() && brightness < DARK) {
            labels.add("dark");
        }
        if (isCovered) {
            labels.add("covered");
        } else if (!frames.isEmpty() && blurry * 2 > frames.size()) {
            labels.add("blurry");
        }
        FrameAnalysis key = keyFrame(frames);
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("people", people);
        counts.put("faces", faces);
        double confidence = frames.isEmpty() ? 0.0 : people > 0 ? 1 - Math.exp(-bestScore) : 0.8;
        return SceneRecord.newBuilder()
                .setRtstreamId(w.rtstreamId)
                .setCollectionId(w.collectionId)
                .setIndexId(w.indexId)
                .setStart(Instant.ofEpochMilli(w.start))
                .setEnd(Instant.ofEpochMilli(w.end))
                .setText(describe(frames.size(), people, faces, motion, brightness, isCovered, zones))
                .setLabels(labels)
                .setCounts(counts)
                .setZones(new LinkedHashMap<>(zones))
                .setMotion(round(motion))
                .setBrightness(round(brightness))
                .setFrameCount(frames.size())
                .setConfidence(round(confidence))
                .setEngine(ENGINE)
                .setCaptureTs(Instant.ofEpochMilli(captureTs))
                .setEmitTs(Instant.ofEpochMilli(emitTs))
                .setKeyFrameTs(key == null ? null : Instant.ofEpochMilli(key.captureTs()))
                .setDetections(key == null ? null : detections(key))
                .build();
    }

    /** The frame alert snapshots show: the most detections, the latest on a tie; null without frames. */
    static FrameAnalysis keyFrame(List<FrameAnalysis> frames) {
        FrameAnalysis key = null;
        for (FrameAnalysis f : frames) {
            if (key == null || f.people().size() + f.faces().size() >= key.people().size() + key.faces().size()) {
                key = f;
            }
        }
        return key;
    }

    private static List<Detection> detections(FrameAnalysis frame) {
        List<Detection> out = new ArrayList<>();
        frame.people().forEach(b -> out.add(detection("person", b)));
        frame.faces().forEach(b -> out.add(detection("face", b)));
        return out;
    }

    private static Detection detection(String label, Box b) {
        return Detection.newBuilder().setLabel(label).setX(b.x()).setY(b.y()).setW(b.w()).setH(b.h())
                .setScore(b.score()).build();
    }

    /** "2 people, 1 face, motion in 12% of the picture; in loading_dock: 1 person". */
    static String describe(int frames, int people, int faces, double motion, double brightness, boolean covered,
            Map<String, Map<String, Integer>> zones) {
        if (frames == 0) {
            return "No frame analysed.";
        }
        if (covered) {
            return "Camera covered or blacked out.";
        }
        List<String> parts = new ArrayList<>();
        parts.add(people == 0 ? "no people" : plural(people, "person", "people"));
        if (faces > 0) {
            parts.add(plural(faces, "face", "faces"));
        }
        parts.add(motion >= MOTION
                ? String.format(Locale.ROOT, "motion in %d%% of the picture", Math.max(2, Math.round(motion * 100)))
                : "no motion");
        if (brightness < DARK) {
            parts.add("dark");
        }
        StringBuilder text = new StringBuilder(String.join(", ", parts));
        zones.forEach((zone, counts) -> {
            int p = counts.getOrDefault("people", 0);
            if (p > 0) {
                text.append("; in ").append(zone).append(": ").append(plural(p, "person", "people"));
            }
        });
        text.setCharAt(0, Character.toUpperCase(text.charAt(0)));
        return text.append('.').toString();
    }

    private static String plural(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
