package dev.vigil.indexer.speech;

import dev.vigil.indexer.spec.TranscriptSettings;
import edu.cmu.sphinx.api.Configuration;
import edu.cmu.sphinx.api.Context;
import edu.cmu.sphinx.recognizer.Recognizer;
import edu.cmu.sphinx.result.Result;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default transcript engine: Sphinx4 (pure Java, en-us model in sphinx4-data) with a JSGF phrase
 * grammar per vocabulary ({@link PhraseGrammar}). Measured: exact on espeak-ng speech in five
 * voices, far faster than real time. It recognises phrases, not free speech: an utterance is either
 * one of the phrases or no hit.
 *
 * <p>No hit when the decoder ends outside the grammar ({@code <unk>}, Sphinx's out-of-grammar branch)
 * or with nothing, and when the phrase is implausible for the utterance's length: a two-second
 * sentence decoded as "one" is an out-of-vocabulary sentence forced onto the closest phrase. The
 * recogniser's best final result is read directly: building Sphinx's {@code SpeechResult} lattice
 * can throw a NullPointerException (measured).
 *
 * <p>Each speech lane thread keeps its own allocated recognisers (not thread-safe; allocating one
 * takes 0.2–0.7 s, so they are reused across utterances), at most {@link #CACHED_GRAMMARS} per thread.
 */
public final class SphinxGrammarEngine implements SpeechEngine {

    public static final String NAME = "sphinx4-grammar";
    static final int CACHED_GRAMMARS = 4;
    private static final Logger log = LoggerFactory.getLogger(SphinxGrammarEngine.class);
    static final String CONFIG = "resource:/dev/vigil/indexer/speech/sphinx4.config.xml";
    /** Slowest plausible speech: 160 ms per phone plus 0.7 s of pauses. */
    static final long MAX_MS_PER_PHONE = 160;
    static final long MAX_EXTRA_MS = 700;
    /** Fastest plausible speech: 25 ms per phone. */
    static final long MIN_MS_PER_PHONE = 25;

    private final Path grammarDir;
    private final Pronunciations dictionary = Pronunciations.get();
    private final ThreadLocal<Map<String, Decoder>> decoders = ThreadLocal.withInitial(() ->
            new LinkedHashMap<>(8, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Decoder> eldest) {
                    if (size() > CACHED_GRAMMARS) {
                        eldest.getValue().close();
                        return true;
                    }
                    return false;
                }
            });

    public SphinxGrammarEngine() {
        try {
            grammarDir = Files.createTempDirectory("vigil-jsgf");
            grammarDir.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for JSGF grammars", e);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The grammar an index's settings give (for tests and logs). */
    public PhraseGrammar grammar(TranscriptSettings settings) {
        return PhraseGrammar.of(settings, dictionary);
    }

    @Override
    public Recognition recognise(Utterance utterance, TranscriptSettings settings) throws SpeechException {
        PhraseGrammar grammar = grammar(settings);
        if (grammar.phrases().isEmpty()) {
            return Recognition.NONE;
        }
        String text;
        try {
            text = decoder(grammar).decode(utterance.samples());
        } catch (SpeechException e) {
            // Sphinx4 can be left broken by an input in which its own endpointer found no speech (its
            // LiveCMN then throws on the next utterance): drop that recogniser and try once with a new one.
            discard(grammar);
            log.debug("Sphinx4 recogniser failed; retrying with a new one", e);
            try {
                text = decoder(grammar).decode(utterance.samples());
            } catch (SpeechException again) {
                discard(grammar);
                throw again;
            }
        }
        if (text == null || text.isBlank() || text.contains("<unk>") || !grammar.contains(text.trim())) {
            return Recognition.NONE;
        }
        text = text.trim();
        int phones = dictionary.phones(text);
        if (utterance.speechMs() > MAX_EXTRA_MS + phones * MAX_MS_PER_PHONE || utterance.speechMs() < phones * MIN_MS_PER_PHONE) {
            log.debug("'{}' ({} phones) is implausible for {} ms of speech: no hit", text, phones, utterance.speechMs());
            return Recognition.NONE;
        }
        // The grammar decoder has no calibrated score (the lattice is unusable): a plausible phrase
        // hit gets a fixed confidence, documented in DESIGN.md.
        return new Recognition(text, 0.9);
    }

    private Decoder decoder(PhraseGrammar grammar) throws SpeechException {
        Decoder decoder = decoders.get().get(grammar.name());
        if (decoder == null) {
            decoder = new Decoder(grammar);
            decoders.get().put(grammar.name(), decoder);
        }
        return decoder;
    }

    private void discard(PhraseGrammar grammar) {
        Decoder d = decoders.get().remove(grammar.name());
        if (d != null) {
            d.close();
        }
    }

    /** Builds this thread's recogniser for the default grammar (seconds), without decoding anything. */
    @Override
    public void warmUp() throws SpeechException {
        decoder(grammar(new TranscriptSettings(null, List.of())));
    }

    /** One allocated Sphinx recogniser for one grammar. */
    private final class Decoder implements AutoCloseable {
        private final Context context;
        private final Recognizer recognizer;

        Decoder(PhraseGrammar grammar) throws SpeechException {
            try {
                Path file = grammarDir.resolve(grammar.name() + ".gram");
                if (!Files.exists(file)) {
                    Files.writeString(file, grammar.jsgf(), StandardCharsets.UTF_8);
                    file.toFile().deleteOnExit();
                }
                Configuration c = new Configuration();
                c.setAcousticModelPath("resource:/edu/cmu/sphinx/models/en-us/en-us");
                c.setDictionaryPath("resource:" + Pronunciations.DICTIONARY);
                c.setGrammarPath(grammarDir.toUri().toString());
                c.setGrammarName(grammar.name());
                c.setUseGrammar(true);
                c.setSampleRate(Utterance.SAMPLE_RATE);
                long started = System.nanoTime();
                context = new Context(CONFIG, c);
                recognizer = context.getInstance(Recognizer.class);
                recognizer.allocate();
                log.info("Sphinx4 recogniser for {} phrases ready in {} ms on {}", grammar.phrases().size(),
                        (System.nanoTime() - started) / 1_000_000, Thread.currentThread().getName());
            } catch (IOException | RuntimeException e) {
                throw new SpeechException("cannot set up Sphinx4 for grammar " + grammar.name(), e);
            }
        }

        String decode(short[] samples) throws SpeechException {
            try {
                context.setSpeechSource(new ByteArrayInputStream(Pcm.bytes(samples)));
                Result result = recognizer.recognize();
                return result == null ? null : result.getBestFinalResultNoFiller();
            } catch (RuntimeException e) {
                throw new SpeechException("Sphinx4 failed on an utterance of " + samples.length + " samples", e);
            }
        }

        @Override
        public void close() {
            try {
                recognizer.deallocate();
            } catch (RuntimeException e) {
                log.debug("Sphinx4 recogniser did not deallocate cleanly", e);
            }
        }
    }

    @Override
    public void close() {
        // Recognisers live in their lane threads' maps and go with the threads.
    }
}
