package dev.vigil.indexer.bench;

import dev.vigil.indexer.scene.FrameAnalysis;
import dev.vigil.indexer.scene.FrameAnalyzer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The vision lane's per-frame cost without Kafka: N streams of the same clip's sampled frames (JPEGs in
 * a directory, e.g. the demo clip at 2 fps: {@code ffmpeg -i warehouse.mp4 -vf fps=2 -q:v 4 f%03d.jpg}),
 * each stream starting at a different offset in the clip, analysed in capture order on one thread as a
 * lane would (the stream's frames 500 ms apart). Reports the thread CPU time per frame after a warm-up
 * pass and the people counted per frame of stream 0 (to compare detection before and after a change).
 *
 * <p>Run (from the repository root):
 * <pre>
 * mvn -B -q -pl indexer-streams -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/cp.txt -DskipTests
 * java -cp indexer-streams/target/test-classes:indexer-streams/target/classes:$(cat /tmp/cp.txt) \
 *     dev.vigil.indexer.bench.SceneAnalysisBench frames=/tmp/frames streams=8 passes=3
 * </pre>
 */
public final class SceneAnalysisBench {

    private SceneAnalysisBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>(Map.of("streams", "8", "passes", "3", "interval", "1s", "maxage", "0s"));
        for (String a : args) {
            String[] kv = a.split("=", 2);
            opts.put(kv[0], kv[1]);
        }
        List<byte[]> frames = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(opts.get("frames")))) {
            for (Path p : files.filter(p -> p.toString().endsWith(".jpg")).sorted().toList()) {
                frames.add(Files.readAllBytes(p));
            }
        }
        int streams = Integer.parseInt(opts.get("streams"));
        int passes = Integer.parseInt(opts.get("passes"));
        Duration interval = Duration.parse("PT" + opts.get("interval").toUpperCase(Locale.ROOT));
        Duration maxAge = Duration.parse("PT" + opts.get("maxage").toUpperCase(Locale.ROOT));
        FrameAnalyzer analyzer = new FrameAnalyzer(interval, maxAge);
        analyzer.warmUp();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        long step = 500;
        long t = 1_000_000_000_000L;
        StringBuilder counts = new StringBuilder();
        long cpuStart = 0;
        long wallStart = 0;
        int measured = 0;
        for (int pass = 0; pass <= passes; pass++) {
            if (pass == 1) {
                cpuStart = threads.getCurrentThreadCpuTime();
                wallStart = System.nanoTime();
            }
            for (int i = 0; i < frames.size(); i++, t += step) {
                for (int s = 0; s < streams; s++) {
                    byte[] jpeg = frames.get((i + s * 7) % frames.size());
                    FrameAnalysis a = analyzer.analyse("stream-" + s, t, jpeg);
                    if (pass >= 1) {
                        measured++;
                    }
                    if (s == 0 && pass == passes) {
                        counts.append(a.people().size()).append(a.fresh() ? "*" : "").append(' ');
                    }
                }
            }
        }
        double cpuMs = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6;
        double wallMs = (System.nanoTime() - wallStart) / 1e6;
        System.out.printf(Locale.ROOT, "SCENE-ANALYSIS frames=%d streams=%d cpu/frame=%.2f ms wall/frame=%.2f ms%n",
                measured, streams, cpuMs / measured, wallMs / measured);
        System.out.println("PEOPLE stream-0 (last pass, * = detected): " + counts);
        if (opts.containsKey("fixtures")) {
            // The hand-labelled vtest sequence of PeopleCountingTest (labels: frame 4: 6, frame 8: 7).
            FrameAnalyzer fresh = new FrameAnalyzer(Duration.ZERO);
            StringBuilder vtest = new StringBuilder();
            for (int i = 1; i <= 8; i++) {
                byte[] jpeg = Files.readAllBytes(Path.of(opts.get("fixtures"), "vtest-" + i + ".jpg"));
                vtest.append(fresh.analyse("vtest", i * 500L, jpeg).people().size()).append(' ');
            }
            System.out.println("PEOPLE vtest-1..8 (labels 4: 6, 8: 7): " + vtest);
            for (String still : new String[] {"person", "home", "building", "astronaut"}) {
                byte[] jpeg = Files.readAllBytes(Path.of(opts.get("fixtures"), still + ".jpg"));
                FrameAnalysis a = fresh.analyse(still, 0, jpeg);
                System.out.printf("PEOPLE %s %d (faces %d); labels person 1, home 0, building 0, astronaut 1 (1 face)%n",
                        still, a.people().size(), a.faces().size());
            }
        }
    }
}
