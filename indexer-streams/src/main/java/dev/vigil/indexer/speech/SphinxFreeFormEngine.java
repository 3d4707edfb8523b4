package dev.vigil.indexer.speech;

import dev.vigil.indexer.spec.TranscriptSettings;
import edu.cmu.sphinx.api.Configuration;
import edu.cmu.sphinx.api.Context;
import edu.cmu.sphinx.recognizer.Recognizer;
import edu.cmu.sphinx.result.Result;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Opt-in free-form transcription with Sphinx4's en-us n-gram language model (engine
 * {@code sphinx4-freeform}). Slow and rough — We measured 75 % word error rate and 3x slower than
 * real time on this machine class — so it is never a default: a lane busy with it drops other
 * streams' utterances. Use it for demos without a better engine; use the openai engine for real
 * transcripts.
 */
public final class SphinxFreeFormEngine implements SpeechEngine {

    public static final String NAME = "sphinx4-freeform";

    private final ThreadLocal<Decoder> decoder = new ThreadLocal<>();

    private record Decoder(Context context, Recognizer recognizer) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Recognition recognise(Utterance utterance, TranscriptSettings settings) throws SpeechException {
        Decoder d = decoder.get();
        try {
            if (d == null) {
                Configuration c = new Configuration();
                c.setAcousticModelPath("resource:/edu/cmu/sphinx/models/en-us/en-us");
                c.setDictionaryPath("resource:" + Pronunciations.DICTIONARY);
                c.setLanguageModelPath("resource:/edu/cmu/sphinx/models/en-us/en-us.lm.bin");
                c.setSampleRate(Utterance.SAMPLE_RATE);
                Context context = new Context(SphinxGrammarEngine.CONFIG, c);
                Recognizer recognizer = context.getInstance(Recognizer.class);
                recognizer.allocate();
                d = new Decoder(context, recognizer);
                decoder.set(d);
            }
            d.context().setSpeechSource(new ByteArrayInputStream(Pcm.bytes(utterance.samples())));
            Result result = d.recognizer().recognize();
            String text = result == null ? null : result.getBestFinalResultNoFiller();
            if (text == null || text.isBlank() || text.contains("<unk>")) {
                return Recognition.NONE;
            }
            return new Recognition(text.trim(), 0.3);
        } catch (IOException | RuntimeException e) {
            throw new SpeechException("Sphinx4 free-form recognition failed", e);
        }
    }
}
