package dev.vigil.ingest;

import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.config.ConfigException;
import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.config.Setting;
import dev.vigil.common.config.Settings;
import dev.vigil.common.net.SourcePolicyConfig;
import dev.vigil.ingest.media.Pacing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of the ingest worker: how frames and audio are cut and encoded, how sources are
 * watched and reconnected, which sources are allowed, how much the Kafka producer may buffer, and how
 * fast the group notices a dead worker.
 */
public record IngestWorkerConfig(
        int maxWidth,
        int jpegQuality,
        Duration audioChunk,
        int maxSampleRate,
        Duration watchdog,
        Duration ioTimeout,
        Duration backoffMin,
        Duration backoffMax,
        int maxRetries,
        boolean allowFiles,
        boolean loopFiles,
        Pacing pacing,
        int producerBufferBytes,
        Duration audioBlock,
        Duration sessionTimeout,
        SourcePolicyConfig sources,
        java.util.Optional<java.nio.file.Path> fileRoot,
        boolean decodeSkipping) {

    public static final Setting<Integer> MAX_WIDTH = Settings.integer("VIGIL_INGEST_MAX_WIDTH", 640, 16, 7680,
            "Frames wider than this are scaled down (by FFmpeg, keeping the aspect ratio) before JPEG encoding.");
    public static final Setting<Integer> JPEG_QUALITY = Settings.integer("VIGIL_INGEST_JPEG_QUALITY", 80, 1, 100,
            "JPEG quality of sampled frames (measured: q80 at 640x360 is 5-20 KB).");
    public static final Setting<Duration> AUDIO_CHUNK = Settings.duration("VIGIL_INGEST_AUDIO_CHUNK", Duration.ofMillis(500),
            "Length of each 16 kHz mono PCM chunk written to media.audio.")
            .check(d -> d.toMillis() >= 20 && d.toMillis() <= 10_000, "between 20ms and 10s");
    public static final Setting<Integer> MAX_SAMPLE_RATE = Settings.integer("VIGIL_INGEST_MAX_SAMPLE_RATE", 5, 1, 60,
            "Upper bound on a stream's sample_rate (frames per second of stream time); higher requests are capped.");
    public static final Setting<Duration> WATCHDOG = Settings.duration("VIGIL_INGEST_WATCHDOG", Duration.ofSeconds(10),
            "No new video (audio for audio-only streams) for this long while the connection is open: close and reconnect.")
            .check(d -> d.toMillis() >= 500, "at least 500ms");
    public static final Setting<Duration> IO_TIMEOUT = Settings.duration("VIGIL_INGEST_IO_TIMEOUT", Duration.ofSeconds(10),
            "Connect and read timeout of network sources (FFmpeg 'timeout' for RTSP, 'rw_timeout' otherwise); "
                    + "a connect attempt is bounded by about twice this.")
            .check(d -> d.toMillis() >= 100 && d.toMinutes() <= 10, "between 100ms and 10m");
    public static final Setting<Duration> BACKOFF_MIN = Settings.duration("VIGIL_INGEST_BACKOFF_MIN", Duration.ofSeconds(1),
            "First reconnect delay; doubles per consecutive failure, with jitter.")
            .check(d -> d.toMillis() >= 10, "at least 10ms");
    public static final Setting<Duration> BACKOFF_MAX = Settings.duration("VIGIL_INGEST_BACKOFF_MAX", Duration.ofSeconds(30),
            "Longest reconnect delay.");
    public static final Setting<Integer> MAX_RETRIES = Settings.integer("VIGIL_INGEST_MAX_RETRIES", 10, 0, 1_000_000,
            "Consecutive failed connects or sessions before a network stream goes to ERROR; 0 retries forever. "
                    + "Local files and permanent errors (no decodable stream, bad URL, 401/403) are not retried.");
    public static final Setting<Boolean> ALLOW_FILES = Settings.bool("VIGIL_INGEST_ALLOW_FILES", false,
            "Ingest local files (file:// URLs or absolute paths); off in production since they expose the file system.");
    public static final Setting<String> FILE_ROOT = Settings.string("VIGIL_INGEST_FILE_ROOT", null,
            "With VIGIL_INGEST_ALLOW_FILES: the directory local files must be in (symbolic links resolved); unset: any "
                    + "readable file, which exposes the whole file system to API clients.")
            .check(p -> java.nio.file.Path.of(p).isAbsolute(), "an absolute directory path");
    public static final Setting<Boolean> LOOP_FILES = Settings.bool("VIGIL_INGEST_LOOP_FILES", false,
            "Play local files in a loop (for demos); a file:// URL's ?loop=true|false overrides it per stream.");
    public static final Setting<Pacing> PACING = Settings.enumeration("VIGIL_INGEST_PACING", Pacing.class, Pacing.RECORDED,
            "Which sources are played at real time by their timestamps: recorded (files, and network sources with a "
                    + "known duration: progressive HTTP media, VOD HLS; live sources are not paced), files (local files "
                    + "only), all, or none (as fast as possible: tests, benchmarks). A stream's 'realtime' field wins.");
    public static final Setting<Integer> PRODUCER_BUFFER = Settings.integer("VIGIL_INGEST_PRODUCER_BUFFER_BYTES",
            32 * 1024 * 1024, 1024 * 1024, 1024 * 1024 * 1024,
            "buffer.memory of the media producer. Frames are written while at least half of it is free, audio "
                    + "down to its last tenth; beyond that frames are dropped (counted) and audio waits up to "
                    + "VIGIL_INGEST_AUDIO_BLOCK, then is dropped (counted).");
    public static final Setting<Duration> AUDIO_BLOCK = Settings.duration("VIGIL_INGEST_AUDIO_BLOCK", Duration.ofSeconds(1),
            "How long an audio chunk waits for producer buffer space before it is dropped (counted).")
            .check(d -> d.toSeconds() <= 30, "at most 30s");
    public static final Setting<Duration> SESSION_TIMEOUT = Settings.duration("VIGIL_INGEST_SESSION_TIMEOUT", Duration.ofSeconds(6),
            "Consumer-group session timeout: a dead worker's streams move to the others after this plus about a "
                    + "second (heartbeat = 1/6 of it). Must lie within the broker's group.min/max.session.timeout.ms "
                    + "(6s-30m by default).")
            .check(d -> d.toMillis() >= 1_000 && d.toMinutes() <= 30, "between 1s and 30m");

    public static final Setting<Boolean> DECODE_SKIPPING = Settings.bool("VIGIL_INGEST_DECODE_SKIPPING", true,
            "Let FFmpeg skip decoding video pictures the sampler cannot keep (non-reference pictures when sampling is "
                    + "at most half the frame rate, only key frames when they come at least once per sampling interval), "
                    + "falling back to full decoding when a sampling point would be missed.");

    public static final List<Setting<?>> SETTINGS = List.of(MAX_WIDTH, JPEG_QUALITY, AUDIO_CHUNK, MAX_SAMPLE_RATE,
            WATCHDOG, IO_TIMEOUT, BACKOFF_MIN, BACKOFF_MAX, MAX_RETRIES, ALLOW_FILES, FILE_ROOT, LOOP_FILES, PACING,
            PRODUCER_BUFFER, AUDIO_BLOCK, SESSION_TIMEOUT, DECODE_SKIPPING);

    /** Builds the config from validated values; cross-setting rules are checked here. */
    public static IngestWorkerConfig from(ConfigValues values) {
        IngestWorkerConfig config = new IngestWorkerConfig(values.get(MAX_WIDTH), values.get(JPEG_QUALITY),
                values.get(AUDIO_CHUNK), values.get(MAX_SAMPLE_RATE), values.get(WATCHDOG), values.get(IO_TIMEOUT),
                values.get(BACKOFF_MIN), values.get(BACKOFF_MAX), values.get(MAX_RETRIES), values.get(ALLOW_FILES),
                values.get(LOOP_FILES), values.get(PACING), values.get(PRODUCER_BUFFER), values.get(AUDIO_BLOCK),
                values.get(SESSION_TIMEOUT), SourcePolicyConfig.from(values),
                values.find(FILE_ROOT).map(java.nio.file.Path::of), values.get(DECODE_SKIPPING));
        if (config.backoffMax.compareTo(config.backoffMin) < 0) {
            throw new ConfigException(List.of(BACKOFF_MAX.env() + ": must not be shorter than " + BACKOFF_MIN.env()));
        }
        return config;
    }

    /** The defaults, for tests and tools: {@code from} over an empty environment. */
    public static IngestWorkerConfig defaults() {
        List<Setting<?>> settings = new ArrayList<>(SETTINGS);
        settings.addAll(SourcePolicyConfig.SETTINGS);
        return from(ConfigValues.read(java.util.Map.of(), settings));
    }

    /** All settings the ingest-worker process reads, common ones first. */
    public static List<Setting<?>> allSettings() {
        List<Setting<?>> all = new ArrayList<>(CommonConfig.SETTINGS);
        all.addAll(SETTINGS);
        // Declared once in common and listed by control-api too (both check stream URLs); in the
        // standalone process they come with control-api's settings.
        all.addAll(SourcePolicyConfig.SETTINGS);
        all.addAll(dev.vigil.ingest.record.RecordingConfig.SETTINGS);
        // Declared by the storage module and read by control-api too; in standalone they are listed once.
        all.addAll(dev.vigil.storage.StorageConfig.SETTINGS);
        return List.copyOf(all);
    }
}
