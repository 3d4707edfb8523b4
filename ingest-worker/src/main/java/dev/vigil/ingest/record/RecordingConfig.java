package dev.vigil.ingest.record;

import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.config.Setting;
import dev.vigil.common.config.Settings;
import java.time.Duration;
import java.util.List;

/**
 * How the ingest worker records {@code store=true} streams ({@code VIGIL_RECORDING_*}); where the
 * segments go is {@code dev.vigil.storage.StorageConfig} ({@code VIGIL_STORAGE_*}).
 *
 * @param defaultOn           record streams created without {@code store=true} too
 * @param segment             target segment length (cut at the first key frame after it)
 * @param retention           segments older than this are deleted
 * @param maxBytesPerStream   beyond this a stream's oldest segments are deleted; 0: no size limit
 * @param pendingBytes        segments waiting for an unavailable store, all streams together; past it the
 *                            oldest waiting segment is dropped (counted)
 */
public record RecordingConfig(boolean defaultOn, Duration segment, Duration retention, long maxBytesPerStream,
        long pendingBytes) {

    public static final Setting<Boolean> DEFAULT = Settings.bool("VIGIL_RECORDING_DEFAULT", false,
            "Record every stream, not only those created with store=true.");
    public static final Setting<Duration> SEGMENT = Settings.duration("VIGIL_RECORDING_SEGMENT", Duration.ofSeconds(4),
            "Target length of a recorded segment; segments are cut at the first key frame after it, so a source's "
                    + "key-frame interval is the real minimum.")
            .check(d -> d.toMillis() >= 500 && d.toSeconds() <= 60, "between 500ms and 60s");
    public static final Setting<Duration> RETENTION = Settings.duration("VIGIL_RECORDING_RETENTION", Duration.ofHours(24),
            "Recorded segments older than this are deleted (object first, then its index entry).")
            .check(d -> d.toSeconds() >= 1, "at least 1s");
    public static final Setting<Long> MAX_BYTES_PER_STREAM = Settings.bytes("VIGIL_RECORDING_MAX_BYTES_PER_STREAM", 0L,
            "Largest recording kept per stream (e.g. 10GB); beyond it the oldest segments are deleted. 0: no limit "
                    + "(age only).");
    public static final Setting<Long> PENDING_BYTES = Settings.bytes("VIGIL_RECORDING_PENDING_MAX_BYTES", 256L << 20,
            "Segments kept on local disk while the store is unavailable (all streams of a worker); past it the oldest "
                    + "waiting segment is dropped and counted. Indexing never waits for the store.")
            .check(b -> b >= 1 << 20, "at least 1MB");

    public static final List<Setting<?>> SETTINGS = List.of(DEFAULT, SEGMENT, RETENTION, MAX_BYTES_PER_STREAM, PENDING_BYTES);

    public static RecordingConfig from(ConfigValues values) {
        return new RecordingConfig(values.get(DEFAULT), values.get(SEGMENT), values.get(RETENTION),
                values.get(MAX_BYTES_PER_STREAM), values.get(PENDING_BYTES));
    }

    /** The defaults, for tests and tools. */
    public static RecordingConfig defaults() {
        return from(ConfigValues.read(java.util.Map.of(), SETTINGS));
    }

    /** How often retention looks at the owned streams: about once per segment, at most every 30 s. */
    public Duration sweepInterval() {
        Duration d = segment.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : segment;
        return d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d;
    }
}
