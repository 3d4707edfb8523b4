package dev.vigil.ingest.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameSamplerTest {

    private static List<Long> keep(FrameSampler sampler, long fromUs, long toUs, long stepUs) {
        List<Long> kept = new ArrayList<>();
        for (long t = fromUs; t < toUs; t += stepUs) {
            if (sampler.accept(t)) {
                kept.add(t);
            }
        }
        return kept;
    }

    @Test
    void keepsOneFramePerSecondOfStreamTime() {
        assertThat(keep(new FrameSampler(1), 0, 3_000_000, 40_000)).containsExactly(0L, 1_000_000L, 2_000_000L);
    }

    @Test
    void keepsTheRequestedRateOnTheFramesGrid() {
        assertThat(keep(new FrameSampler(2), 0, 3_000_000, 40_000))
                .containsExactly(0L, 520_000L, 1_000_000L, 1_520_000L, 2_000_000L, 2_520_000L);
    }

    @Test
    void keepsEveryFrameWhenTheSourceIsSlowerThanTheRate() {
        assertThat(keep(new FrameSampler(10), 0, 1_000_000, 200_000)).hasSize(5);
    }

    @Test
    void toleratesTimestampsRoundedSlightlyEarly() {
        FrameSampler sampler = new FrameSampler(1);
        assertThat(sampler.accept(0)).isTrue();
        assertThat(sampler.accept(999_000)).isTrue();
    }

    @Test
    void reanchorsAfterAGapInsteadOfBursting() {
        FrameSampler sampler = new FrameSampler(1);
        assertThat(sampler.accept(0)).isTrue();
        assertThat(sampler.accept(10_000_000)).isTrue();
        assertThat(sampler.accept(10_040_000)).isFalse();
        assertThat(sampler.accept(10_960_000)).isFalse();
        assertThat(sampler.accept(11_000_000)).isTrue();
    }

    @Test
    void reanchorsWhenTheClockGoesBackwards() {
        FrameSampler sampler = new FrameSampler(1);
        assertThat(sampler.accept(50_000_000)).isTrue();
        assertThat(sampler.accept(0)).isTrue();
        assertThat(sampler.accept(40_000)).isFalse();
        assertThat(sampler.accept(1_000_000)).isTrue();
    }

    @Test
    void rejectsNonPositiveRates() {
        assertThatThrownBy(() -> new FrameSampler(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
