package dev.vigil.models;

/** What a model call is for; the {@code task} tag of the model metrics. */
public enum ModelTask {
    /** A vision-language model describing a scene window's frames from the index prompt. */
    VISION,
    /** A text model summarising an audio window from the index prompt. */
    SUMMARY,
    /** A Whisper-compatible model transcribing an utterance. */
    TRANSCRIBE,
    /** A text model judging records against event prompts (structured output). */
    JUDGE;

    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
