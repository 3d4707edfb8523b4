package dev.vigil.indexer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The indexer's meters ({@code vigil_indexer_*}): records emitted per index type, media skipped as
 * stale or undecodable, jobs dropped by full worker lanes, transcripts without a hit, and engine
 * latency per engine. Thread-safe; shared by the Streams threads and the worker lanes.
 */
public final class IndexerMetrics {

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();

    public IndexerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One index record written; {@code type} is transcript, scene or audio. */
    public void emitted(String type) {
        counter("vigil_indexer_records_emitted", "type", type).increment();
    }

    /** Media skipped because it was captured longer ago than the configured max lag. */
    public void stale(String media) {
        counter("vigil_indexer_media_stale", "media", media).increment();
    }

    /** A media record that could not be decoded (bad Avro, bad JPEG, odd PCM), logged and skipped. */
    public void undecodable(String media) {
        counter("vigil_indexer_media_undecodable", "media", media).increment();
    }

    /** A job a full worker lane refused (the media is skipped: freshness over completeness). */
    public void dropped(String lane) {
        counter("vigil_indexer_jobs_dropped", "lane", lane).increment();
    }

    /** A frame that arrived after its scene window was emitted. */
    public void lateFrame() {
        counter("vigil_indexer_frames_late", "media", "frame").increment();
    }

    /** An utterance the speech engine did not recognise (out of vocabulary, {@code <unk>}, empty). */
    public void noHit(String engine) {
        counter("vigil_indexer_transcript_nohit", "engine", engine).increment();
    }

    /** An engine call that failed (the media is skipped). */
    public void engineFailure(String engine) {
        counter("vigil_indexer_engine_failures", "engine", engine).increment();
    }

    /**
     * A window or utterance whose model call gave no answer (failure, timeout, budget): the offline
     * record went out instead. {@code type} is scene, audio or transcript; {@code reason} a
     * {@code dev.vigil.models.FailureKind} tag.
     */
    public void modelFallback(String type, String reason) {
        counters.computeIfAbsent("vigil_indexer_model_fallbacks|" + type + '|' + reason, k -> Counter
                .builder("vigil_indexer_model_fallbacks")
                .description("Records emitted by the offline engine because the model gave no answer")
                .tag("type", type).tag("reason", reason)
                .register(registry)).increment();
    }

    /** Time an engine spent on one job (an utterance, a frame, a window). */
    public void engineLatency(String engine, Duration took) {
        timers.computeIfAbsent(engine, e -> Timer.builder("vigil_indexer_engine_latency")
                .description("Time an engine spends on one job")
                .tag("engine", e)
                .publishPercentiles(0.5, 0.99)
                .register(registry)).record(took);
    }

    /** Current count of a counter, for tests: e.g. {@code count("vigil_indexer_media_stale", "media", "frame")}. */
    public double count(String name, String tag, String value) {
        Counter c = registry.find(name).tag(tag, value).counter();
        return c == null ? 0 : c.count();
    }

    private Counter counter(String name, String tag, String value) {
        return counters.computeIfAbsent(name + '|' + value, k -> Counter.builder(name)
                .tag(tag, value)
                .register(registry));
    }
}
