package dev.vigil.alerts.judge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.alerts.cooldown.Cooldown.Decision;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The judge worker's cooldown memory: the router's rule, one entry per alert, purged when no cooldown needs it. */
class JudgeCooldownsTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private final JudgeCooldowns cooldowns = new JudgeCooldowns();

    @Test
    void firesOnceWithinCooldownAndRepeatsTheRecordThatFired() {
        assertThat(cooldowns.decide("a1", "ntf-1", 1_000, MINUTE)).isEqualTo(Decision.FIRE);
        cooldowns.fired("a1", "ntf-1", 1_000, MINUTE);

        assertThat(cooldowns.decide("a1", "ntf-2", 31_000, MINUTE)).isEqualTo(Decision.SUPPRESS);
        assertThat(cooldowns.decide("a1", "ntf-1", 1_000, MINUTE)).isEqualTo(Decision.REPEAT);
        assertThat(cooldowns.decide("a1", "ntf-3", 61_000, MINUTE)).isEqualTo(Decision.FIRE);
        assertThat(cooldowns.decide("a2", "ntf-4", 31_000, MINUTE)).as("another alert").isEqualTo(Decision.FIRE);
    }

    @Test
    void keepsTheLatestFiringOfAnAlert() {
        cooldowns.fired("a1", "ntf-2", 50_000, MINUTE);
        cooldowns.fired("a1", "ntf-1", 1_000, MINUTE); // an older one learnt later (e.g. while rebuilding)

        assertThat(cooldowns.decide("a1", "ntf-3", 100_000, MINUTE)).isEqualTo(Decision.SUPPRESS);
        assertThat(cooldowns.decide("a1", "ntf-2", 50_000, MINUTE)).isEqualTo(Decision.REPEAT);
    }

    @Test
    void purgesEntriesPastTheRetentionFloor() {
        cooldowns.fired("a1", "ntf-1", 0, MINUTE);
        cooldowns.purge(Duration.ofHours(23).toMillis());
        assertThat(cooldowns.size()).isEqualTo(1);

        cooldowns.purge(Duration.ofHours(25).toMillis());
        assertThat(cooldowns.size()).isZero();
    }
}
