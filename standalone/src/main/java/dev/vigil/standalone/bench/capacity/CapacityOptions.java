package dev.vigil.standalone.bench.capacity;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The options of {@code vigil bench} that switch it to the capacity benchmark (a picocli mixin). */
public final class CapacityOptions {

    @Option(names = "--streams", description = "Capacity benchmark: run this many looping streams with transcript, scene and "
            + "audio indexes and report CPU per stream, latencies, backlog and memory (with --find-max: where the search starts).")
    Integer streams;

    @Option(names = "--find-max", description = "Capacity benchmark: find the largest number of streams whose p95 latencies "
            + "stay within the targets for --duration (default 2m per trial).")
    boolean findMax;

    @Option(names = "--soak", description = "Capacity benchmark: run --streams streams for --duration (default 30m) and "
            + "report heap after GC every minute.")
    boolean soak;

    @Option(names = "--duration", converter = DurationOption.class, description = "Capacity benchmark: measured time per run "
            + "(default 60s; 2m with --find-max, 30m with --soak), after a warm-up.")
    Duration duration;

    @Option(names = "--warmup", converter = DurationOption.class, description = "Capacity benchmark: time left to settle "
            + "after every stream has delivered its first record, before measuring (default 30s: JIT compilation and the "
            + "aligned start of every stream's first windows otherwise land in the measurement).")
    Duration warmup;

    @Option(names = "--source", paramLabel = "FILE|URL", description = "Capacity benchmark: the media of every stream "
            + "(default: the bundled demo clip); a file loops, a URL is used as given.")
    String source;

    @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "Capacity benchmark: use this Kafka cluster instead "
            + "of the embedded broker (topics get a prefix of their own per run).")
    String kafka;

    @Option(names = "--ingest-only", description = "Capacity benchmark: streams with no index at all, so only ingest works "
            + "(decode, sample, JPEG, audio chunks to Kafka); reports frames and audio chunks written of those due in real "
            + "time, late and dropped ones, and ingest CPU per stream (with --find-max: the most streams ingested in real time).")
    boolean ingestOnly;

    @Option(names = "--record", description = "Capacity benchmark: create the streams with store=true so they are recorded "
            + "too; reports recording CPU, segments stored and bytes per hour per stream.")
    boolean record;

    /** Whether any capacity option was given. */
    public boolean requested() {
        return streams != null || findMax || soak;
    }

    /** Why these options cannot run, or null. */
    public String problem() {
        if (streams != null && (streams < 1 || streams > 1_000)) {
            return "--streams must be between 1 and 1000";
        }
        if (findMax && soak) {
            return "--find-max and --soak are separate runs";
        }
        if (soak && streams == null) {
            return "--soak needs --streams";
        }
        if ((ingestOnly || record) && streams == null && !findMax) {
            return "--ingest-only and --record need --streams or --find-max";
        }
        if (warmup != null && (warmup.isNegative() || warmup.toMinutes() > 30)) {
            return "--warmup must be between 0s and 30m";
        }
        if (duration != null && duration.toSeconds() < 2) {
            return "--duration must be at least 2s (one scene window)";
        }
        return null;
    }

    /** What the streams do besides being ingested. */
    Mode mode() {
        return new Mode(ingestOnly, record);
    }

    /**
     * @param ingestOnly streams without indexes: what is measured is ingest alone (the indexer still reads
     *                   the frame topics and finds no index to feed)
     * @param record     streams created with {@code store=true}
     */
    record Mode(boolean ingestOnly, boolean record) {

        static final Mode FULL = new Mode(false, false);

        String describe() {
            return (ingestOnly ? "ingest only (no index: frames and audio chunks to Kafka, nothing indexes them)"
                    : "fully indexed (transcript, scene index, audio index)")
                    + (record ? "; recorded (store=true)" : "; not recorded");
        }
    }

    Duration effectiveDuration() {
        if (duration != null) {
            return duration;
        }
        return soak ? Duration.ofMinutes(30) : findMax ? Duration.ofMinutes(2) : Duration.ofSeconds(60);
    }

    Duration effectiveWarmup() {
        return warmup != null ? warmup : Duration.ofSeconds(30);
    }

    /** "20s", "2m", "500ms" or an ISO-8601 duration. */
    static final class DurationOption implements picocli.CommandLine.ITypeConverter<Duration> {
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
