package dev.vigil.standalone.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.vigil.standalone.bench.capacity.CapacityBench;
import dev.vigil.standalone.bench.capacity.CapacityOptions;
import dev.vigil.standalone.bench.model.ModelBench;
import dev.vigil.standalone.bench.model.ModelStageOptions;
import dev.vigil.standalone.demo.DemoRun;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil bench}: starts a private standalone Vigil (embedded broker on free ports, a temporary
 * data directory, nothing shared with a running instance) and measures the pipeline's latencies and
 * throughput end to end; prints percentiles with the machine they were measured on.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure Vigil end to end on this machine: alert latency on the WebSocket and by webhook,",
                "alert throughput, and scene/transcript/audio latency on the bundled clip. Takes about two minutes.",
                "With --streams N (--find-max, --soak): how many fully indexed streams this machine takes."})
public class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--rate", defaultValue = "200", description = "Matching index records per second in the steady phase (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--steady", defaultValue = "20s", converter = DurationConverter.class,
            description = "Length of the steady phase (default ${DEFAULT-VALUE}).")
    Duration steady;

    @Option(names = "--burst", defaultValue = "5000", description = "Matching records sent at once for the throughput phase (default ${DEFAULT-VALUE}).")
    int burst;

    @Option(names = "--media", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long the demo clip runs for the media paths (default ${DEFAULT-VALUE}; the clip loops every 20 s).")
    Duration media;

    @Option(names = "--verbose", description = "Keep Vigil's INFO logs (default: warnings only).")
    boolean verbose;

    @Mixin
    CapacityOptions capacity;

    @Option(names = "--stage", defaultValue = "pipeline",
            description = "pipeline (default: alert and media paths) or model (judged alerts on a fake model, embedding cost, search at scale).")
    String stage;

    @Mixin
    ModelStageOptions modelStage;

    @Override
    public Integer call() throws Exception {
        if (capacity.requested()) {
            return capacity();
        }
        if (rate < 1 || burst < 1 || steady.isNegative() || media.isNegative()) {
            spec.commandLine().getErr().println("vigil bench: --rate and --burst must be positive, durations not negative");
            return 2;
        }
        if (!stage.equals("pipeline") && !stage.equals("model")) {
            spec.commandLine().getErr().println("vigil bench: --stage is pipeline or model, not '" + stage + "'");
            return 2;
        }
        ModelBench.Options modelOptions;
        try {
            modelOptions = modelStage.options();
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("vigil bench: " + e.getMessage());
            return 2;
        }
        if (!verbose) {
            ((Logger) LoggerFactory.getLogger("dev.vigil")).setLevel(Level.WARN);
        }
        Path dataDir = Files.createTempDirectory("vigil-bench");
        // The caller's VIGIL_* settings apply (to try a tuning), except where the bench needs its own.
        Map<String, String> env = new HashMap<>(System.getenv());
        DemoRun.DEMO_DEFAULTS.forEach(env::putIfAbsent);
        env.putAll(Map.of("VIGIL_DATA_DIR", dataDir.toString(),
                "VIGIL_KAFKA_EMBEDDED_PORT", Integer.toString(freePort()),
                "VIGIL_KAFKA_EMBEDDED_CONTROLLER_PORT", Integer.toString(freePort()),
                "VIGIL_HTTP_HOST", "127.0.0.1", "VIGIL_HTTP_PORT", "0"));
        try {
            if (stage.equals("model")) {
                new ModelBench(modelOptions, spec.commandLine().getOut()).run(env);
            } else {
                new PipelineBench(new PipelineBench.Options(rate, steady, burst, media), spec.commandLine().getOut()).run(env);
            }
        } finally {
            deleteRecursively(dataDir);
        }
        return 0;
    }

    private Integer capacity() throws Exception {
        String problem = capacity.problem();
        if (problem != null) {
            spec.commandLine().getErr().println("vigil bench: " + problem);
            return 2;
        }
        if (!verbose) {
            ((Logger) LoggerFactory.getLogger("dev.vigil")).setLevel(Level.WARN);
        }
        new CapacityBench(capacity, spec.commandLine().getOut()).run(System.getenv());
        return 0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** "20s", "2m", "500ms" or an ISO-8601 duration. */
    static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return dev.vigil.common.config.Settings.parseDuration(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "': " + e.getMessage());
            }
        }
    }
}
