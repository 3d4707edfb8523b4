package dev.vigil.indexer.speech;

/** An engine could not process an utterance (bad configuration, endpoint down, decoder failure). */
public class SpeechException extends Exception {

    public SpeechException(String message, Throwable cause) {
        super(message, cause);
    }

    public SpeechException(String message) {
        super(message);
    }
}
