package dev.vigil.indexer.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.indexer.Speech;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The energy VAD on generated signals: where it cuts, and what it ignores. */
class VadTest {

    private static List<Vad.Cut> feed(short[] samples, long maxUtteranceMs) {
        VadState s = new VadState("rts", "col", "idx");
        List<Vad.Cut> cuts = new ArrayList<>();
        long t = 0;
        for (short[] c : Speech.chunks(samples, 200)) {
            cuts.addAll(Vad.feed(s, c, t, maxUtteranceMs));
            t += c.length / 16;
        }
        return cuts;
    }

    @Test
    void cutsAToneBurstAtItsEdgesAfterTheHangover() {
        List<Vad.Cut> cuts = feed(Speech.concat(Signals.noise(1_000, -60, 1), Signals.tone(300, 1_200, -20),
                Signals.noise(1_000, -60, 2)), 10_000);
        assertThat(cuts).hasSize(1);
        assertThat(cuts.get(0).start()).isBetween(980L, 1_020L);
        assertThat(cuts.get(0).end()).isBetween(2_180L, 2_220L);
        assertThat(cuts.get(0).voicedMs()).isBetween(1_150L, 1_220L);
    }

    @Test
    void twoWordsWithAShortPauseAreOneUtteranceAndALongPauseMakesTwo() {
        short[] word = Signals.tone(200, 400, -25);
        assertThat(feed(Speech.concat(Signals.silence(500), word, Signals.silence(250), word, Signals.silence(800)), 10_000))
                .hasSize(1);
        assertThat(feed(Speech.concat(Signals.silence(500), word, Signals.silence(700), word, Signals.silence(800)), 10_000))
                .hasSize(2);
    }

    @Test
    void clicksAreNotUtterances() {
        assertThat(feed(Speech.concat(Signals.silence(500), Signals.tone(500, 60, -10), Signals.silence(800)), 10_000)).isEmpty();
    }

    @Test
    void longSpeechIsCutAtTheMaximumLength() {
        List<Vad.Cut> cuts = feed(Speech.concat(Signals.silence(300), Signals.tone(250, 5_000, -20), Signals.silence(800)), 2_000);
        assertThat(cuts).hasSizeGreaterThanOrEqualTo(2);
        assertThat(cuts.get(0).end() - cuts.get(0).start()).isBetween(1_980L, 2_020L);
    }

    @Test
    void followsARisingNoiseFloor() {
        // Steady fan noise at -35 dBFS is background, not speech, once the floor has adapted.
        assertThat(feed(Speech.concat(Signals.silence(300), Signals.noise(8_000, -35, 4)), 10_000)).hasSizeLessThanOrEqualTo(1);
    }
}
