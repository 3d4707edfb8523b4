package dev.vigil.alerts.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.alerts.Fixtures;
import dev.vigil.schemas.control.AlertBinding;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class StreamAlertsTest {

    private final AlertBinding a1 = Fixtures.alert("a100000000000001", Fixtures.ACME, Fixtures.STREAM,
            Fixtures.SCENE_INDEX, Fixtures.INTRUDER_EVENT);
    private final AlertBinding a2 = Fixtures.alert("a100000000000002", Fixtures.ACME, Fixtures.STREAM,
            Fixtures.SCENE_INDEX, Fixtures.ALARM_EVENT);
    private final AlertBinding a3 = Fixtures.alert("a100000000000003", Fixtures.ACME, Fixtures.STREAM,
            Fixtures.AUDIO_INDEX, Fixtures.ALARM_EVENT);

    @Test
    void groupsAlertsByIndexInAlertIdOrder() {
        StreamAlerts alerts = StreamAlerts.empty().with(a3).with(a2).with(a1);

        assertThat(alerts.forIndex(Fixtures.SCENE_INDEX)).containsExactly(a1, a2);
        assertThat(alerts.forIndex(Fixtures.AUDIO_INDEX)).containsExactly(a3);
        assertThat(alerts.forIndex("ffffffffffffffff")).isEmpty();
    }

    @Test
    void replacesAndRemovesWithoutChangingTheOriginal() {
        StreamAlerts two = StreamAlerts.empty().with(a1).with(a2);
        AlertBinding moved = AlertBinding.newBuilder(a1).setIndexId(Fixtures.AUDIO_INDEX).build();

        StreamAlerts updated = two.with(moved).without(a2.getId());

        assertThat(updated.forIndex(Fixtures.SCENE_INDEX)).isEmpty();
        assertThat(updated.forIndex(Fixtures.AUDIO_INDEX)).containsExactly(moved);
        assertThat(two.forIndex(Fixtures.SCENE_INDEX)).containsExactly(a1, a2);
        assertThat(updated.without("unknown")).isSameAs(updated);
        assertThat(updated.without(a1.getId()).isEmpty()).isTrue();
    }

    @Test
    void roundTripsThroughItsSerde() {
        StreamAlertsSerde serde = new StreamAlertsSerde();
        StreamAlerts alerts = StreamAlerts.of(java.util.List.of(a1, a2, a3));

        StreamAlerts decoded = serde.deserializer().deserialize("t", serde.serializer().serialize("t", alerts));

        assertThat(decoded.all()).containsExactly(a1, a2, a3);
        assertThat(serde.deserializer().deserialize("t",
                serde.serializer().serialize("t", StreamAlerts.empty())).isEmpty()).isTrue();
    }

    @Test
    void equalBytesDecodeOnce() {
        StreamAlertsSerde serde = new StreamAlertsSerde();
        byte[] bytes = serde.serializer().serialize("t", StreamAlerts.of(java.util.List.of(a1, a2)));

        StreamAlerts first = serde.deserializer().deserialize("t", bytes.clone());
        StreamAlerts again = serde.deserializer().deserialize("t", bytes.clone());
        StreamAlerts other = serde.deserializer().deserialize("t",
                serde.serializer().serialize("t", StreamAlerts.of(java.util.List.of(a1))));

        assertThat(again).isSameAs(first);
        assertThat(other.all()).containsExactly(a1);
    }

    @Test
    void truncatedOrForeignBytesAreASerializationException() {
        StreamAlertsSerde serde = new StreamAlertsSerde();
        byte[] bytes = serde.serializer().serialize("t", StreamAlerts.of(java.util.List.of(a1, a2)));

        assertThatThrownBy(() -> serde.deserializer().deserialize("t", Arrays.copyOf(bytes, bytes.length - 10)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {7, 0, 0, 0, 1}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("format");
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {1, 0, 0, 0, 0, 0x7f, 0, 0, 0}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("count");
    }

    @Test
    void alertGuardRefusesAlertsItCannotRoute() {
        assertThat(AlertGuard.problem(a1.getId(), a1)).isEmpty();
        assertThat(AlertGuard.problem("a1000000000000ff", a1)).get()
                .extracting(p -> p.reason()).isEqualTo("key_mismatch");
        AlertBinding blank = AlertBinding.newBuilder(a1).setRtstreamId("").setEventId(" ").build();
        assertThat(AlertGuard.problem(a1.getId(), blank)).get()
                .satisfies(p -> {
                    assertThat(p.reason()).isEqualTo("missing_field");
                    assertThat(p.detail()).isEqualTo("no rtstream_id, event_id");
                });
    }
}
