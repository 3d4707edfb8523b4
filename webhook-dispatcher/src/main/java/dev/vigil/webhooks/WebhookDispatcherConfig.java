package dev.vigil.webhooks;

import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.config.ConfigException;
import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.config.Setting;
import dev.vigil.common.config.Settings;
import dev.vigil.common.secrets.SecretKeys;
import dev.vigil.schemas.Topics;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings of the webhook dispatcher: the SSRF switch, HTTP timeouts, per-endpoint isolation
 * (concurrency, queue wait, circuit breaker), the retry schedule and the in-memory bound.
 *
 * <p>The retry schedule maps, in order, onto the retry tier topics ({@code vigil.webhooks.retry.5s} …
 * {@code .6h}); the topic names never change, so a shortened schedule (tests) still uses them. A
 * schedule with fewer delays than tiers uses only the first tiers: {@code n} delays mean at most
 * {@code n + 1} attempts.
 */
public record WebhookDispatcherConfig(
        boolean allowPrivateCallbacks,
        Duration connectTimeout,
        Duration responseTimeout,
        Duration attemptDeadline,
        long maxResponseBodyBytes,
        int endpointConcurrency,
        int endpointMaxQueued,
        int tenantMaxInFlight,
        Duration endpointMaxQueueWait,
        int breakerFailureThreshold,
        Duration breakerOpenDuration,
        List<Duration> retrySchedule,
        int retryJitterPercent,
        int maxPending,
        Duration dnsCacheTtl,
        Optional<SecretKeys> secretKeys) {

    public static final List<String> DEFAULT_RETRY_SCHEDULE = List.of("5s", "30s", "2m", "10m", "1h", "6h");

    public static final Setting<Boolean> ALLOW_PRIVATE_CALLBACKS = Settings.bool("VIGIL_WEBHOOK_ALLOW_PRIVATE_CALLBACKS", false,
            "Deliver to callback URLs that resolve to loopback, private or link-local addresses (SSRF guard off; demos and tests).");
    public static final Setting<Duration> CONNECT_TIMEOUT = Settings.duration("VIGIL_WEBHOOK_CONNECT_TIMEOUT", Duration.ofSeconds(5),
            "Longest wait for a TCP (and TLS) connection to an endpoint; then the attempt fails and is retried.")
            .check(d -> d.toMillis() >= 50 && d.toMinutes() <= 5, "between 50ms and 5m");
    public static final Setting<Duration> RESPONSE_TIMEOUT = Settings.duration("VIGIL_WEBHOOK_RESPONSE_TIMEOUT", Duration.ofSeconds(10),
            "Longest an endpoint may stay silent while answering; then the attempt fails and is retried "
                    + "(see also VIGIL_WEBHOOK_ATTEMPT_DEADLINE).")
            .check(d -> d.toMillis() >= 50 && d.toMinutes() <= 5, "between 50ms and 5m");
    public static final Setting<Duration> ATTEMPT_DEADLINE = Settings.duration("VIGIL_WEBHOOK_ATTEMPT_DEADLINE",
            Duration.ofSeconds(30),
            "Longest a whole attempt may take (connect, send, status, headers and body), however steadily the endpoint "
                    + "trickles bytes; then the connection is closed and the attempt fails as a timeout and is retried.")
            .check(d -> d.toMillis() >= 100 && d.toMinutes() <= 10, "between 100ms and 10m");
    public static final Setting<Integer> MAX_RESPONSE_BODY = Settings.integer("VIGIL_WEBHOOK_MAX_RESPONSE_BODY", 65_536, 0,
            16 * 1024 * 1024,
            "Bytes of an endpoint's response body read (and discarded) at most; a longer body is cut by closing the "
                    + "connection, and the status still counts.");
    public static final Setting<Integer> ENDPOINT_MAX_QUEUED = Settings.integer("VIGIL_WEBHOOK_ENDPOINT_MAX_QUEUED", 256, 1,
            1_000_000,
            "Notifications waiting in line for one endpoint at most; further ones go to the first retry topic without "
                    + "using an attempt. Larger values let a burst wait in memory rather than 5 s in the retry topic, "
                    + "but a long line raises every delivery's latency once the endpoint falls behind (measured: "
                    + "5,000 turned a 57 ms webhook p50 at 200/s into 3.9 s; webhook-dispatcher DESIGN).");
    public static final Setting<Integer> TENANT_MAX_IN_FLIGHT = Settings.integer("VIGIL_WEBHOOK_TENANT_MAX_IN_FLIGHT", 256,
            1, 1_000_000,
            "Notifications of one collection queued or in flight at once, over all its endpoints; further ones go to the "
                    + "first retry topic without using an attempt, so one tenant cannot take the slots of the others.");
    public static final Setting<Integer> ENDPOINT_CONCURRENCY = Settings.integer("VIGIL_WEBHOOK_ENDPOINT_CONCURRENCY", 16, 1, 1_024,
            "Requests in flight per endpoint (scheme, host and port); also the size of its keep-alive connection pool.");
    public static final Setting<Duration> ENDPOINT_MAX_QUEUE_WAIT = Settings.duration("VIGIL_WEBHOOK_ENDPOINT_MAX_QUEUE_WAIT",
            Duration.ofSeconds(10),
            "When the oldest notification queued for an endpoint has waited this long, new ones for it go to the retry topics "
                    + "instead of queueing, so a slow endpoint cannot hold the dispatcher's memory.")
            .check(d -> d.toMillis() >= 10, "at least 10ms");
    public static final Setting<Integer> BREAKER_FAILURES = Settings.integer("VIGIL_WEBHOOK_BREAKER_FAILURES", 5, 1, 1_000,
            "Consecutive failed attempts (connection errors, timeouts, 429, 5xx) that open an endpoint's circuit.");
    public static final Setting<Duration> BREAKER_OPEN = Settings.duration("VIGIL_WEBHOOK_BREAKER_OPEN", Duration.ofSeconds(30),
            "How long an open circuit sends an endpoint's notifications straight to the retry topics before one probe request.")
            .check(d -> d.toMillis() >= 10, "at least 10ms");
    public static final Setting<List<String>> RETRY_SCHEDULE = Settings.list("VIGIL_WEBHOOK_RETRY_SCHEDULE", DEFAULT_RETRY_SCHEDULE,
            "Delays before the 2nd, 3rd, … attempt, one per retry tier topic in order (at most "
                    + Topics.WEBHOOK_RETRY_TIERS.size() + ", non-decreasing, e.g. 250ms or 5s); after the last one "
                    + "the notification is dead-lettered.");
    public static final Setting<Integer> RETRY_JITTER_PERCENT = Settings.integer("VIGIL_WEBHOOK_RETRY_JITTER_PERCENT", 20, 0, 100,
            "Random extra delay, up to this percentage of the tier's delay, so retries of one outage do not arrive together.");
    public static final Setting<Integer> MAX_PENDING = Settings.integer("VIGIL_WEBHOOK_MAX_PENDING", 10_000, 100, 1_000_000,
            "Notifications held in memory at most (fetched, queued or in flight); at the bound the dispatcher stops fetching.");
    public static final Setting<Duration> DNS_CACHE_TTL = Settings.duration("VIGIL_WEBHOOK_DNS_CACHE_TTL", Duration.ofSeconds(30),
            "How long a callback host's checked addresses are reused before it is resolved and checked again.");

    public static final List<Setting<?>> SETTINGS = List.of(ALLOW_PRIVATE_CALLBACKS, CONNECT_TIMEOUT, RESPONSE_TIMEOUT,
            ATTEMPT_DEADLINE, MAX_RESPONSE_BODY, ENDPOINT_CONCURRENCY, ENDPOINT_MAX_QUEUED, TENANT_MAX_IN_FLIGHT, ENDPOINT_MAX_QUEUE_WAIT, BREAKER_FAILURES, BREAKER_OPEN, RETRY_SCHEDULE,
            RETRY_JITTER_PERCENT, MAX_PENDING, DNS_CACHE_TTL, SecretKeys.KEYS);

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    public WebhookDispatcherConfig {
        retrySchedule = List.copyOf(retrySchedule);
    }

    /** Builds the config from validated values; the retry schedule is checked here. */
    public static WebhookDispatcherConfig from(ConfigValues values) {
        List<String> errors = new ArrayList<>();
        List<Duration> schedule = parseSchedule(values.get(RETRY_SCHEDULE), errors);
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new WebhookDispatcherConfig(values.get(ALLOW_PRIVATE_CALLBACKS), values.get(CONNECT_TIMEOUT),
                values.get(RESPONSE_TIMEOUT), values.get(ATTEMPT_DEADLINE), values.get(MAX_RESPONSE_BODY),
                values.get(ENDPOINT_CONCURRENCY), values.get(ENDPOINT_MAX_QUEUED), values.get(TENANT_MAX_IN_FLIGHT),
                values.get(ENDPOINT_MAX_QUEUE_WAIT),
                values.get(BREAKER_FAILURES), values.get(BREAKER_OPEN), schedule, values.get(RETRY_JITTER_PERCENT),
                values.get(MAX_PENDING), values.get(DNS_CACHE_TTL), SecretKeys.from(values));
    }

    /** A copy with {@code keys} opening the alerts' sealed webhook secrets (the launcher fills in a kept one). */
    public WebhookDispatcherConfig withSecretKeys(SecretKeys keys) {
        return new WebhookDispatcherConfig(allowPrivateCallbacks, connectTimeout, responseTimeout, attemptDeadline,
                maxResponseBodyBytes, endpointConcurrency, endpointMaxQueued, tenantMaxInFlight, endpointMaxQueueWait,
                breakerFailureThreshold, breakerOpenDuration, retrySchedule, retryJitterPercent, maxPending, dnsCacheTtl,
                Optional.of(keys));
    }

    /** Reads only the dispatcher's own settings from {@code env} (tests, tools). */
    public static WebhookDispatcherConfig fromEnv(Map<String, String> env) {
        return from(ConfigValues.read(env, SETTINGS));
    }

    /** All settings the webhook-dispatcher process reads, common ones first. */
    public static List<Setting<?>> allSettings() {
        List<Setting<?>> all = new ArrayList<>(CommonConfig.SETTINGS);
        all.addAll(SETTINGS);
        return List.copyOf(all);
    }

    static List<Duration> parseSchedule(List<String> items, List<String> errors) {
        String env = RETRY_SCHEDULE.env();
        if (items.size() > Topics.WEBHOOK_RETRY_TIERS.size()) {
            errors.add(env + ": at most " + Topics.WEBHOOK_RETRY_TIERS.size() + " delays (one per retry tier topic), got "
                    + items.size());
            return List.of();
        }
        List<Duration> delays = new ArrayList<>();
        for (String item : items) {
            Duration d = parseDuration(item);
            if (d == null || d.isZero() || d.isNegative()) {
                errors.add(env + ": '" + item + "' is not a positive duration (use e.g. 250ms, 5s, 2m, 6h)");
                return List.of();
            }
            if (!delays.isEmpty() && d.compareTo(delays.get(delays.size() - 1)) < 0) {
                // Tiers are chosen by "first delay >= Retry-After"; that needs them in order.
                errors.add(env + ": delays must not decrease ('" + item + "' after " + delays.get(delays.size() - 1) + ")");
                return List.of();
            }
            delays.add(d);
        }
        return delays;
    }

    private static Duration parseDuration(String raw) {
        String s = raw.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("p")) {
            try {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        Matcher m = DURATION.matcher(s);
        if (!m.matches()) {
            return null;
        }
        try {
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
    }
}
