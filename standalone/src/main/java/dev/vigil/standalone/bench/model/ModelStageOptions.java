package dev.vigil.standalone.bench.model;

import dev.vigil.common.config.Settings;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options of {@code vigil bench --stage model} (a picocli mixin of {@code BenchCommand}). */
public final class ModelStageOptions {

    @Option(names = "--model-latency", defaultValue = "200ms", description = "Latency of the fake text model (default ${DEFAULT-VALUE}).")
    String latency;

    @Option(names = "--model-rate", defaultValue = "20", description = "Judged records per second (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--model-steady", defaultValue = "20s", description = "Length of the judged phase (default ${DEFAULT-VALUE}).")
    String steady;

    @Option(names = "--judged-events", defaultValue = "4", description = "Judged events on the index (default ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--embed-records", defaultValue = "512", description = "Texts for the embedding cost (default ${DEFAULT-VALUE}).")
    int embedRecords;

    @Option(names = "--search-records", defaultValue = "100000",
            description = "Records searched at scale (default ${DEFAULT-VALUE}; the target is stated for 1,000,000).")
    int searchRecords;

    @Option(names = "--search-streams", defaultValue = "100", description = "Streams they belong to (default ${DEFAULT-VALUE}).")
    int searchStreams;

    @Option(names = "--search-queries", defaultValue = "1000", description = "Searches measured (default ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--vector-wait", defaultValue = "5m",
            description = "Longest wait for every record's vector before searching (default ${DEFAULT-VALUE}).")
    String vectorWait;

    /** The options, checked; an {@link IllegalArgumentException} says which is wrong. */
    public ModelBench.Options options() {
        Duration l = Settings.parseDuration(latency);
        Duration s = Settings.parseDuration(steady);
        Duration w = Settings.parseDuration(vectorWait);
        if (l.isNegative() || l.isZero() || s.isNegative() || w.isNegative() || rate < 1 || events < 1 || embedRecords < 1
                || searchRecords < 1 || searchStreams < 1 || queries < 1) {
            throw new IllegalArgumentException("model stage options must be positive");
        }
        return new ModelBench.Options(l, rate, s, events, embedRecords, searchRecords, searchStreams, queries, w);
    }
}
