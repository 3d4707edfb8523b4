package dev.vigil.indexer.speech;

import dev.vigil.indexer.spec.TranscriptSettings;

/**
 * A speech recogniser behind transcript indexes. {@link #recognise} runs on a speech lane thread,
 * never on a Streams thread, one utterance at a time per lane; implementations keep per-thread
 * resources (recognisers are not thread-safe) or are stateless.
 */
public interface SpeechEngine extends AutoCloseable {

    /** Engine name as written into records and accepted in an index's {@code engine}. */
    String name();

    /**
     * Recognises one utterance: 16 kHz mono samples cut by the VAD (with a little lead-in and
     * trail, dithered). Returns {@link Recognition#NONE} when nothing in the vocabulary was said.
     */
    Recognition recognise(Utterance utterance, TranscriptSettings settings) throws SpeechException;

    /** Loads what the calling (lane) thread needs before the first utterance; nothing by default. */
    default void warmUp() throws SpeechException {
    }

    @Override
    default void close() {
    }
}
