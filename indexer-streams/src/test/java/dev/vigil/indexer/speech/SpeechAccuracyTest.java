package dev.vigil.indexer.speech;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.indexer.IndexerDriver;
import dev.vigil.indexer.Speech;
import dev.vigil.indexer.spec.TranscriptSettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accuracy of the default engine on espeak-ng speech in {@link Speech#VOICES}: in-vocabulary phrases of
 * two or more words (defaults and an index vocabulary) must be recognised exactly at least 90 % of the
 * time, and out-of-vocabulary sentences may produce a hit at most 20 % of the time (the stated
 * false-hit rate). Single short words ("help", "stop", numbers) are much weaker on espeak voices and
 * are measured in DESIGN.md, not asserted here. Utterances are cut like the VAD cuts them: 250 ms of lead-in and trail, dithered.
 */
class SpeechAccuracyTest {

    private static final Logger log = LoggerFactory.getLogger(SpeechAccuracyTest.class);

    /** Phrases of two or more words, the style DESIGN.md recommends for vocabularies. */
    static final List<String> IN_VOCABULARY = List.of("there is an intruder in the warehouse", "call the police",
            "somebody help", "help me", "call an ambulance", "open the gate");
    static final List<String> OUT_OF_VOCABULARY = List.of("the weather is nice today", "please close the window",
            "we will meet at the station tomorrow", "turn left at the next corner");
    static final TranscriptSettings SETTINGS = new TranscriptSettings(null, List.of("open the gate", "lock the door"));

    @Test
    void recognisesAtLeastNinetyPercentOfPhrasesAndFewOutOfVocabularySentences() throws SpeechException {
        SphinxGrammarEngine engine = IndexerDriver.SPHINX;
        int hits = 0;
        int total = 0;
        List<String> misses = new ArrayList<>();
        for (String voice : Speech.VOICES) {
            for (String phrase : IN_VOCABULARY) {
                Recognition r = engine.recognise(utterance(Speech.say(phrase, voice)), SETTINGS);
                total++;
                if (r.text().equals(phrase)) {
                    hits++;
                } else {
                    misses.add(voice + ": '" + phrase + "' -> '" + r.text() + "'");
                }
            }
        }
        int falseHits = 0;
        int oov = 0;
        List<String> wrong = new ArrayList<>();
        for (String voice : Speech.VOICES) {
            for (String sentence : OUT_OF_VOCABULARY) {
                Recognition r = engine.recognise(utterance(Speech.say(sentence, voice)), SETTINGS);
                oov++;
                if (r.isHit()) {
                    falseHits++;
                    wrong.add(voice + ": '" + sentence + "' -> '" + r.text() + "'");
                }
            }
        }
        log.info("In vocabulary: {}/{} exact; misses {}", hits, total, misses);
        log.info("Out of vocabulary: {}/{} false hits {}", falseHits, oov, wrong);
        System.out.printf("SPEECH ACCURACY phrases %d/%d, out-of-vocabulary false hits %d/%d%n", hits, total, falseHits, oov);
        assertThat(hits).as("exact in-vocabulary hits, misses: %s", misses).isGreaterThanOrEqualTo((int) Math.ceil(0.9 * total));
        assertThat(falseHits).as("false hits: %s", wrong).isLessThanOrEqualTo(oov / 5);
    }

    /**
     * Roughly as the VAD cuts it: espeak's output (which starts and ends with a little silence) with
     * 250 ms more around it, dithered; the voiced duration is where the level is clearly above zero.
     * Trimming by amplitude would cut quiet onsets like the "h" of "help", which the VAD's lead-in keeps.
     */
    static Utterance utterance(short[] speech) {
        int first = 0;
        int last = speech.length - 1;
        while (first < speech.length && Math.abs(speech[first]) < 300) {
            first++;
        }
        while (last > first && Math.abs(speech[last]) < 300) {
            last--;
        }
        short[] cut = Speech.padded(speech, 250, 250);
        return new Utterance(Pcm.dither(cut, 1), (last - first + 1) / 16);
    }
}
