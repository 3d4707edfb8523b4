package dev.vigil.ingest.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesFromMinToMax() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 0.5);
        assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delay(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(backoff.delay(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.delay(1_000)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void spreadsDelaysByTwentyPercentButNeverBeyondMax() {
        Backoff low = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 0.0);
        Backoff high = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 0.999_999);
        assertThat(low.delay(1)).isEqualTo(Duration.ofMillis(800));
        assertThat(high.delay(1)).isEqualTo(Duration.ofMillis(1_200));
        assertThat(low.delay(10)).isEqualTo(Duration.ofSeconds(24));
        assertThat(high.delay(10)).isEqualTo(Duration.ofSeconds(30));
    }
}
