package dev.vigil.indexer.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The audio processor's store values survive their changelog (what a restore reads back). */
class StateSerdesTest {

    private static <T> T roundTrip(dev.vigil.indexer.work.BinarySerde<T> serde, T value) {
        return serde.deserializer().deserialize("changelog", serde.serializer().serialize("changelog", value));
    }

    @Test
    void vadStateRoundTrips() {
        VadState s = new VadState("rts-1", "default", "idx");
        Vad.feed(s, Signals.tone(300, 500, -20), 1_000, 10_000);
        VadState back = roundTrip(VadState.SERDE, s);
        assertThat(back).usingRecursiveComparison().isEqualTo(s);
        assertThat(back.inSpeech()).isTrue();
    }

    @Test
    void pendingUtteranceRoundTrips() {
        PendingUtterance u = new PendingUtterance("rts-1", "default", "idx", null, List.of("open the gate"), 1_000, 2_500,
                1_200, 2_600, new byte[] {1, 2, 3, 4});
        PendingUtterance back = roundTrip(PendingUtterance.SERDE, u);
        assertThat(back).usingRecursiveComparison().isEqualTo(u);
    }

    @Test
    void audioWindowsRoundTripAndGiveTheSameLabels() {
        AudioIndexState s = new AudioIndexState("rts-1", "default", "idx");
        s.current = new SoundWindow(0, 2_000);
        short[] tone = Signals.tone(1_000, 1_000, -12);
        for (int off = 0; off < tone.length; off += Vad.FRAME) {
            s.current.add(SoundFrame.of(tone, off, Vad.FRAME, off / 16));
        }
        s.held.add(s.current);
        AudioIndexState back = roundTrip(AudioIndexState.SERDE, s);
        assertThat(back).usingRecursiveComparison().withComparatorForType(Double::compare, Double.class).isEqualTo(s);
        assertThat(SoundLabels.of(back.current, null)).isEqualTo(SoundLabels.of(s.current, null));
    }

    @Test
    void anUnknownVersionIsASerializationError() {
        assertThatThrownBy(() -> VadState.SERDE.deserializer().deserialize("changelog", new byte[] {9, 0}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("version 9");
    }
}
