package dev.vigil.standalone.bench.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.standalone.bench.capacity.ThreadGroups.Group;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The short form of {@code vigil bench --streams}, as CI runs it: two streams for a few seconds on a
 * private Vigil. It checks that the mode runs end to end and reports every figure, not the targets
 * (a shared CI machine says nothing about capacity). The ingest-only and recorded modes run together
 * in a second, equally short test.
 */
class CapacityBenchIT {

    @Test
    void twoStreamsReportEveryFigure() throws Exception {
        CapacityOptions options = CommandLine.populateCommand(new CapacityOptions(), "--streams", "2", "--duration", "6s", "--warmup", "2s");
        StringWriter report = new StringWriter();

        CapacityResult result = new CapacityBench(options, new PrintWriter(report)).execute(Map.of());

        assertThat(result.streams()).isEqualTo(2);
        assertThat(result.cpu().processCores()).isPositive();
        assertThat(result.cpu().coresByGroup().get(Group.INGEST)).isPositive();
        assertThat(result.cpu().coresByGroup().get(Group.BROKER)).isPositive();
        assertThat(result.cpu().coresByGroup().get(Group.INDEXER_STREAMS)).isPositive();
        assertThat(result.scene().count()).isPositive();
        assertThat(result.audio().count()).isPositive();
        assertThat(result.sceneWindowsDue()).isEqualTo(2 * 3);
        assertThat(result.sceneWindows()).isPositive();
        assertThat(result.media().framesProduced()).isPositive();
        assertThat(result.media().chunksProduced()).isPositive();
        assertThat(result.backlog()).isNotEmpty();
        assertThat(result.heapAfterGc()).isNotEmpty().allSatisfy(h -> assertThat(h[1]).isPositive());
        assertThat(result.rssBytes()).isPositive();
        assertThat(report.toString()).contains("2 streams of the demo clip", "whole process", "embedded broker",
                "JVM internal", "scene window end", "end of utterance", "audio window end", "Scene p95 by slice",
                "Scene windows:", "Records repeated", "Frames:", "Audio chunks:", "Lane backlog over time", "Heap after GC", "RSS", "Targets");
    }

    @Test
    void ingestOnlyRecordedStreamsReportMediaDueAndRecording() throws Exception {
        CapacityOptions options = CommandLine.populateCommand(new CapacityOptions(), "--streams", "2", "--duration", "6s", "--warmup", "2s",
                "--ingest-only", "--record");
        StringWriter report = new StringWriter();

        CapacityResult result = new CapacityBench(options, new PrintWriter(report)).execute(Map.of());

        assertThat(result.mode()).isEqualTo(new CapacityOptions.Mode(true, true));
        assertThat(result.cpu().coresByGroup().get(Group.INGEST)).isPositive();
        assertThat(result.cpu().coresByGroup().get(Group.RECORDING)).isPositive();
        assertThat(result.due().frames()).isEqualTo(2 * 6 * 2);
        assertThat(result.due().chunks()).isEqualTo(2 * 6 * 2);
        assertThat(result.media().framesProduced()).isPositive();
        assertThat(result.media().chunksProduced()).isPositive();
        assertThat(result.media().bytesStored()).isPositive();
        // No index: the scene figures of the indexing mode are not reported, the real-time ones are.
        assertThat(result.scene().count()).isZero();
        assertThat(result.sceneWindowsDue()).isZero();
        assertThat(report.toString()).contains("Mode: ingest only", "recorded (store=true)", "recording (packet copy",
                "Real time:", "frames due written", "Recording:", "segments stored", "MiB per hour per stream",
                "Targets (real time").doesNotContain("Scene windows:");
    }
}
