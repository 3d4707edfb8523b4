package dev.vigil.models;

import java.util.List;

/**
 * A transcription: the text and, when the server gives them ({@code verbose_json} with word
 * granularity), each word with its times in seconds from the start of the audio sent.
 */
public record Transcript(String text, List<Word> words) {

    public Transcript {
        words = List.copyOf(words);
    }

    /** One word and where it was said, seconds from the start of the audio. */
    public record Word(String word, double start, double end) {
    }
}
