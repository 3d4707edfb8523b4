package dev.vigil.indexer;

import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.config.Setting;
import dev.vigil.common.config.Settings;
import dev.vigil.common.models.ModelConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of the indexer: Streams threads and state, freshness, worker pools of the heavy engines,
 * detector cadence, and the server-wide model settings ({@link ModelConfig}, {@code VIGIL_MODEL_*}).
 *
 * @param applicationId     Kafka Streams application id after the topic prefix: the consumer group and the
 *                          prefix of the internal topics (changing it orphans the changelogs)
 * @param stateDir          Kafka Streams state directory
 * @param streamThreads     Kafka Streams threads (bookkeeping only: heavy work runs on the worker lanes)
 * @param maxLag            media older than this (capture time vs wall clock) is skipped and counted
 * @param visionThreads     frame-analysis lanes (OpenCV); a stream always maps to the same lane
 * @param speechThreads     speech-recognition lanes; a stream always maps to the same lane
 * @param laneQueue         jobs a speech or model lane may hold before new ones are dropped (freshness over completeness)
 * @param visionQueue       frames a vision lane may hold; below that bound a frame is only dropped when the lane
 *                          could not start it before its window is due (deadline-aware, see {@code Lanes})
 * @param detectInterval    at most one people/face detection per stream per interval; frames between get motion only
 * @param detectMaxAge      longest a stream's detections are reused while its picture does not change (motion gate)
 * @param sceneCloseGrace   how long after its end a scene window waits for late frames before it is emitted
 * @param maxUtterance      longest utterance sent to a speech engine; longer speech is cut
 * @param transcriptWait    how long an audio window waits for the transcript of speech it overlaps
 * @param transcriptEngine  offline engine of transcript indexes that name none (and the fallback of the
 *                          transcription model)
 * @param startTimeout      longest the start waits for the Streams application to be RUNNING
 * @param closeTimeout      longest the stop waits for the stream threads to finish and commit
 * @param models            the model server and models; offline engines only without one
 */
public record IndexerConfig(
        String applicationId,
        Path stateDir,
        int streamThreads,
        Duration maxLag,
        int visionThreads,
        int speechThreads,
        int laneQueue,
        int visionQueue,
        Duration detectInterval,
        Duration detectMaxAge,
        Duration sceneCloseGrace,
        Duration maxUtterance,
        Duration transcriptWait,
        String transcriptEngine,
        Duration startTimeout,
        Duration closeTimeout,
        ModelConfig models) {

    public static final Setting<String> APPLICATION_ID = Settings.string("VIGIL_INDEXER_APPLICATION_ID",
            "vigil-indexer", "Kafka Streams application id of the indexer, after the topic prefix "
                    + "(vigil.vigil-indexer): its consumer group and the prefix of its internal topics.")
            .check(v -> v.matches("[A-Za-z0-9._-]{1,100}"), "letters, digits, '.', '_' and '-' only");
    public static final Setting<String> STATE_DIR = Settings.string("VIGIL_INDEXER_STATE_DIR",
            System.getProperty("java.io.tmpdir") + "/vigil-indexer", "Kafka Streams state directory of the indexer.");
    public static final Setting<Integer> STREAM_THREADS = Settings.integer("VIGIL_INDEXER_STREAM_THREADS", 1, 1, 64,
            "Kafka Streams threads; they only do bookkeeping, heavy work runs on the worker lanes.");
    public static final Setting<Duration> MAX_LAG = Settings.duration("VIGIL_INDEXER_MAX_LAG", Duration.ofSeconds(10),
            "Media captured longer ago than this is skipped (and counted): freshness over completeness.")
            .check(d -> d.toMillis() >= 100, "at least 100ms");
    public static final Setting<Integer> VISION_THREADS = Settings.integer("VIGIL_INDEXER_VISION_THREADS", 1, 1, 64,
            "Frame-analysis lanes (OpenCV motion, people, faces); a stream always uses the same lane.");
    public static final Setting<Integer> SPEECH_THREADS = Settings.integer("VIGIL_INDEXER_SPEECH_THREADS", 1, 1, 64,
            "Speech-recognition lanes; a stream always uses the same lane. Each holds its own recognisers (~100 MB).");
    public static final Setting<Integer> LANE_QUEUE = Settings.integer("VIGIL_INDEXER_LANE_QUEUE", 16, 1, 10_000,
            "Jobs waiting per lane before new ones are dropped and counted.");
    public static final Setting<Integer> VISION_QUEUE = Settings.integer("VIGIL_INDEXER_VISION_QUEUE", 64, 1, 10_000,
            "Frames waiting per vision lane at most; below that a frame is dropped (and counted) only when the lane "
                    + "could not start it in time for its window, so a burst that can be served is not dropped.");
    public static final Setting<Duration> DETECT_INTERVAL = Settings.duration("VIGIL_INDEXER_DETECT_INTERVAL",
            Duration.ofSeconds(1), "At most one people/face detection per stream per interval (the CPU budget knob).");
    public static final Setting<Duration> DETECT_MAX_AGE = Settings.duration("VIGIL_INDEXER_DETECT_MAX_AGE",
            Duration.ofSeconds(10), "While a stream's picture does not change (under 0.2 % of it moving), its last "
                    + "people/face detections are reused for at most this long; 0s detects at every interval.")
            .check(d -> d.toMinutes() <= 10, "at most 10m");
    public static final Setting<Duration> SCENE_CLOSE_GRACE = Settings.duration("VIGIL_INDEXER_SCENE_CLOSE_GRACE",
            Duration.ofMillis(150), "Wait after a scene window's end (wall clock) for frames still in flight.");
    public static final Setting<Duration> MAX_UTTERANCE = Settings.duration("VIGIL_INDEXER_MAX_UTTERANCE",
            Duration.ofSeconds(10), "Longest utterance handed to a speech engine; longer speech is cut there.")
            .check(d -> d.toMillis() >= 1000 && d.toSeconds() <= 60, "between 1s and 60s");
    public static final Setting<Duration> TRANSCRIPT_WAIT = Settings.duration("VIGIL_INDEXER_TRANSCRIPT_WAIT",
            Duration.ofSeconds(3), "How long an audio window waits for the transcript of the speech it overlaps.");
    public static final Setting<String> TRANSCRIPT_ENGINE = Settings.string("VIGIL_INDEXER_TRANSCRIPT_ENGINE",
            "sphinx4-grammar", "Offline engine of transcript indexes that name none: sphinx4-grammar or sphinx4-freeform "
                    + "(with VIGIL_MODEL_TRANSCRIBE the model transcribes and this engine is its fallback).")
            .check(e -> e.equals("sphinx4-grammar") || e.equals("sphinx4-freeform"), "sphinx4-grammar or sphinx4-freeform");

    public static final Setting<Duration> START_TIMEOUT = Settings.duration("VIGIL_INDEXER_START_TIMEOUT",
            Duration.ofSeconds(90), "Longest the start waits for the Streams application to be RUNNING "
                    + "(joining the group and restoring the stores).")
            .check(d -> d.toSeconds() >= 1, "at least 1s");
    public static final Setting<Duration> CLOSE_TIMEOUT = Settings.duration("VIGIL_INDEXER_CLOSE_TIMEOUT",
            Duration.ofSeconds(30), "Longest the stop waits for the stream threads to finish and commit.")
            .check(d -> d.toSeconds() >= 1, "at least 1s");

    public static final List<Setting<?>> SETTINGS = List.of(APPLICATION_ID, STATE_DIR, STREAM_THREADS, MAX_LAG,
            VISION_THREADS, SPEECH_THREADS, LANE_QUEUE, VISION_QUEUE, DETECT_INTERVAL, DETECT_MAX_AGE, SCENE_CLOSE_GRACE,
            MAX_UTTERANCE, TRANSCRIPT_WAIT, TRANSCRIPT_ENGINE, START_TIMEOUT, CLOSE_TIMEOUT);

    /** Builds the config from validated values (of {@link #SETTINGS} and {@link ModelConfig#SETTINGS}). */
    public static IndexerConfig from(ConfigValues values) {
        return new IndexerConfig(values.get(APPLICATION_ID), Path.of(values.get(STATE_DIR)), values.get(STREAM_THREADS),
                values.get(MAX_LAG), values.get(VISION_THREADS), values.get(SPEECH_THREADS), values.get(LANE_QUEUE),
                values.get(VISION_QUEUE),
                values.get(DETECT_INTERVAL), values.get(DETECT_MAX_AGE), values.get(SCENE_CLOSE_GRACE),
                values.get(MAX_UTTERANCE), values.get(TRANSCRIPT_WAIT), values.get(TRANSCRIPT_ENGINE),
                values.get(START_TIMEOUT), values.get(CLOSE_TIMEOUT), ModelConfig.from(values));
    }

    /** Defaults, for tests and tools: {@code from(ConfigValues.read(env, SETTINGS))}. */
    public static IndexerConfig fromEnv(java.util.Map<String, String> env) {
        List<Setting<?>> settings = new ArrayList<>(SETTINGS);
        settings.addAll(ModelConfig.SETTINGS);
        return from(ConfigValues.read(env, settings));
    }

    /** All settings the indexer process reads: common ones, its own, the model settings. */
    public static List<Setting<?>> allSettings() {
        List<Setting<?>> all = new ArrayList<>(CommonConfig.SETTINGS);
        all.addAll(SETTINGS);
        all.addAll(ModelConfig.SETTINGS);
        return List.copyOf(all);
    }
}
