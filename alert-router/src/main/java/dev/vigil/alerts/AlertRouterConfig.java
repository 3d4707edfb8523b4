package dev.vigil.alerts;

import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.config.Setting;
import dev.vigil.common.config.Settings;
import dev.vigil.common.models.ModelConfig;
import dev.vigil.common.playback.ClipLinks;
import dev.vigil.common.playback.PlaybackLinks;
import dev.vigil.common.playback.PublicUrl;
import dev.vigil.common.secrets.SecretKeys;
import dev.vigil.common.secrets.SignedUrls;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of the alert-router: its Kafka Streams application id (below the topic prefix), local
 * state directory, stream threads, commit interval, the cooldown of alerts without a valid one, how
 * long start and stop may take, and the server-wide model settings ({@link ModelConfig},
 * {@code VIGIL_MODEL_*}): with a text model, judged events are judged (alert-router/DESIGN.md).
 */
public record AlertRouterConfig(
        String applicationId,
        Path stateDir,
        int streamThreads,
        Duration commitInterval,
        Duration defaultCooldown,
        Duration startTimeout,
        Duration closeTimeout,
        ProcessingGuarantee processingGuarantee,
        ModelConfig models,
        Optional<URI> publicUrl,
        Duration clipTtl,
        Duration clipPadding,
        Optional<SecretKeys> secretKeys) {

    /** Kafka Streams' processing guarantees, as the setting names them. */
    public enum ProcessingGuarantee {
        AT_LEAST_ONCE("at_least_once"), EXACTLY_ONCE_V2("exactly_once_v2");

        private final String streamsValue;

        ProcessingGuarantee(String streamsValue) {
            this.streamsValue = streamsValue;
        }

        /** The value of {@code processing.guarantee}. */
        public String streamsValue() {
            return streamsValue;
        }
    }

    public static final Setting<String> APPLICATION_ID = Settings.string("VIGIL_ALERT_ROUTER_APPLICATION_ID",
            "alert-router", "Kafka Streams application id of the alert-router, after the topic prefix "
                    + "(vigil.alert-router): its consumer group and the prefix of its internal topics.")
            .check(v -> v.matches("[A-Za-z0-9._-]{1,100}"), "letters, digits, '.', '_' and '-' only");
    public static final Setting<String> STATE_DIR = Settings.string("VIGIL_ALERT_ROUTER_STATE_DIR",
            Path.of(System.getProperty("java.io.tmpdir"), "vigil-alert-router").toString(),
            "Kafka Streams state directory (locks and checkpoints; the stores themselves are in memory). "
                    + "One per instance on a host.");
    public static final Setting<Integer> STREAM_THREADS = Settings.integer("VIGIL_ALERT_ROUTER_STREAM_THREADS", 1, 1, 64,
            "Stream threads; one evaluates well over 100k conditions/s, add threads up to the cores given.");
    public static final Setting<Duration> COMMIT_INTERVAL = Settings.duration("VIGIL_ALERT_ROUTER_COMMIT_INTERVAL",
            Duration.ofSeconds(1), "How often offsets are committed; bounds what is reprocessed after a crash "
                    + "(notifications are sent at once, and repeated ones keep their id). Each commit stalls the "
                    + "stream thread for a producer flush and an offset commit, so shorter intervals raise the "
                    + "latency tail (alert-router/DESIGN.md).")
            .check(d -> d.toMillis() >= 10 && d.toMinutes() <= 10, "between 10ms and 10m");
    public static final Setting<Duration> DEFAULT_COOLDOWN = Settings.duration("VIGIL_ALERT_ROUTER_DEFAULT_COOLDOWN",
            Duration.ofSeconds(60), "Cooldown of an alert whose cooldown_s is invalid (negative); alerts created "
                    + "through the API carry their own (default 60 s).")
            .check(d -> d.toHours() <= 24, "at most 24h");
    public static final Setting<Duration> START_TIMEOUT = Settings.duration("VIGIL_ALERT_ROUTER_START_TIMEOUT",
            Duration.ofSeconds(120), "Longest the start waits for the Streams application to be RUNNING "
                    + "(joining the group and restoring the stores).")
            .check(d -> d.toSeconds() >= 1, "at least 1s");
    public static final Setting<Duration> CLOSE_TIMEOUT = Settings.duration("VIGIL_ALERT_ROUTER_CLOSE_TIMEOUT",
            Duration.ofSeconds(30), "Longest the stop waits for the stream threads to finish and commit.")
            .check(d -> d.toSeconds() >= 1, "at least 1s");

    public static final Setting<ProcessingGuarantee> PROCESSING_GUARANTEE = Settings.enumeration(
            "VIGIL_ALERT_ROUTER_PROCESSING_GUARANTEE", ProcessingGuarantee.class, ProcessingGuarantee.AT_LEAST_ONCE,
            "at_least_once: a crash between writing a cooldown mark and its notification can lose that firing; "
                    + "exactly_once_v2: the notification, its cooldown mark and the input offsets commit together "
                    + "(see alert-router/DESIGN.md for what each costs).");

    /**
     * The alert-router's own settings; the last four make notifications of recorded streams carry clip links
     * ({@link ClipLinks}): the public URL of control-api, their lifetime and padding, and the keys signing them.
     */
    public static final List<Setting<?>> SETTINGS = List.of(APPLICATION_ID, STATE_DIR, STREAM_THREADS,
            COMMIT_INTERVAL, DEFAULT_COOLDOWN, START_TIMEOUT, CLOSE_TIMEOUT, PROCESSING_GUARANTEE,
            PublicUrl.SETTING, ClipLinks.TTL, ClipLinks.PADDING, SecretKeys.KEYS);

    /** Builds the config from validated values (of {@link #SETTINGS} and {@link ModelConfig#SETTINGS}). */
    public static AlertRouterConfig from(ConfigValues values) {
        return new AlertRouterConfig(values.get(APPLICATION_ID), Path.of(values.get(STATE_DIR)),
                values.get(STREAM_THREADS), values.get(COMMIT_INTERVAL), values.get(DEFAULT_COOLDOWN),
                values.get(START_TIMEOUT), values.get(CLOSE_TIMEOUT), values.get(PROCESSING_GUARANTEE),
                ModelConfig.from(values), values.find(PublicUrl.SETTING), values.get(ClipLinks.TTL),
                values.get(ClipLinks.PADDING), SecretKeys.from(values));
    }

    /**
     * The links notifications of recorded streams carry, signed with the first of {@link #secretKeys}; empty
     * (no links) without a public URL or keys.
     */
    public Optional<ClipLinks> clipLinks() {
        Optional<String> base = PublicUrl.base(publicUrl);
        if (base.isEmpty() || secretKeys.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ClipLinks(new PlaybackLinks(new SignedUrls(secretKeys.get(), Clock.systemUTC())),
                base.get(), clipTtl, clipPadding));
    }

    /** A copy with {@code keys} signing the clip links (standalone fills in its kept key). */
    public AlertRouterConfig withSecretKeys(SecretKeys keys) {
        return new AlertRouterConfig(applicationId, stateDir, streamThreads, commitInterval, defaultCooldown, startTimeout,
                closeTimeout, processingGuarantee, models, publicUrl, clipTtl, clipPadding, Optional.of(keys));
    }

    /** A copy with {@code url} as control-api's public URL, unless one is configured (standalone: its own port). */
    public AlertRouterConfig withDefaultPublicUrl(URI url) {
        return new AlertRouterConfig(applicationId, stateDir, streamThreads, commitInterval, defaultCooldown, startTimeout,
                closeTimeout, processingGuarantee, models, publicUrl.isPresent() ? publicUrl : Optional.of(url), clipTtl,
                clipPadding, secretKeys);
    }

    /**
     * What {@link #from} reads: {@link #SETTINGS} and the server-wide {@link ModelConfig#SETTINGS} (which a
     * process that also runs other services, like standalone, lists once for all of them).
     */
    public static List<Setting<?>> serviceSettings() {
        List<Setting<?>> all = new ArrayList<>(SETTINGS);
        all.addAll(ModelConfig.SETTINGS);
        return List.copyOf(all);
    }

    /** All settings the alert-router process reads, common ones first. */
    public static List<Setting<?>> allSettings() {
        List<Setting<?>> all = new ArrayList<>(CommonConfig.SETTINGS);
        all.addAll(serviceSettings());
        return List.copyOf(all);
    }

    /** A copy with another state directory (tests give each instance its own). */
    public AlertRouterConfig withStateDir(Path dir) {
        return new AlertRouterConfig(applicationId, dir, streamThreads, commitInterval, defaultCooldown, startTimeout,
                closeTimeout, processingGuarantee, models, publicUrl, clipTtl, clipPadding, secretKeys);
    }

    /** A copy with other model settings (tests point the judge at a fake model server). */
    public AlertRouterConfig withModels(ModelConfig other) {
        return new AlertRouterConfig(applicationId, stateDir, streamThreads, commitInterval, defaultCooldown, startTimeout,
                closeTimeout, processingGuarantee, other, publicUrl, clipTtl, clipPadding, secretKeys);
    }

    /** The consumer group of the judge worker, below the topic prefix. */
    public String judgeGroupId(String topicPrefix) {
        return topicPrefix + applicationId + "-judge";
    }
}
