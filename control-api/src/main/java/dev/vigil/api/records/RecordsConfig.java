package dev.vigil.api.records;

import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.config.Setting;
import dev.vigil.common.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of the records store: where its Lucene index lives, how fresh searches are, how often
 * the consumed offsets are made durable, and how many queries run at once.
 *
 * @param dir              index directory; empty: a temporary directory, rebuilt from the topics at every start
 * @param refreshInterval  how often the searcher reopens to see new records (freshness bound)
 * @param commitInterval   how often the index and its offsets are committed (work redone after a crash)
 * @param queryThreads     threads running queries (never the event loop)
 * @param queryQueue       queries waiting for a thread before new ones get 503
 * @param searchConcurrency threads one search may use at once over the index's segments (1: the query thread alone)
 */
public record RecordsConfig(Optional<Path> dir, Duration refreshInterval, Duration commitInterval, int queryThreads,
        int queryQueue, int searchConcurrency) {

    public static final Setting<String> DIR = Settings.string("VIGIL_RECORDS_DIR", null,
            "Directory of the records store's Lucene index (transcript, scene and audio records for the records and "
                    + "search endpoints). Unset: a temporary directory, rebuilt from the index topics at every start.");
    public static final Setting<Duration> REFRESH_INTERVAL = Settings.duration("VIGIL_RECORDS_REFRESH_INTERVAL",
            Duration.ofMillis(100), "How often searches are reopened on the newest records; a record is searchable "
                    + "at most about this long after the store read it.")
            .check(d -> d.toMillis() >= 10 && d.toMillis() <= 1000, "between 10ms and 1s");
    public static final Setting<Duration> COMMIT_INTERVAL = Settings.duration("VIGIL_RECORDS_COMMIT_INTERVAL",
            Duration.ofSeconds(5), "How often the records index and its topic offsets are made durable; after a crash "
                    + "at most this much of the topics is read again.")
            .check(d -> d.toMillis() >= 100 && d.toMinutes() <= 10, "between 100ms and 10m");
    public static final Setting<Integer> QUERY_THREADS = Settings.integer("VIGIL_RECORDS_QUERY_THREADS", 2, 1, 64,
            "Threads running record listings and searches.");
    public static final Setting<Integer> QUERY_QUEUE = Settings.integer("VIGIL_RECORDS_QUERY_QUEUE", 256, 1, 100_000,
            "Queries that may wait for a query thread; beyond that a request gets 503.");

    public static final Setting<Integer> SEARCH_CONCURRENCY = Settings.integer("VIGIL_RECORDS_SEARCH_CONCURRENCY", 2, 1, 64,
            "Threads one search may use at once: Lucene searches the index's segments in slices, in parallel (word "
                    + "and vector search alike), which shortens a search over a big index on an idle machine; 1 "
                    + "searches on the query thread alone. About the number of cores.");

    public static final List<Setting<?>> SETTINGS = List.of(DIR, REFRESH_INTERVAL, COMMIT_INTERVAL, QUERY_THREADS,
            QUERY_QUEUE, SEARCH_CONCURRENCY);

    public static RecordsConfig from(ConfigValues values) {
        return new RecordsConfig(values.find(DIR).filter(s -> !s.isBlank()).map(Path::of), values.get(REFRESH_INTERVAL),
                values.get(COMMIT_INTERVAL), values.get(QUERY_THREADS), values.get(QUERY_QUEUE), values.get(SEARCH_CONCURRENCY));
    }

    /** Defaults everywhere (temporary directory). */
    public static RecordsConfig defaults() {
        return new RecordsConfig(Optional.empty(), REFRESH_INTERVAL.defaultValue().orElseThrow(),
                COMMIT_INTERVAL.defaultValue().orElseThrow(), QUERY_THREADS.defaultValue().orElseThrow(),
                QUERY_QUEUE.defaultValue().orElseThrow(), SEARCH_CONCURRENCY.defaultValue().orElseThrow());
    }

    /** A copy using {@code directory}. */
    public RecordsConfig withDir(Path directory) {
        return new RecordsConfig(Optional.of(directory), refreshInterval, commitInterval, queryThreads, queryQueue,
                searchConcurrency);
    }
}
