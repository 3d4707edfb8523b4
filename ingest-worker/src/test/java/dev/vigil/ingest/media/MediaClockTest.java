package dev.vigil.ingest.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MediaClockTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicLong wall = new AtomicLong(1_700_000_000_000L);
    private final MediaClock clock = new MediaClock(wall::get, nanos::get);

    @Test
    void anchorsTheFirstTimestampAtNow() {
        assertThat(clock.wallMillis(5_000_000)).isEqualTo(1_700_000_000_000L);
        assertThat(clock.wallMillis(6_000_000)).isEqualTo(1_700_000_001_000L);
        assertThat(clock.nanosUntil(6_000_000)).isEqualTo(1_000_000_000L);
    }

    @Test
    void reportsLateMediaAsNegativeWait() {
        clock.nanosUntil(0);
        nanos.addAndGet(1_500_000_000L);
        assertThat(clock.nanosUntil(1_000_000)).isEqualTo(-500_000_000L);
    }

    @Test
    void toleratesInterleavingButReanchorsOnDiscontinuities() {
        clock.wallMillis(10_000_000);
        assertThat(clock.wallMillis(9_500_000)).isEqualTo(1_700_000_000_000L - 500);
        wall.addAndGet(3_000);
        nanos.addAndGet(3_000_000_000L);
        // Jumped 50 s ahead: a new anchor at the current time, not a 50 s wait.
        assertThat(clock.wallMillis(60_000_000)).isEqualTo(1_700_000_003_000L);
        assertThat(clock.nanosUntil(60_000_000)).isZero();
    }
}
