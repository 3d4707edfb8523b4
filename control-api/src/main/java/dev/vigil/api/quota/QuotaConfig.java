package dev.vigil.api.quota;

import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.config.Setting;
import dev.vigil.common.config.Settings;
import java.util.List;

/**
 * Per-tenant limits of the control API (a tenant is a collection; an API key belongs to one). Objects
 * are counted in this instance's control view, so two instances creating at the same moment may
 * overshoot a limit by the number of racing requests (see docs/security.md).
 */
public record QuotaConfig(int streams, int indexes, int events, int alerts, int ticketsPerMinute, int requestsPerSecond) {

    public static final Setting<Integer> STREAMS = Settings.integer("VIGIL_QUOTA_STREAMS", 100, 1, 1_000_000,
            "Most rtstreams one collection may hold (each started one runs a decoder); creating more gets 429.");
    public static final Setting<Integer> INDEXES = Settings.integer("VIGIL_QUOTA_INDEXES", 500, 1, 1_000_000,
            "Most indexes (scene, audio, transcript) one collection may hold; creating more gets 429.");
    public static final Setting<Integer> EVENTS = Settings.integer("VIGIL_QUOTA_EVENTS", 500, 1, 1_000_000,
            "Most events (detection rules) one collection may hold; creating more gets 429.");
    public static final Setting<Integer> ALERTS = Settings.integer("VIGIL_QUOTA_ALERTS", 1_000, 1, 1_000_000,
            "Most alerts one collection may hold; creating more gets 429.");
    public static final Setting<Integer> TICKETS_PER_MINUTE = Settings.integer("VIGIL_QUOTA_TICKETS_PER_MINUTE", 60, 1,
            1_000_000, "WebSocket URLs (tickets) one collection may request per minute, per control-api instance; more get 429.");
    public static final Setting<Integer> REQUESTS_PER_SECOND = Settings.integer("VIGIL_QUOTA_REQUESTS_PER_SECOND", 100, 1,
            1_000_000, "Requests per second one API key may make to one control-api instance (bursts up to the same "
                    + "number); more get 429 with Retry-After.");

    public static final List<Setting<?>> SETTINGS = List.of(STREAMS, INDEXES, EVENTS, ALERTS, TICKETS_PER_MINUTE,
            REQUESTS_PER_SECOND);

    public static QuotaConfig from(ConfigValues values) {
        return new QuotaConfig(values.get(STREAMS), values.get(INDEXES), values.get(EVENTS), values.get(ALERTS),
                values.get(TICKETS_PER_MINUTE), values.get(REQUESTS_PER_SECOND));
    }

    /** The limit of {@code quota}. */
    public int limit(Quota quota) {
        return switch (quota) {
            case STREAMS -> streams;
            case INDEXES -> indexes;
            case EVENTS -> events;
            case ALERTS -> alerts;
        };
    }
}
