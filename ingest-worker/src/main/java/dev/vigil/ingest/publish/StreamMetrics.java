package dev.vigil.ingest.publish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The meters of one stream, tagged {@code rtstream=<id>}, removed from the registry when the worker
 * releases the stream (so a worker that handed a stream over stops exporting it):
 * <ul>
 *   <li>{@code vigil_ingest_frames_produced_total}, {@code vigil_ingest_frames_dropped_total{reason}}</li>
 *   <li>{@code vigil_ingest_audio_chunks_produced_total}, {@code vigil_ingest_audio_chunks_dropped_total{reason}}</li>
 *   <li>{@code vigil_ingest_reconnects_total}</li>
 *   <li>{@code vigil_ingest_capture_ack_lag_seconds{media}}: from reading the media to Kafka's ack</li>
 *   <li>{@code vigil_ingest_pacing_lateness_seconds}: how late paced media was read (real-time health)</li>
 * </ul>
 * Drop reasons: {@code backpressure} (producer buffer share full) and {@code send_failed} (Kafka did
 * not take the record in time).
 */
public final class StreamMetrics implements AutoCloseable {

    public static final String BACKPRESSURE = "backpressure";
    public static final String SEND_FAILED = "send_failed";

    /** Prometheus buckets for the lags: few per stream, around the 1 s target. */
    private static final Duration[] LAG_BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
        Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Counter framesProduced;
    private final Counter framesDroppedBackpressure;
    private final Counter framesDroppedFailed;
    private final Counter chunksProduced;
    private final Counter chunksDroppedBackpressure;
    private final Counter chunksDroppedFailed;
    private final Counter reconnects;
    private final Timer frameLag;
    private final Timer audioLag;
    private final Timer lateness;

    public StreamMetrics(MeterRegistry registry, String rtstreamId) {
        this.registry = registry;
        Tags tags = Tags.of("rtstream", rtstreamId);
        framesProduced = add(Counter.builder("vigil.ingest.frames.produced").tags(tags)
                .description("Sampled frames acknowledged by Kafka").register(registry));
        framesDroppedBackpressure = add(dropped("vigil.ingest.frames.dropped", tags, BACKPRESSURE, "Sampled frames not written"));
        framesDroppedFailed = add(dropped("vigil.ingest.frames.dropped", tags, SEND_FAILED, "Sampled frames not written"));
        chunksProduced = add(Counter.builder("vigil.ingest.audio.chunks.produced").tags(tags)
                .description("Audio chunks acknowledged by Kafka").register(registry));
        chunksDroppedBackpressure = add(dropped("vigil.ingest.audio.chunks.dropped", tags, BACKPRESSURE, "Audio chunks not written"));
        chunksDroppedFailed = add(dropped("vigil.ingest.audio.chunks.dropped", tags, SEND_FAILED, "Audio chunks not written"));
        reconnects = add(Counter.builder("vigil.ingest.reconnects").tags(tags)
                .description("Reconnect attempts").register(registry));
        frameLag = add(lag(tags.and("media", "frame")));
        audioLag = add(lag(tags.and("media", "audio")));
        lateness = add(Timer.builder("vigil.ingest.pacing.lateness").tags(tags)
                .description("How late paced media was read compared with its due time")
                .serviceLevelObjectives(LAG_BUCKETS).register(registry));
    }

    private Timer lag(Tags tags) {
        return Timer.builder("vigil.ingest.capture.ack.lag").tags(tags)
                .description("Time from reading media off the source to Kafka's acknowledgement")
                .serviceLevelObjectives(LAG_BUCKETS).register(registry);
    }

    private Counter dropped(String name, Tags tags, String reason, String description) {
        return Counter.builder(name).tags(tags.and("reason", reason)).description(description).register(registry);
    }

    private <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }

    public void frameProduced(long lagNanos) {
        framesProduced.increment();
        frameLag.record(Duration.ofNanos(lagNanos));
    }

    public void frameDropped(String reason) {
        (SEND_FAILED.equals(reason) ? framesDroppedFailed : framesDroppedBackpressure).increment();
    }

    public void chunkProduced(long lagNanos) {
        chunksProduced.increment();
        audioLag.record(Duration.ofNanos(lagNanos));
    }

    public void chunkDropped(String reason) {
        (SEND_FAILED.equals(reason) ? chunksDroppedFailed : chunksDroppedBackpressure).increment();
    }

    public void reconnect() {
        reconnects.increment();
    }

    public void late(long nanos) {
        lateness.record(Duration.ofNanos(Math.max(0, nanos)));
    }

    public double framesProduced() {
        return framesProduced.count();
    }

    public double framesDropped() {
        return framesDroppedBackpressure.count() + framesDroppedFailed.count();
    }

    public double chunksProduced() {
        return chunksProduced.count();
    }

    public double chunksDropped() {
        return chunksDroppedBackpressure.count() + chunksDroppedFailed.count();
    }

    /** Removes this stream's meters from the registry. */
    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
