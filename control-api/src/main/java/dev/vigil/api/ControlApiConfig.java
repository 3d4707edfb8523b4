package dev.vigil.api;

import dev.vigil.api.deliveries.DeliveryLogConfig;
import dev.vigil.api.playback.PlaybackConfig;
import dev.vigil.api.quota.QuotaConfig;
import dev.vigil.api.records.RecordsConfig;
import dev.vigil.common.auth.WsTickets;
import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.config.ConfigException;
import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.config.Setting;
import dev.vigil.common.config.Settings;
import dev.vigil.common.models.ModelConfig;
import dev.vigil.common.net.SourcePolicyConfig;
import dev.vigil.common.secrets.SecretKeys;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Settings of the control API: API keys and their collections, the WebSocket ticket secret and URL,
 * the validation switches for stream and callback URLs, the per-tenant quotas ({@link QuotaConfig}), and
 * the records store ({@link RecordsConfig}) and the playback API ({@link PlaybackConfig}).
 */
public record ControlApiConfig(
        Map<String, String> apiKeys,
        Optional<String> wsTicketSecret,
        Duration wsTicketTtl,
        Optional<URI> wsPublicUrl,
        boolean allowFileUrls,
        boolean allowPrivateCallbacks,
        boolean readBarrier,
        Duration requestTimeout,
        int maxBodyBytes,
        boolean latestFrames,
        Duration kafkaMaxBlock,
        QuotaConfig quotas,
        DeliveryLogConfig deliveries, RecordsConfig records, SourcePolicyConfig sources,
        ModelConfig models,
        Optional<SecretKeys> secretKeys,
        PlaybackConfig playback) {

    public static final Setting<List<String>> API_KEYS = Settings.list("VIGIL_API_KEYS", null,
            "API keys and the collection each may use, as key=collection pairs separated by commas "
                    + "(a key alone means collection 'default'). Unset: one key is generated at start and logged.")
            .secret();
    public static final Setting<String> WS_TICKET_SECRET = Settings.string("VIGIL_WS_TICKET_SECRET", null,
            "Shared secret (32+ characters, or base64) signing WebSocket tickets; the same value on every "
                    + "control-api and ws-gateway instance. Unset: a random one per process (fine for standalone).")
            .secret();
    public static final Setting<Duration> WS_TICKET_TTL = Settings.duration("VIGIL_WS_TICKET_TTL", Duration.ofSeconds(60),
            "How long a websocket_url stays usable (1s to 1h: tickets are short-lived, and ws-gateway remembers used ones that long).")
            .check(d -> d.compareTo(Duration.ofSeconds(1)) >= 0 && d.compareTo(WsTickets.MAX_TTL) <= 0,
                    "between 1s and 1h (" + WsTickets.MAX_TTL + ")");
    public static final Setting<URI> WS_PUBLIC_URL = Settings.uri("VIGIL_WS_PUBLIC_URL", null,
            "Base ws:// or wss:// URL of the WebSocket endpoint handed to clients; unset: derived from the request's Host.")
            .check(u -> "ws".equals(u.getScheme()) || "wss".equals(u.getScheme()), "scheme ws or wss");
    public static final Setting<Boolean> ALLOW_FILE_URLS = Settings.bool("VIGIL_API_ALLOW_FILE_URLS", false,
            "Accept local files (file:// or absolute paths) as stream URLs; for demos and tests.");
    public static final Setting<Boolean> ALLOW_PRIVATE_CALLBACKS = Settings.bool("VIGIL_API_ALLOW_PRIVATE_CALLBACKS", false,
            "Accept callback URLs resolving to loopback, private or link-local addresses (SSRF guard off).");
    public static final Setting<Boolean> READ_BARRIER = Settings.bool("VIGIL_API_READ_BARRIER", true,
            "Before each read, catch up with writes acknowledged by other instances (one ListOffsets round trip).");
    public static final Setting<Duration> REQUEST_TIMEOUT = Settings.duration("VIGIL_API_REQUEST_TIMEOUT", Duration.ofSeconds(10),
            "Longest a request waits for Kafka before answering 503.")
            .check(d -> d.toMillis() >= 100, "at least 100ms");
    public static final Setting<Integer> MAX_BODY_BYTES = Settings.integer("VIGIL_API_MAX_BODY_BYTES", 1_048_576, 1_024,
            16 * 1_048_576, "Largest accepted request body; larger ones get 413.");
    public static final Setting<Boolean> LATEST_FRAMES = Settings.bool("VIGIL_API_LATEST_FRAMES", true,
            "Read vigil.media.frames to serve each stream's newest frame (GET /rtstream/{id}/frame, the dashboard's "
                    + "thumbnails): one JPEG kept per stream, but every sampled frame crosses the network; false answers 503.");

    public static final Setting<Duration> KAFKA_MAX_BLOCK = Settings.duration("VIGIL_API_KAFKA_MAX_BLOCK", Duration.ofSeconds(2),
            "Longest a control write waits for Kafka metadata or producer buffer space (the producers' max.block.ms) "
                    + "before answering 503; writes never wait on the event loop.")
            .check(d -> d.toMillis() >= 100 && d.toSeconds() <= 60, "between 100ms and 60s");

    public static final List<Setting<?>> SETTINGS = Stream.of(Stream.of(API_KEYS, WS_TICKET_SECRET, WS_TICKET_TTL,
            WS_PUBLIC_URL, ALLOW_FILE_URLS, ALLOW_PRIVATE_CALLBACKS, READ_BARRIER, REQUEST_TIMEOUT, MAX_BODY_BYTES, LATEST_FRAMES,
            KAFKA_MAX_BLOCK, SecretKeys.KEYS), QuotaConfig.SETTINGS.stream(),
            DeliveryLogConfig.SETTINGS.stream(), RecordsConfig.SETTINGS.stream(), SourcePolicyConfig.SETTINGS.stream(),
            ModelConfig.SETTINGS.stream(), PlaybackConfig.SETTINGS.stream())
            .flatMap(s -> s).collect(Collectors.toUnmodifiableList());

    public ControlApiConfig {
        apiKeys = Map.copyOf(apiKeys);
    }

    /** Builds the config from validated values; API key pairs are checked here. */
    public static ControlApiConfig from(ConfigValues values) {
        Map<String, String> keys = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        values.find(API_KEYS).ifPresent(pairs -> {
            for (String pair : pairs) {
                String[] parts = pair.split("=", 2);
                String key = parts[0].trim();
                String collection = parts.length == 2 ? parts[1].trim() : "default";
                if (key.length() < 16) {
                    errors.add(API_KEYS.env() + ": every key must have at least 16 characters");
                } else if (!collection.matches("[A-Za-z0-9_-]{1,64}")) {
                    errors.add(API_KEYS.env() + ": collection ids are 1-64 letters, digits, '_' or '-'");
                } else {
                    keys.put(key, collection);
                }
            }
        });
        if (!errors.isEmpty()) {
            throw new ConfigException(errors.stream().distinct().toList());
        }
        return new ControlApiConfig(keys, values.find(WS_TICKET_SECRET), values.get(WS_TICKET_TTL),
                values.find(WS_PUBLIC_URL), values.get(ALLOW_FILE_URLS), values.get(ALLOW_PRIVATE_CALLBACKS),
                values.get(READ_BARRIER), values.get(REQUEST_TIMEOUT), values.get(MAX_BODY_BYTES), values.get(LATEST_FRAMES),
                values.get(KAFKA_MAX_BLOCK), QuotaConfig.from(values), DeliveryLogConfig.from(values), RecordsConfig.from(values),
                SourcePolicyConfig.from(values), ModelConfig.from(values), SecretKeys.from(values),
                PlaybackConfig.from(values));
    }

    /** All settings the control-api process reads, common ones first. */
    public static List<Setting<?>> allSettings() {
        List<Setting<?>> all = new ArrayList<>(CommonConfig.SETTINGS);
        all.addAll(SETTINGS);
        return List.copyOf(all);
    }

    /** A copy with {@code keys} as the API keys (the launcher fills in a generated one). */
    public ControlApiConfig withApiKeys(Map<String, String> keys) {
        return new ControlApiConfig(keys, wsTicketSecret, wsTicketTtl, wsPublicUrl, allowFileUrls, allowPrivateCallbacks,
                readBarrier, requestTimeout, maxBodyBytes, latestFrames, kafkaMaxBlock, quotas, deliveries, records, sources,
                models, secretKeys, playback);
    }

    /** A copy with {@code keys} as the keys sealing webhook secrets (the launcher fills in a kept one). */
    public ControlApiConfig withSecretKeys(SecretKeys keys) {
        return new ControlApiConfig(apiKeys, wsTicketSecret, wsTicketTtl, wsPublicUrl, allowFileUrls, allowPrivateCallbacks,
                readBarrier, requestTimeout, maxBodyBytes, latestFrames, kafkaMaxBlock, quotas, deliveries, records, sources,
                models, Optional.of(keys), playback);
    }
}
