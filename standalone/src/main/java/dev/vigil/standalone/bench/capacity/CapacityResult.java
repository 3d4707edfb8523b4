package dev.vigil.standalone.bench.capacity;

import dev.vigil.standalone.bench.Latencies;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What one capacity run with {@code streams} streams measured, and whether it meets the targets.
 *
 * @param mode            ingest only and/or recorded
 * @param due             sampled frames and audio chunks owed in real time over the measurement
 * @param sceneP95BySlice scene p95 of each consecutive slice of the measurement (growth shows here)
 * @param backlog         vision/speech lane backlog sampled during the measurement, {time s, vision, speech}
 * @param repeatedRecords records that arrived again for a window already received (not counted twice)
 * @param heapAfterGc     heap used after a full GC, sampled every minute in a soak and once at the end
 */
record CapacityResult(int streams, Duration measured, String source, CapacityOptions.Mode mode, Due due,
        String loadBefore, String loadAfter,
        ThreadGroups.Usage cpu, Latencies scene, Latencies transcript, Latencies audio, List<Long> sceneP95BySlice,
        long sceneWindows, long sceneWindowsDue, long repeatedRecords, Media media, List<long[]> backlog, List<long[]> heapAfterGc,
        long rssBytes, long heapMaxBytes) {

    /** Target p95 latencies of the issue, for a 2-core machine with the embedded broker. */
    static final long SCENE_P95_TARGET_MS = 1_000;
    static final long TRANSCRIPT_P95_TARGET_MS = 1_500;
    /** Below this share of the scene windows due, the latencies describe the windows that made it, not the streams. */
    static final double MIN_SCENE_WINDOW_SHARE = 0.9;
    /**
     * Ingest only, "in real time": at least this share of the frames and audio chunks due written (the
     * rest is the edges of the measurement), none dropped, and no paced read more than 1 s after its due
     * time (a growing backlog; lateness is recorded per picture read, sampled or not, so it is not
     * compared with the frames written).
     */
    static final double MIN_MEDIA_SHARE = 0.98;

    /** Sampled frames and audio chunks that real time asks for over the measurement. */
    record Due(long frames, long chunks) {
    }

    /** Frame counters, as deltas over the measurement, from the services' own metrics. */
    record Media(long framesProduced, long framesDropped, long framesReadLate, long readsOverOneSecondLate,
            long chunksProduced, long chunksDropped,
            long indexerFramesLate, long indexerStale, long laneJobsDropped, long segmentsStored, long bytesStored,
            long segmentsDropped, long storeFailures) {
    }

    /** Every target this run misses, with the figure; empty when it meets them all. */
    List<String> violations() {
        return mode.ingestOnly() ? ingestViolations() : indexingViolations();
    }

    private List<String> ingestViolations() {
        List<String> misses = new ArrayList<>();
        if (media.framesProduced() < MIN_MEDIA_SHARE * due.frames()) {
            misses.add(String.format(Locale.ROOT, "only %d of %d frames due written (%.0f %%)", media.framesProduced(),
                    due.frames(), share(media.framesProduced(), due.frames())));
        }
        if (media.chunksProduced() < MIN_MEDIA_SHARE * due.chunks()) {
            misses.add(String.format(Locale.ROOT, "only %d of %d audio chunks due written (%.0f %%)", media.chunksProduced(),
                    due.chunks(), share(media.chunksProduced(), due.chunks())));
        }
        if (media.framesDropped() + media.chunksDropped() > 0) {
            misses.add(media.framesDropped() + " frames and " + media.chunksDropped() + " audio chunks dropped");
        }
        if (media.readsOverOneSecondLate() > 0) {
            misses.add(media.readsOverOneSecondLate() + " paced reads more than 1 s late");
        }
        return misses;
    }

    private static double share(long part, long whole) {
        return whole == 0 ? 0.0 : 100.0 * part / whole;
    }

    private List<String> indexingViolations() {
        List<String> misses = new ArrayList<>();
        if (scene.count() == 0) {
            misses.add("no scene record arrived");
        } else {
            if (scene.percentile(95) > SCENE_P95_TARGET_MS) {
                misses.add("scene p95 " + scene.percentile(95) + " ms > " + SCENE_P95_TARGET_MS + " ms");
            }
            long worstSlice = sceneP95BySlice.stream().mapToLong(Long::longValue).max().orElse(0);
            if (worstSlice > SCENE_P95_TARGET_MS) {
                misses.add("scene p95 reached " + worstSlice + " ms in a slice of the run");
            }
        }
        if (transcript.count() == 0) {
            misses.add("no transcript arrived (run longer than one 20 s loop of the clip)");
        } else if (transcript.percentile(95) > TRANSCRIPT_P95_TARGET_MS) {
            misses.add("transcript p95 " + transcript.percentile(95) + " ms > " + TRANSCRIPT_P95_TARGET_MS + " ms");
        }
        if (sceneWindowsDue > 0 && sceneWindows < MIN_SCENE_WINDOW_SHARE * sceneWindowsDue) {
            misses.add(String.format(Locale.ROOT, "only %d of %d scene windows due (%.0f %%)", sceneWindows, sceneWindowsDue,
                    100.0 * sceneWindows / sceneWindowsDue));
        }
        return misses;
    }

    /** The full report of this run. */
    void print(PrintWriter out, String machine) {
        out.printf(Locale.ROOT, "%nVigil capacity benchmark — %d streams of %s for %ds%n", streams, source, measured.toSeconds());
        out.printf("Mode: %s%n", mode.describe());
        out.printf("Machine: %s; load average before: %s, after: %s%n%n", machine, loadBefore, loadAfter);
        out.println("CPU (cores; per stream = total / streams):");
        out.printf(Locale.ROOT, "| %-46s | %7s | %10s |%n|%s|%s|%s|%n", "thread group", "cores", "per stream",
                "-".repeat(48), "-".repeat(9), "-".repeat(12));
        row(out, "whole process", cpu.processCores());
        cpu.coresByGroup().forEach((group, cores) -> row(out, "  " + group.label, cores));
        row(out, "  JVM internal (GC, JIT)", cpu.jvmInternalCores());
        out.println();
        if (!mode.ingestOnly()) {
            out.println(Latencies.header());
            out.println(scene.row());
            out.println(transcript.row());
            out.println(audio.row());
            out.printf("Scene p95 by slice of the run (ms): %s%n", sceneP95BySlice.stream().map(v -> v == Long.MIN_VALUE ? "–"
                    : Long.toString(v)).collect(Collectors.joining(", ")));
            out.printf(Locale.ROOT, "Scene windows: %d of %d due (%.0f %%)%n", sceneWindows, sceneWindowsDue,
                    share(sceneWindows, sceneWindowsDue));
            out.printf("Records repeated for a window already received (counted once): %d%n", repeatedRecords);
        }
        out.printf(Locale.ROOT, "Real time: %d of %d sampled frames due written (%.1f %%), %d of %d audio chunks (%.1f %%)%n",
                media.framesProduced(), due.frames(), share(media.framesProduced(), due.frames()), media.chunksProduced(),
                due.chunks(), share(media.chunksProduced(), due.chunks()));
        out.printf(Locale.ROOT, "Frames: %d sampled and written, %d dropped by ingest; paced reads (every picture read) more "
                        + "than 100 ms late: %d, more than 1 s: %d; indexer: %d late, %d stale, %d lane jobs dropped%n",
                media.framesProduced(), media.framesDropped(), media.framesReadLate(), media.readsOverOneSecondLate(),
                media.indexerFramesLate(), media.indexerStale(), media.laneJobsDropped());
        out.printf(Locale.ROOT, "Audio chunks: %d written, %d dropped%n", media.chunksProduced(), media.chunksDropped());
        if (mode.record()) {
            double hours = measured.toMillis() / 3_600_000.0;
            double cores = cpu.coresByGroup().getOrDefault(ThreadGroups.Group.RECORDING, 0.0);
            out.printf(Locale.ROOT, "Recording: %d segments stored (%.1f per stream), %.1f MiB, %.1f MiB per hour per stream, "
                            + "%d dropped, %d store failures; recording threads %.4f cores per stream%n", media.segmentsStored(),
                    (double) media.segmentsStored() / streams, media.bytesStored() / 1048576.0,
                    media.bytesStored() / 1048576.0 / streams / hours, media.segmentsDropped(), media.storeFailures(), cores / streams);
        }
        out.printf("Lane backlog over time (s: vision/speech): %s%n", backlog.stream()
                .map(b -> b[0] + ": " + b[1] + "/" + b[2]).collect(Collectors.joining(", ")));
        out.printf("Heap after GC (min: MiB): %s; heap max %d MiB; RSS %d MiB%n", heapAfterGc.stream()
                .map(h -> h[0] + ": " + (h[1] >> 20)).collect(Collectors.joining(", ")), heapMaxBytes >> 20, rssBytes >> 20);
        List<String> misses = violations();
        if (mode.ingestOnly()) {
            out.printf(Locale.ROOT, "Targets (real time: ≥ %.0f %% of frames and audio chunks due written, none dropped, no "
                    + "paced read > 1 s late): %s%n", MIN_MEDIA_SHARE * 100,
                    misses.isEmpty() ? "met" : "missed — " + String.join("; ", misses));
        } else {
            out.printf("Targets (scene p95 ≤ %d ms, transcript p95 ≤ %d ms, ≥ %.0f %% of scene windows): %s%n",
                    SCENE_P95_TARGET_MS, TRANSCRIPT_P95_TARGET_MS, MIN_SCENE_WINDOW_SHARE * 100,
                    misses.isEmpty() ? "met" : "missed — " + String.join("; ", misses));
        }
        out.flush();
    }

    /** One line for the find-max summary. */
    String summary() {
        List<String> misses = violations();
        if (mode.ingestOnly()) {
            return String.format(Locale.ROOT, "%3d streams: %.2f cores (%.3f/stream), ingest %.4f cores/stream%s, frames %d/%d, "
                            + "chunks %d/%d, dropped %d, reads > 1 s late %d → %s", streams, cpu.processCores(), cpu.processCores() / streams,
                    cpu.coresByGroup().get(ThreadGroups.Group.INGEST) / streams, mode.record() ? String.format(Locale.ROOT,
                            ", recording %.4f", cpu.coresByGroup().get(ThreadGroups.Group.RECORDING) / streams) : "",
                    media.framesProduced(), due.frames(), media.chunksProduced(), due.chunks(),
                    media.framesDropped() + media.chunksDropped(), media.readsOverOneSecondLate(),
                    misses.isEmpty() ? "in real time" : String.join("; ", misses));
        }
        return String.format(Locale.ROOT, "%3d streams: %.2f cores (%.3f/stream), scene p95 %s ms, transcript p95 %s ms, "
                        + "audio p95 %s ms, windows %d/%d, backlog max %d → %s", streams, cpu.processCores(),
                cpu.processCores() / streams, p95(scene), p95(transcript), p95(audio), sceneWindows, sceneWindowsDue,
                backlog.stream().mapToLong(b -> b[1] + b[2]).max().orElse(0),
                misses.isEmpty() ? "within targets" : String.join("; ", misses));
    }

    private static String p95(Latencies l) {
        return l.count() == 0 ? "–" : Long.toString(l.percentile(95));
    }

    private void row(PrintWriter out, String label, double cores) {
        out.printf(Locale.ROOT, "| %-46s | %7.3f | %10.4f |%n", label, cores, cores / streams);
    }
}
