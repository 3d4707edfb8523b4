package dev.vigil.common.config;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Factories for {@link Setting}s of the common types, with parsers that say what they expect. */
public final class Settings {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|mb|gb|tb)?");

    private Settings() {
    }

    public static Setting<String> string(String env, String defaultValue, String doc) {
        return Setting.of(env, "string", raw -> {
            if (raw.isEmpty()) {
                throw new IllegalArgumentException("empty");
            }
            return raw;
        }, defaultValue, doc);
    }

    public static Setting<Integer> integer(String env, Integer defaultValue, int min, int max, String doc) {
        return Setting.of(env, "integer", Integer::parseInt, defaultValue, doc)
                .check(v -> v >= min && v <= max, "must be between " + min + " and " + max);
    }

    public static Setting<Boolean> bool(String env, Boolean defaultValue, String doc) {
        return Setting.of(env, "boolean", Settings::parseBoolean, defaultValue, doc);
    }

    /** A duration written as {@code 250ms}, {@code 5s}, {@code 2m}, {@code 6h}, {@code 7d} or ISO-8601 ({@code PT5S}). */
    public static Setting<Duration> duration(String env, Duration defaultValue, String doc) {
        return Setting.of(env, "duration", Settings::parseDuration, defaultValue, doc)
                .check(d -> !d.isNegative(), "must not be negative");
    }

    /** A number of bytes written as {@code 1048576}, {@code 512KB}, {@code 64MB}, {@code 10GB} or {@code 1TB} (powers of 1024). */
    public static Setting<Long> bytes(String env, Long defaultValue, String doc) {
        return Setting.of(env, "size", Settings::parseBytes, defaultValue, doc);
    }

    /** A size as settings write it: "1048576", "512KB", "64MB", "10GB", "1TB" (case-insensitive, powers of 1024). */
    public static long parseBytes(String raw) {
        Matcher m = SIZE.matcher(raw.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("use e.g. 1048576, 512KB, 64MB, 10GB");
        }
        long amount = Long.parseLong(m.group(1));
        int shift = m.group(2) == null ? 0 : switch (m.group(2)) {
            case "kb" -> 10;
            case "mb" -> 20;
            case "gb" -> 30;
            case "tb" -> 40;
            default -> 0;
        };
        if (amount > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("too large");
        }
        return amount << shift;
    }

    /** A comma-separated list of non-empty strings. */
    public static Setting<List<String>> list(String env, List<String> defaultValue, String doc) {
        return Setting.of(env, "list", raw -> {
            List<String> items = Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            if (items.isEmpty()) {
                throw new IllegalArgumentException("empty list");
            }
            return items;
        }, defaultValue, doc);
    }

    /** An absolute URI. */
    public static Setting<URI> uri(String env, URI defaultValue, String doc) {
        return Setting.of(env, "URI", raw -> {
            URI uri = URI.create(raw);
            if (!uri.isAbsolute()) {
                throw new IllegalArgumentException("not absolute");
            }
            return uri;
        }, defaultValue, doc);
    }

    /** One of the constants of {@code type}, case-insensitive. */
    public static <E extends Enum<E>> Setting<E> enumeration(String env, Class<E> type, E defaultValue, String doc) {
        return Setting.of(env, "one of " + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT),
                raw -> Enum.valueOf(type, raw.toUpperCase(Locale.ROOT).replace('-', '_')), defaultValue, doc);
    }

    static boolean parseBoolean(String raw) {
        switch (raw.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1":
                return true;
            case "false", "no", "off", "0":
                return false;
            default:
                throw new IllegalArgumentException("use true or false");
        }
    }

    /** A duration as settings write it: "250ms", "5s", "2m", "6h", "7d" or ISO-8601 ("PT5S"). */
    public static Duration parseDuration(String raw) {
        if (raw.toUpperCase(Locale.ROOT).startsWith("P")) {
            return Duration.parse(raw.toUpperCase(Locale.ROOT));
        }
        Matcher m = DURATION.matcher(raw.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("use e.g. 250ms, 5s, 2m, 6h, 7d");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }
}
