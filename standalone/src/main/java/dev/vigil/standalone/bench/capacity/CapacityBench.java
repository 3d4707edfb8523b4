package dev.vigil.standalone.bench.capacity;

import dev.vigil.standalone.bench.PipelineBench;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code vigil bench --streams N [--find-max | --soak]}: how many fully indexed cameras this machine
 * takes. One run reports everything for N streams; {@code --find-max} doubles N while the targets
 * hold, then bisects between the last N that met them and the first that did not (each trial a fresh
 * Vigil, so one overloaded trial cannot spoil the next); {@code --soak} is one long run that reports
 * heap after GC every minute. {@code --ingest-only} leaves the streams without indexes (the targets are
 * then real-time ingest), {@code --record} records them ({@code store=true}).
 */
public final class CapacityBench {

    /** Above this the search stops doubling: a bound on the bench's own time, not a claim. */
    static final int MAX_STREAMS = 256;

    private final CapacityOptions options;
    private final PrintWriter out;

    public CapacityBench(CapacityOptions options, PrintWriter out) {
        this.options = options;
        this.out = out;
    }

    /** Runs what the options ask for and prints the report. */
    public void run(Map<String, String> environment) throws Exception {
        execute(environment);
    }

    /** The result of the run (for --find-max: of the largest N within targets, or null when none met them). */
    CapacityResult execute(Map<String, String> environment) throws Exception {
        CapacityRun.Setup setup = new CapacityRun.Setup(environment, options.source, options.kafka, options.mode(),
                options.effectiveWarmup(), out);
        if (!options.findMax) {
            CapacityResult result = new CapacityRun(setup, options.streams, options.effectiveDuration(), options.soak).run();
            result.print(out, PipelineBench.machine());
            return result;
        }
        return findMax(setup);
    }

    private CapacityResult findMax(CapacityRun.Setup setup) throws Exception {
        List<String> trials = new ArrayList<>();
        CapacityResult best = null;
        int pass = 0;
        int fail = -1;
        int n = options.streams == null ? 4 : options.streams;
        while (fail < 0 || fail - pass > Math.max(1, pass / 8)) {
            out.printf("%nTrial: %d streams for %ds%n", n, options.effectiveDuration().toSeconds()).flush();
            CapacityResult result = new CapacityRun(setup, n, options.effectiveDuration(), false).run();
            trials.add(result.summary());
            out.println(result.summary());
            if (result.violations().isEmpty()) {
                pass = n;
                best = result;
            } else {
                fail = n;
            }
            if (fail < 0) {
                if (n >= MAX_STREAMS) {
                    break;
                }
                n = Math.min(MAX_STREAMS, n * 2);
            } else if (pass == 0 && fail == 1) {
                break;
            } else {
                n = (pass + fail) / 2;
                if (n == pass) {
                    break;
                }
            }
        }
        out.printf("%nTrials:%n");
        trials.forEach(out::println);
        if (best == null) {
            out.printf("%nNo number of streams met the targets on %s.%n", PipelineBench.machine());
            out.flush();
            return null;
        }
        out.printf("%nLargest number of streams within targets: %d%s%n", pass, fail < 0 ? " (search bound)"
                : " (" + fail + " missed them)");
        best.print(out, PipelineBench.machine());
        return best;
    }
}
