package dev.vigil.ws.metrics;

import dev.vigil.ws.feed.Channel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The gateway's meters, all named {@code vigil_ws_gateway_…}: open connections, frames sent and
 * dropped per channel, the Kafka→socket latency per channel (record {@code emit_ts} or alert
 * {@code timestamp} to the write), refused upgrades and client frames by reason, closes by reason,
 * and skipped Kafka records. The per-channel meters are created up front: the hot path only
 * increments. Thread-safe.
 */
public final class GatewayMetrics {

    private final MeterRegistry registry;
    private final Map<Channel, Counter> sent = new EnumMap<>(Channel.class);
    private final Map<Channel, Counter> droppedSlowClient = new EnumMap<>(Channel.class);
    private final Map<Channel, Timer> latency = new EnumMap<>(Channel.class);
    private final Counter opened;
    private final Map<String, Counter> byReason = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry, Supplier<Number> openConnections) {
        this.registry = registry;
        Gauge.builder("vigil_ws_gateway_connections", openConnections)
                .description("WebSocket connections open (or being upgraded) on this instance")
                .register(registry);
        for (Channel channel : Channel.values()) {
            String tag = channel.wireName();
            sent.put(channel, Counter.builder("vigil_ws_gateway_frames_sent")
                    .description("Frames written to WebSocket connections").tag("channel", tag).register(registry));
            droppedSlowClient.put(channel, Counter.builder("vigil_ws_gateway_frames_dropped")
                    .description("Frames not sent because the connection had too many bytes unwritten")
                    .tag("channel", tag).tag("reason", "slow_client").register(registry));
            latency.put(channel, Timer.builder("vigil_ws_gateway_delivery_latency")
                    .description("From the record's emit time (alerts: firing time) until its last frame reached a socket")
                    .tag("channel", tag)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry));
        }
        opened = Counter.builder("vigil_ws_gateway_connections_opened")
                .description("WebSocket connections accepted").register(registry);
    }

    /** A frame reached its socket. */
    public void sent(Channel channel) {
        sent.get(channel).increment();
    }

    /**
     * The last frame of one record reached its socket {@code latencyMillis} after the record's
     * source time (recorded once per record, however many connections got it).
     */
    public void latency(Channel channel, long latencyMillis) {
        latency.get(channel).record(Math.max(0, latencyMillis), TimeUnit.MILLISECONDS);
    }

    /** A frame was dropped because the connection could not keep up. */
    public void dropped(Channel channel) {
        droppedSlowClient.get(channel).increment();
    }

    public void opened() {
        opened.increment();
    }

    /** An upgrade was refused ({@code missing}, {@code malformed}, {@code bad_signature}, {@code expired}, …). */
    public void upgradeRejected(String reason) {
        count("vigil_ws_gateway_upgrades_rejected", "Upgrades refused before the handshake", reason);
    }

    /** A client frame was refused ({@code malformed}, {@code rate}, {@code too_big}, …). */
    public void clientFrameRejected(String reason) {
        count("vigil_ws_gateway_client_frames_rejected", "Client frames refused", reason);
    }

    /**
     * A connection is closing: the gateway started it ({@code slow_client}, {@code idle}, {@code abuse},
     * {@code too_big}, {@code shutdown}) or the client did ({@code client}).
     */
    public void closed(String reason) {
        count("vigil_ws_gateway_connections_closed", "WebSocket connections closed, by who or why", reason);
    }

    /** A Kafka record could not be decoded and was skipped. */
    public void recordSkipped(String topic) {
        count("vigil_ws_gateway_records_skipped", "Undecodable Kafka records skipped", topic);
    }

    private void count(String name, String description, String reason) {
        String tag = reason.toLowerCase(Locale.ROOT);
        String key = name + '\0' + tag;
        byReason.computeIfAbsent(key, k -> Counter.builder(name).description(description)
                .tag(name.endsWith("records_skipped") ? "topic" : "reason", tag).register(registry)).increment();
    }

    /** Frames sent on {@code channel} so far (for tests and the benchmark). */
    public double sentCount(Channel channel) {
        return sent.get(channel).count();
    }

    /** Frames dropped for slow clients on {@code channel} so far. */
    public double droppedCount(Channel channel) {
        return droppedSlowClient.get(channel).count();
    }

    /** Where these meters live (for the feed reader's own meters). */
    public MeterRegistry registry() {
        return registry;
    }
}
