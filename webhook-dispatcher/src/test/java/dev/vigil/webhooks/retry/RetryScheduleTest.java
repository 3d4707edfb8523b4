package dev.vigil.webhooks.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    private static final Instant NOW = Instant.parse("2026-01-15T10:30:45Z");
    private static final List<Duration> DEFAULT = List.of(Duration.ofSeconds(5), Duration.ofSeconds(30),
            Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofHours(6));

    @Test
    void attemptNGoesToTierNMinusOneWithoutJitter() {
        RetrySchedule schedule = new RetrySchedule(DEFAULT, 0);
        for (int attempt = 1; attempt <= 6; attempt++) {
            RetrySchedule.Retry retry = schedule.after(attempt, Optional.empty(), NOW).orElseThrow();
            assertThat(retry.tier()).isEqualTo(attempt - 1);
            assertThat(retry.dueAt()).isEqualTo(NOW.plus(DEFAULT.get(attempt - 1)));
        }
        assertThat(schedule.maxAttempts()).isEqualTo(7);
    }

    @Test
    void noRetryAfterTheLastTier() {
        RetrySchedule schedule = new RetrySchedule(DEFAULT, 20);
        assertThat(schedule.after(7, Optional.empty(), NOW)).isEmpty();
        assertThat(schedule.after(7, Optional.of(Duration.ofSeconds(1)), NOW)).isEmpty();
        assertThat(new RetrySchedule(List.of(Duration.ofMillis(200)), 0).after(2, Optional.empty(), NOW)).isEmpty();
    }

    @Test
    void jitterAddsUpToItsPercentageOfTheDelay() {
        RetrySchedule low = new RetrySchedule(DEFAULT, 20, () -> 0.0);
        RetrySchedule high = new RetrySchedule(DEFAULT, 20, () -> 0.999_999);
        assertThat(low.after(2, Optional.empty(), NOW).orElseThrow().dueAt()).isEqualTo(NOW.plusSeconds(30));
        assertThat(high.after(2, Optional.empty(), NOW).orElseThrow().dueAt())
                .isAfter(NOW.plusSeconds(35)).isBeforeOrEqualTo(NOW.plusSeconds(36));
    }

    @Test
    void retryAfterPicksTheFirstTierAtLeastAsLong() {
        RetrySchedule schedule = new RetrySchedule(DEFAULT, 0);
        RetrySchedule.Retry retry = schedule.after(1, Optional.of(Duration.ofSeconds(31)), NOW).orElseThrow();
        assertThat(retry.tier()).isEqualTo(2);
        assertThat(retry.dueAt()).isEqualTo(NOW.plus(Duration.ofMinutes(2)));
        assertThat(schedule.after(1, Optional.of(Duration.ofSeconds(30)), NOW).orElseThrow().tier()).isEqualTo(1);
    }

    @Test
    void retryAfterShorterThanTheScheduleKeepsTheSchedule() {
        RetrySchedule schedule = new RetrySchedule(DEFAULT, 0);
        assertThat(schedule.after(3, Optional.of(Duration.ofSeconds(1)), NOW).orElseThrow().tier()).isEqualTo(2);
        assertThat(schedule.after(1, Optional.of(Duration.ZERO), NOW).orElseThrow().tier()).isZero();
    }

    @Test
    void retryAfterBeyondTheLongestTierIsCappedAtIt() {
        RetrySchedule schedule = new RetrySchedule(DEFAULT, 0);
        RetrySchedule.Retry retry = schedule.after(1, Optional.of(Duration.ofDays(2)), NOW).orElseThrow();
        assertThat(retry.tier()).isEqualTo(5);
        assertThat(retry.dueAt()).isEqualTo(NOW.plus(Duration.ofHours(6)));
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new RetrySchedule(List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetrySchedule(DEFAULT, 101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetrySchedule(DEFAULT, 0).after(0, Optional.empty(), NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
