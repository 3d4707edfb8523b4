package dev.vigil.alerts.cooldown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.alerts.cooldown.Cooldown.Decision;
import java.time.Duration;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class CooldownTest {

    private static final Duration MINUTE = Duration.ofSeconds(60);
    private static final CooldownEntry FIRED_AT_1000 = new CooldownEntry(1_000, 60_000, "ntf-a");

    @Test
    void firesWhenTheAlertNeverFired() {
        assertThat(Cooldown.decide(null, "ntf-a", 1_000, MINUTE)).isEqualTo(Decision.FIRE);
    }

    @Test
    void suppressesInsideTheWindowAndFiresAtItsEnd() {
        assertThat(Cooldown.decide(FIRED_AT_1000, "ntf-b", 1_001, MINUTE)).isEqualTo(Decision.SUPPRESS);
        assertThat(Cooldown.decide(FIRED_AT_1000, "ntf-b", 60_999, MINUTE)).isEqualTo(Decision.SUPPRESS);
        assertThat(Cooldown.decide(FIRED_AT_1000, "ntf-b", 61_000, MINUTE)).isEqualTo(Decision.FIRE);
    }

    @Test
    void suppressesARecordOlderThanTheLastFiring() {
        assertThat(Cooldown.decide(FIRED_AT_1000, "ntf-b", 500, MINUTE)).isEqualTo(Decision.SUPPRESS);
    }

    @Test
    void repeatsTheRecordThatFired() {
        assertThat(Cooldown.decide(FIRED_AT_1000, "ntf-a", 1_000, MINUTE)).isEqualTo(Decision.REPEAT);
    }

    @Test
    void zeroCooldownFiresEveryMatch() {
        assertThat(Cooldown.decide(FIRED_AT_1000, "ntf-b", 1_000, Duration.ZERO)).isEqualTo(Decision.FIRE);
        assertThat(Cooldown.decide(FIRED_AT_1000, "ntf-b", 10, Duration.ZERO)).isEqualTo(Decision.FIRE);
    }

    @Test
    void usesTheCurrentCooldownOfTheAlert() {
        assertThat(Cooldown.decide(FIRED_AT_1000, "ntf-b", 31_000, Duration.ofSeconds(30))).isEqualTo(Decision.FIRE);
    }

    @Test
    void anEntryExpiresAfterItsCooldownAndAtLeastADay() {
        long day = Duration.ofDays(1).toMillis();
        assertThat(Cooldown.expired(FIRED_AT_1000, 1_000 + day)).isFalse();
        assertThat(Cooldown.expired(FIRED_AT_1000, 1_001 + day)).isTrue();
        CooldownEntry twoDays = new CooldownEntry(0, 2 * day, "ntf-a");
        assertThat(Cooldown.expired(twoDays, day + 1)).isFalse();
        assertThat(Cooldown.expired(twoDays, 2 * day + 1)).isTrue();
    }

    @Test
    void entriesRoundTripThroughTheirSerde() {
        CooldownEntrySerde serde = new CooldownEntrySerde();
        CooldownEntry entry = new CooldownEntry(1_772_359_200_000L, 60_000, "ntf-2b1f0c8e-0f7d-5a3c-9c1e-1f2a3b4c5d6e");

        byte[] bytes = serde.serializer().serialize("t", entry);

        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(entry);
        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void garbageIsASerializationException() {
        CooldownEntrySerde serde = new CooldownEntrySerde();
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {1, 2, 3}))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {9}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("format");
    }
}
