package dev.vigil.rules.prompt;

import dev.vigil.rules.record.TextNormaliser;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits an event prompt into {@link Token}s. Quoted phrases ("…", “…”, ‘…’, or '…' not glued to a
 * word, so the apostrophe of "don't" is not a quote) become one token each, so that "and", "or" and
 * vocabulary words inside them stay part of the phrase. Everything else is normalised like record
 * text ({@link TextNormaliser}) into words, with commas and semicolons kept as separators.
 */
final class PromptTokenizer {

    private static final Pattern QUOTED = Pattern.compile(
            "\"([^\"]*)\"|\u201C([^\u201D]*)\u201D|\u2018([^\u2019]*)\u2019"
                    + "|(?<![\\p{L}\\p{N}])'([^']*)'(?![\\p{L}\\p{N}])");
    private static final Pattern SEPARATOR = Pattern.compile("[,;]");

    private PromptTokenizer() {
    }

    static List<Token> tokenize(String prompt) {
        List<Token> tokens = new ArrayList<>();
        Matcher m = QUOTED.matcher(prompt);
        int last = 0;
        while (m.find()) {
            addWords(prompt.substring(last, m.start()), tokens);
            String inner = firstNonNull(m.group(1), m.group(2), m.group(3), m.group(4));
            tokens.add(Token.quoted(String.join(" ", TextNormaliser.words(inner))));
            last = m.end();
        }
        addWords(prompt.substring(last), tokens);
        return tokens;
    }

    private static void addWords(String segment, List<Token> tokens) {
        String[] pieces = SEPARATOR.split(segment, -1);
        for (int i = 0; i < pieces.length; i++) {
            if (i > 0) {
                tokens.add(Token.comma());
            }
            for (String w : TextNormaliser.words(pieces[i])) {
                tokens.add(Token.word(w));
            }
        }
    }

    private static String firstNonNull(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return "";
    }
}
