package dev.vigil.indexer.speech;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The phone count of every word of Sphinx4's en-us dictionary (cmudict, inside sphinx4-data): a
 * grammar may only use words it knows, and the phone count of a phrase tells how long saying it takes.
 * Loaded once (about 130,000 words).
 */
public final class Pronunciations {

    static final String DICTIONARY = "/edu/cmu/sphinx/models/en-us/cmudict-en-us.dict";
    private static volatile Pronunciations instance;

    private final Map<String, Integer> phones;

    private Pronunciations(Map<String, Integer> phones) {
        this.phones = phones;
    }

    public static Pronunciations get() {
        Pronunciations p = instance;
        if (p == null) {
            synchronized (Pronunciations.class) {
                if (instance == null) {
                    instance = load();
                }
                p = instance;
            }
        }
        return p;
    }

    private static Pronunciations load() {
        Map<String, Integer> phones = new HashMap<>(200_000);
        try (InputStream in = Pronunciations.class.getResourceAsStream(DICTIONARY)) {
            if (in == null) {
                throw new IllegalStateException("sphinx4-data is not on the class path: " + DICTIONARY + " missing");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length < 2) {
                    continue;
                }
                String word = parts[0];
                int paren = word.indexOf('(');
                if (paren > 0) {
                    word = word.substring(0, paren); // "read(2)": an alternative pronunciation
                }
                phones.merge(word, parts.length - 1, Math::min);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DICTIONARY, e);
        }
        return new Pronunciations(phones);
    }

    public boolean knows(String word) {
        return phones.containsKey(word);
    }

    /** Phones of a phrase of known words (shortest pronunciations). */
    public int phones(String phrase) {
        int n = 0;
        for (String w : phrase.split(" ")) {
            n += phones.getOrDefault(w, 4);
        }
        return n;
    }
}
