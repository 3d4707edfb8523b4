package dev.vigil.rules.record;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Normalises free text the same way on both sides of a match: the {@code text_norm} and
 * {@code transcript_norm} variables of a {@link NormalisedRecord}, and the phrases that the prompt
 * compiler turns into {@code transcript_norm.contains(...)}.
 *
 * <p>Rules: Unicode NFKC, lower case (root locale), apostrophes removed ({@code don't} → {@code dont}),
 * every other character that is not a letter or digit becomes a word break, words are joined by one
 * space, and the result is padded with one space at each end ({@code " help me "}). The padding is
 * why {@code transcript_norm.contains(" help ")} matches the whole word "help" but not "helpful"; it
 * costs nothing at evaluation time, unlike a regular expression. Text without any word normalises to
 * the empty string.
 */
public final class TextNormaliser {

    private TextNormaliser() {
    }

    /** The padded, normalised form of {@code text}; {@code ""} when it holds no word. */
    public static String normalise(String text) {
        List<String> words = words(text);
        if (words.isEmpty()) {
            return "";
        }
        return " " + String.join(" ", words) + " ";
    }

    /** The words of {@code text}, normalised (see the class comment); never null. */
    public static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return words;
        }
        String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < folded.length(); ) {
            int cp = folded.codePointAt(i);
            i += Character.charCount(cp);
            if (isApostrophe(cp)) {
                continue; // "don't" and "dont" must normalise alike, whichever the recogniser wrote
            }
            if (Character.isLetterOrDigit(cp)) {
                word.appendCodePoint(cp);
            } else if (word.length() > 0) {
                words.add(word.toString());
                word.setLength(0);
            }
        }
        if (word.length() > 0) {
            words.add(word.toString());
        }
        return words;
    }

    /**
     * The key under which a zone is stored in {@code zones}: the zone name's words joined by
     * {@code _} ("Loading Dock" → {@code loading_dock}). Used for record zones and for
     * "in the loading dock zone" in prompts, so both spellings meet.
     */
    public static String zoneKey(String zoneName) {
        return String.join("_", words(zoneName));
    }

    private static boolean isApostrophe(int cp) {
        return cp == '\'' || cp == '\u2019' || cp == '\u02BC' || cp == '`';
    }
}
