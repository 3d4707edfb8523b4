package dev.vigil.ws;

import dev.vigil.common.auth.WsTickets;
import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.config.ConfigException;
import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.config.Setting;
import dev.vigil.common.config.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of the WebSocket gateway: connection limits (per instance and per collection) and inbound limits, the per-connection write queue
 * bound and how long a client may overflow it, keep-alive pings and the idle timeout.
 *
 * <p>The ticket secret is not part of {@link #SETTINGS}: the gateway receives it as bytes (the
 * standalone launcher shares control-api's, which declares the same variable). A gateway running
 * alone reads it through {@link #TICKET_SECRET}, which is required there ({@link #allSettings()}).
 */
public record WsGatewayConfig(
        int maxConnections,
        int writeQueueBytes,
        Duration slowClientTimeout,
        int maxInboundFrameBytes,
        int inboundFramesPerSecond,
        int maxStrikes,
        int maxSubscriptions,
        Duration pingInterval,
        Duration idleTimeout,
        int ticketGuardSize,
        int maxConnectionsPerCollection) {

    public static final Setting<String> TICKET_SECRET = Settings.string("VIGIL_WS_TICKET_SECRET", null,
            "Shared secret verifying WebSocket tickets: the same value as control-api's (base64 of 32+ bytes, "
                    + "or 32+ characters). Required when ws-gateway runs in its own process.")
            .required()
            .secret()
            .check(WsGatewayConfig::isUsableSecret, "base64 of at least 32 bytes or at least 32 characters");
    public static final Setting<Integer> MAX_CONNECTIONS = Settings.integer("VIGIL_WS_MAX_CONNECTIONS", 10_000, 1,
            1_000_000, "Most WebSocket connections one gateway instance holds; further upgrades get 503.");
    public static final Setting<Integer> WRITE_QUEUE_BYTES = Settings.integer("VIGIL_WS_WRITE_QUEUE_BYTES", 262_144,
            4_096, 64 * 1_048_576, "Bytes handed to a connection but not yet written to its socket: while more "
                    + "than this is unwritten, its new frames are dropped and counted (at-most-once).");
    public static final Setting<Duration> SLOW_CLIENT_TIMEOUT = Settings.duration("VIGIL_WS_SLOW_CLIENT_TIMEOUT",
            Duration.ofSeconds(10), "A connection that keeps dropping frames this long is closed with code 1013 "
                    + "(and cut, if it does not even read the close frame, after at most 5s more).")
            .check(d -> d.toMillis() >= 100, "at least 100ms");
    public static final Setting<Integer> MAX_INBOUND_FRAME_BYTES = Settings.integer("VIGIL_WS_MAX_INBOUND_FRAME_BYTES",
            8_192, 256, 1_048_576, "Largest frame a client may send; a larger one closes the connection with code 1009.");
    public static final Setting<Integer> INBOUND_RATE = Settings.integer("VIGIL_WS_INBOUND_RATE", 10, 1, 10_000,
            "Frames per second a client may send (bursts up to the same number); excess frames are refused.");
    public static final Setting<Integer> MAX_STRIKES = Settings.integer("VIGIL_WS_MAX_STRIKES", 5, 1, 1_000,
            "Refused client frames (malformed, unknown action, over the rate) before the connection is closed with code 1008.");
    public static final Setting<Integer> MAX_SUBSCRIPTIONS = Settings.integer("VIGIL_WS_MAX_SUBSCRIPTIONS", 32, 1, 1_000,
            "Subscriptions one connection may hold at once.");
    public static final Setting<Duration> PING_INTERVAL = Settings.duration("VIGIL_WS_PING_INTERVAL",
            Duration.ofSeconds(15), "How often the gateway pings each connection (keep-alive through proxies).")
            .check(d -> d.toMillis() >= 50 && d.toMinutes() <= 10, "between 50ms and 10m");
    public static final Setting<Duration> IDLE_TIMEOUT = Settings.duration("VIGIL_WS_IDLE_TIMEOUT",
            Duration.ofSeconds(45), "A connection from which nothing (not even a pong) arrived this long is closed "
                    + "with code 1001; must exceed the ping interval.")
            .check(d -> d.toMillis() >= 100 && d.toHours() <= 24, "between 100ms and 24h");
    public static final Setting<Integer> TICKET_GUARD_SIZE = Settings.integer("VIGIL_WS_TICKET_GUARD_SIZE", 100_000,
            100, 10_000_000, "Unexpired used tickets remembered to refuse reuse; when full, new tickets are refused "
                    + "until some expire (size it for connects per second times the ticket TTL).");

    public static final Setting<Integer> QUOTA_CONNECTIONS = Settings.integer("VIGIL_QUOTA_WS_CONNECTIONS", 1_000, 1,
            1_000_000, "Most WebSocket connections one collection (tenant) may hold on one gateway instance, so no tenant "
                    + "can take every slot of VIGIL_WS_MAX_CONNECTIONS; further upgrades get 429.");

    /** The gateway's own settings, without the ticket secret (see the class comment). */
    public static final List<Setting<?>> SETTINGS = List.of(MAX_CONNECTIONS, WRITE_QUEUE_BYTES, SLOW_CLIENT_TIMEOUT,
            MAX_INBOUND_FRAME_BYTES, INBOUND_RATE, MAX_STRIKES, MAX_SUBSCRIPTIONS, PING_INTERVAL, IDLE_TIMEOUT,
            TICKET_GUARD_SIZE, QUOTA_CONNECTIONS);

    public WsGatewayConfig {
        if (idleTimeout.compareTo(pingInterval) <= 0) {
            throw new ConfigException(List.of(IDLE_TIMEOUT.env() + ": must be longer than " + PING_INTERVAL.env()
                    + " (" + pingInterval + "), or every connection would time out between two pings"));
        }
    }

    /** Builds the config from validated values; the ping/idle relation is checked here. */
    public static WsGatewayConfig from(ConfigValues values) {
        return new WsGatewayConfig(values.get(MAX_CONNECTIONS), values.get(WRITE_QUEUE_BYTES),
                values.get(SLOW_CLIENT_TIMEOUT), values.get(MAX_INBOUND_FRAME_BYTES), values.get(INBOUND_RATE),
                values.get(MAX_STRIKES), values.get(MAX_SUBSCRIPTIONS), values.get(PING_INTERVAL),
                values.get(IDLE_TIMEOUT), values.get(TICKET_GUARD_SIZE), values.get(QUOTA_CONNECTIONS));
    }

    /** Every setting the gateway's own process reads: common ones, the ticket secret, then the gateway's. */
    public static List<Setting<?>> allSettings() {
        List<Setting<?>> all = new ArrayList<>(CommonConfig.SETTINGS);
        all.add(TICKET_SECRET);
        all.addAll(SETTINGS);
        return List.copyOf(all);
    }

    /** The secret as bytes, as control-api decodes it. */
    public static byte[] ticketSecret(ConfigValues values) {
        return WsTickets.secretFrom(values.get(TICKET_SECRET));
    }

    private static boolean isUsableSecret(String value) {
        try {
            WsTickets.secretFrom(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
