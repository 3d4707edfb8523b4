package dev.vigil.webhooks.retry;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads an HTTP {@code Retry-After} header (RFC 9110 §10.2.3): either delay-seconds ({@code 120})
 * or an HTTP date ({@code Wed, 21 Oct 2015 07:28:00 GMT}). Anything else is ignored, as the RFC
 * allows; a date in the past means "now".
 */
public final class RetryAfter {

    /** Longer requests are read as this: no tier waits longer, and it keeps the arithmetic safe. */
    static final Duration MAX = Duration.ofDays(7);

    private RetryAfter() {
    }

    /** The delay {@code value} asks for, measured from {@code now}; empty if absent or unreadable. */
    public static Optional<Duration> parse(String value, Instant now) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // Nine digits already exceed MAX; longer strings would overflow a long.
            if (v.length() > 9) {
                return Optional.of(MAX);
            }
            return Optional.of(min(Duration.ofSeconds(Long.parseLong(v))));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(now, at);
            return Optional.of(d.isNegative() ? Duration.ZERO : min(d));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Duration min(Duration d) {
        return d.compareTo(MAX) > 0 ? MAX : d;
    }
}
