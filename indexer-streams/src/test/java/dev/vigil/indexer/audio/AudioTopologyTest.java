package dev.vigil.indexer.audio;

import static dev.vigil.indexer.Media.STREAM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.indexer.IndexerDriver;
import dev.vigil.indexer.Media;
import dev.vigil.indexer.Speech;
import dev.vigil.schemas.control.IndexType;
import dev.vigil.schemas.index.AudioRecord;
import dev.vigil.schemas.index.TranscriptRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The audio branch in a TopologyTestDriver: sound labels on generated signals and espeak-ng speech. */
class AudioTopologyTest {

    private final IndexerDriver d = new IndexerDriver();

    @AfterEach
    void close() {
        d.close();
    }

    /** Plays 2-second windows of each signal through an audio index (segmenter time, 2 s) and returns the records. */
    private List<AudioRecord> windows(short[]... signals) {
        d.index(Media.index("b1b2c3d4e5f60001", STREAM, IndexType.AUDIO, Map.of("segmenter", "time", "segmentation_value", "2")));
        d.playAudio(STREAM, Speech.concat(signals), 200);
        d.advance(2_500); // the last window closes on the wall clock: the stream sent no more audio
        return d.sounds.readValuesToList();
    }

    @Test
    void labelsSilenceToneAlarmNoiseAndImpulse() {
        List<AudioRecord> r = windows(Signals.noise(2_000, -70, 1), Signals.tone(1_000, 2_000, -12),
                Signals.siren(600, 1_400, 2_000, -10), Signals.noise(2_000, -20, 2), Signals.bang(2_000));
        assertThat(r).hasSize(5);
        assertThat(r.get(0).getLabels()).containsExactly("silence");
        assertThat(r.get(0).getText()).isEqualTo("Silence.");
        assertThat(r.get(1).getLabels()).contains("tonal", "alarm").doesNotContain("speech", "music", "noise");
        assertThat(r.get(1).getText()).startsWith("Alarm-like tone around 1.0 kHz");
        assertThat(r.get(2).getLabels()).contains("tonal", "alarm").doesNotContain("speech", "music");
        assertThat(r.get(3).getLabels()).containsExactly("noise");
        assertThat(r.get(3).getLoudnessDbfs()).isBetween(-21.0, -19.0);
        assertThat(r.get(4).getLabels()).contains("impulse");
        assertThat(r.get(4).getPeakDbfs()).isGreaterThan(-2.0);
        assertThat(r).allSatisfy(a -> {
            assertThat(a.getEngine()).isEqualTo("dsp");
            assertThat(a.getTranscript()).isNull();
            assertThat(a.getEnd().toEpochMilli() - a.getStart().toEpochMilli()).isEqualTo(2_000);
        });
        assertThat(r.get(1).getStart().toEpochMilli()).isEqualTo(IndexerDriver.T0 + 2_000);
    }

    @Test
    void labelsSpeechAndMusic() {
        short[] speech = Speech.padded(Speech.say("we will meet at the station tomorrow morning", "en-us"), 100, 0);
        short[] speechWindow = Speech.concat(speech, Signals.silence(Math.max(0, 2_000 - speech.length / 16)));
        List<AudioRecord> r = windows(java.util.Arrays.copyOf(speechWindow, 32_000), Signals.chords(2_000));
        assertThat(r.get(0).getLabels()).contains("speech").doesNotContain("music", "tonal", "noise");
        assertThat(r.get(1).getLabels()).contains("music").doesNotContain("speech", "tonal", "alarm");
        assertThat(r.get(1).getText()).startsWith("Music-like sound at");
    }

    @Test
    void quotesTheTranscriptOfTheSameStream() {
        d.index(Media.index("b1b2c3d4e5f60002", STREAM, IndexType.TRANSCRIPT, Map.of()));
        short[] speech = Speech.say("call the police", "en-us");
        List<AudioRecord> r = windows(Signals.silence(1_000), speech, Signals.silence(3_000 - speech.length / 16));
        assertThat(d.transcripts.readValuesToList()).extracting(t -> t.getText()).containsExactly("call the police");
        assertThat(r).hasSize(2);
        assertThat(r.get(0).getTranscript()).isEqualTo("call the police");
        assertThat(r.get(0).getLabels()).contains("speech");
        assertThat(r.get(0).getText()).endsWith(": \"call the police\".");
    }

    @Test
    void aSilentWindowQuotesNoTranscriptThoughTheUtterancesTimesReachIntoIt() {
        d.index(Media.index("b1b2c3d4e5f60002", STREAM, IndexType.TRANSCRIPT, Map.of()));
        short[] speech = Speech.say("call the police", "en-us");
        // The utterance (as the VAD cuts it) ends about 50 ms into the second window, whose sound is silence.
        List<AudioRecord> r = windows(Signals.silence(2_420 - speech.length / 16), speech, Signals.silence(1_580));
        TranscriptRecord transcript = d.transcripts.readValuesToList().get(0);
        assertThat(r).hasSize(2);
        assertThat(transcript.getEnd()).isAfter(r.get(1).getStart());
        assertThat(r.get(0).getTranscript()).isEqualTo("call the police");
        assertThat(r.get(1).getLabels()).containsExactly("silence");
        assertThat(r.get(1).getTranscript()).isNull();
    }

    @Test
    void wordSegmenterIsApproximatedByTime() {
        d.index(Media.index("b1b2c3d4e5f60003", STREAM, IndexType.AUDIO, Map.of("segmenter", "word", "segmentation_value", "5")));
        d.playAudio(STREAM, Signals.noise(4_000, -70, 1), 200);
        d.advance(3_000);
        List<AudioRecord> r = d.sounds.readValuesToList();
        assertThat(r).hasSize(2); // 5 words ≈ 2 s
        assertThat(r.get(0).getEnd().toEpochMilli() - r.get(0).getStart().toEpochMilli()).isEqualTo(2_000);
    }
}
