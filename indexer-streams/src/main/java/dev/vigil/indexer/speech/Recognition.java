package dev.vigil.indexer.speech;

/** What an engine heard: the text (empty for no hit) and its confidence in [0, 1]. */
public record Recognition(String text, double confidence) {

    public static final Recognition NONE = new Recognition("", 0.0);

    public boolean isHit() {
        return !text.isBlank();
    }
}
