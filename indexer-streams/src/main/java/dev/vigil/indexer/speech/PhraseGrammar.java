package dev.vigil.indexer.speech;

import dev.vigil.indexer.spec.TranscriptSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The phrase list a transcript index listens for: the index's {@code vocabulary} plus
 * {@link #DEFAULT_PHRASES}, as a JSGF grammar of alternatives. Phrases with a word the dictionary
 * lacks are left out with a warning (Sphinx would otherwise fail to build the grammar).
 */
public final class PhraseGrammar {

    /**
     * Listened for on every transcript index: short, distinct phrases of a security context and the
     * numbers zero to ten. Kept small on purpose: every extra phrase is another target an
     * out-of-vocabulary sentence can be mistaken for.
     */
    public static final List<String> DEFAULT_PHRASES = List.of(
            "there is an intruder in the warehouse", "intruder", "help", "help me", "somebody help",
            "call the police", "police", "fire", "stop", "get out", "emergency", "call an ambulance",
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten");

    private static final Logger log = LoggerFactory.getLogger(PhraseGrammar.class);

    private final List<String> phrases;
    private final String name;

    private PhraseGrammar(List<String> phrases) {
        this.phrases = List.copyOf(phrases);
        this.name = "g" + hash(String.join("|", phrases));
    }

    /** The grammar of an index: its vocabulary first, then the defaults; unknown words dropped. */
    public static PhraseGrammar of(TranscriptSettings settings, Pronunciations dictionary) {
        Set<String> all = new LinkedHashSet<>(settings.vocabulary());
        all.addAll(DEFAULT_PHRASES);
        List<String> known = new ArrayList<>();
        for (String phrase : all) {
            String p = TranscriptSettings.normalise(phrase);
            List<String> unknown = List.of(p.split(" ")).stream().filter(w -> !dictionary.knows(w)).toList();
            if (p.isEmpty()) {
                continue;
            }
            if (unknown.isEmpty()) {
                known.add(p);
            } else {
                log.warn("Vocabulary phrase '{}' left out: the en-us dictionary lacks {}", p, unknown);
            }
        }
        return new PhraseGrammar(known);
    }

    /** A valid JSGF grammar name, the same for the same phrase list (recognisers are cached by it). */
    public String name() {
        return name;
    }

    public List<String> phrases() {
        return phrases;
    }

    public boolean contains(String phrase) {
        return phrases.contains(phrase);
    }

    public String jsgf() {
        return "#JSGF V1.0;\ngrammar " + name + ";\npublic <utterance> = " + String.join(" | ", phrases) + ";\n";
    }

    private static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
