package dev.vigil.indexer.audio;

import static dev.vigil.indexer.Media.STREAM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.indexer.IndexerDriver;
import dev.vigil.indexer.Media;
import dev.vigil.indexer.Speech;
import dev.vigil.schemas.control.IndexType;
import dev.vigil.schemas.index.TranscriptRecord;
import dev.vigil.schemas.media.AudioChunk;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The transcript branch in a TopologyTestDriver on espeak-ng utterances delivered in 200 ms chunks. */
class TranscriptTopologyTest {

    private final IndexerDriver d = new IndexerDriver();

    @AfterEach
    void close() {
        d.close();
    }

    @Test
    void transcribesTheDemoPhraseWithItsTimes() {
        d.index(Media.index("c1b2c3d4e5f60001", STREAM, IndexType.TRANSCRIPT, Map.of()));
        short[] speech = Speech.say("there is an intruder in the warehouse", "en-us");
        d.playAudio(STREAM, Speech.concat(Signals.silence(1_000), speech, Signals.silence(1_000)), 200);
        d.advance(100);

        List<TranscriptRecord> records = d.transcripts.readValuesToList();
        assertThat(records).hasSize(1);
        TranscriptRecord r = records.get(0);
        assertThat(r.getText()).isEqualTo("there is an intruder in the warehouse");
        assertThat(r.getIsFinal()).isTrue();
        assertThat(r.getEngine()).isEqualTo("sphinx4-grammar");
        assertThat(r.getRtstreamId()).isEqualTo(STREAM);
        assertThat(r.getIndexId()).isEqualTo("c1b2c3d4e5f60001");
        long speechStart = IndexerDriver.T0 + 1_000;
        long speechEnd = speechStart + speech.length / 16;
        assertThat(r.getStart().toEpochMilli()).isBetween(speechStart, speechStart + 300);
        assertThat(r.getEnd().toEpochMilli()).isBetween(speechEnd - 400, speechEnd);
        assertThat(r.getEmitTs()).isAfter(r.getEnd());
        assertThat(r.getConfidence()).isBetween(0.0, 1.0);
        assertThat(d.metrics.count("vigil_indexer_records_emitted", "type", "transcript")).isEqualTo(1);
    }

    @Test
    void listensForTheIndexVocabulary() {
        d.index(Media.index("c1b2c3d4e5f60002", STREAM, IndexType.TRANSCRIPT,
                Map.of("vocabulary", "[\"Open the gate!\", \"lock the door\"]")));
        d.playAudio(STREAM, Speech.concat(Signals.silence(500), Speech.say("open the gate", "en"), Signals.silence(800)), 200);
        d.advance(100);

        assertThat(d.transcripts.readValuesToList()).extracting(TranscriptRecord::getText).containsExactly("open the gate");
    }

    @Test
    void outOfVocabularySpeechYieldsNoRecord() {
        d.index(Media.index("c1b2c3d4e5f60003", STREAM, IndexType.TRANSCRIPT, Map.of()));
        d.playAudio(STREAM, Speech.concat(Signals.silence(500), Speech.say("the weather is nice today", "en-us"),
                Signals.silence(800)), 200);
        d.advance(100);

        assertThat(d.transcripts.isEmpty()).isTrue();
        assertThat(d.metrics.count("vigil_indexer_transcript_nohit", "engine", "sphinx4-grammar")).isEqualTo(1);
    }

    @Test
    void silenceAndNoiseYieldNothing() {
        d.index(Media.index("c1b2c3d4e5f60004", STREAM, IndexType.TRANSCRIPT, Map.of()));
        d.playAudio(STREAM, Speech.concat(Signals.silence(1_000), Signals.noise(2_000, -45, 9)), 200);
        d.advance(500);
        assertThat(d.transcripts.isEmpty()).isTrue();
    }

    @Test
    void staleAndMalformedChunksAreSkippedAndCounted() {
        d.index(Media.index("c1b2c3d4e5f60005", STREAM, IndexType.TRANSCRIPT, Map.of()));
        d.audio.pipeInput(STREAM, Media.chunk(STREAM, 0, d.now() - 60_000, Signals.silence(200)), d.now());
        AudioChunk stereo = AudioChunk.newBuilder(Media.chunk(STREAM, 1, d.now(), Signals.silence(200))).setChannels(2).build();
        d.audio.pipeInput(STREAM, stereo, d.now());

        assertThat(d.metrics.count("vigil_indexer_media_stale", "media", "audio")).isEqualTo(1);
        assertThat(d.metrics.count("vigil_indexer_media_undecodable", "media", "audio")).isEqualTo(1);
    }
}
