package dev.vigil.api.records;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * Turns a user's search text into a Lucene query. VideoDB's search takes natural language
 * ("person at the gate"), not a query language, so the text is read as words plus optional
 * {@code "quoted phrases"}; nothing else is syntax. That is why this is not Lucene's classic
 * QueryParser (whose syntax errors, field names, fuzzy and leading wildcards a caller could trip or
 * abuse) — and the words cannot smuggle in expensive queries: every clause is a term or a phrase.
 *
 * <ul>
 *   <li>Words are analysed like the indexed text (StandardAnalyzer: Unicode words, lower case) and
 *       each is an optional clause on the text and on the labels; BM25 ranks records matching more
 *       and rarer words first.</li>
 *   <li>With two or more words, the words as a sloppy phrase (slop {@value #SLOP}) boost records
 *       that say them together — so the record with the asked-for sentence ranks first.</li>
 *   <li>A quoted phrase must occur in the text.</li>
 * </ul>
 * Rejected with {@link BadQueryException}: empty text, more than {@value #MAX_CHARS} characters, an
 * unbalanced quote, more than {@value #MAX_TERMS} words, and text with no word at all (e.g. {@code *}
 * or punctuation only — wildcards are not supported).
 */
public final class SearchText {

    public static final int MAX_CHARS = 1000;
    public static final int MAX_TERMS = 64;
    static final int SLOP = 2;
    private static final float LABEL_BOOST = 0.5f;
    private static final float PHRASE_BOOST = 2f;

    private final Analyzer analyzer;

    public SearchText(Analyzer analyzer) {
        this.analyzer = analyzer;
    }

    /**
     * A parsed search text: the BM25 query, the distinct analysed words (of the free text and of the
     * quoted phrases) for the lexical part of the score, and whether quoted phrases must occur.
     */
    public record Parsed(Query query, Set<String> words, boolean hasPhrases) {
    }

    /** The query for {@code text}; throws {@link BadQueryException} saying what to fix. */
    public Query parse(String text) {
        return analyse(text).query();
    }

    /** The query and words of {@code text}; throws {@link BadQueryException} saying what to fix. */
    public Parsed analyse(String text) {
        if (text == null || text.isBlank()) {
            throw new BadQueryException("field 'query' is required: the words to search for");
        }
        if (text.length() > MAX_CHARS) {
            throw new BadQueryException("field 'query' must be at most " + MAX_CHARS + " characters");
        }
        String[] parts = text.split("\"", -1);
        if (parts.length % 2 == 0) {
            throw new BadQueryException("field 'query' has an unbalanced double quote: close the quoted phrase");
        }
        List<String> words = new ArrayList<>();
        List<List<String>> phrases = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            List<String> tokens = analyze(parts[i]);
            if (i % 2 == 0) {
                words.addAll(tokens);
            } else if (!tokens.isEmpty()) {
                phrases.add(tokens);
            }
        }
        int total = words.size() + phrases.stream().mapToInt(List::size).sum();
        if (total == 0) {
            throw new BadQueryException("field 'query' has no words to search for (wildcards and punctuation alone "
                    + "are not supported)");
        }
        if (total > MAX_TERMS) {
            throw new BadQueryException("field 'query' has " + total + " words; at most " + MAX_TERMS + " are searched");
        }
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        Set<String> distinct = new LinkedHashSet<>(words);
        for (String word : distinct) {
            query.add(new TermQuery(new Term(StoredRecord.TEXT, word)), Occur.SHOULD);
            query.add(new BoostQuery(new TermQuery(new Term(StoredRecord.LABELS, word)), LABEL_BOOST), Occur.SHOULD);
        }
        if (words.size() >= 2) {
            query.add(new BoostQuery(phrase(words, SLOP), PHRASE_BOOST), Occur.SHOULD);
        }
        for (List<String> phrase : phrases) {
            query.add(phrase.size() == 1 ? new TermQuery(new Term(StoredRecord.TEXT, phrase.get(0))) : phrase(phrase, 0),
                    Occur.MUST);
        }
        Set<String> all = new LinkedHashSet<>(words);
        phrases.forEach(all::addAll);
        return new Parsed(query.build(), Set.copyOf(all), !phrases.isEmpty());
    }

    /** The analysed words of {@code text}, as the index sees them. */
    List<String> words(String text) {
        return analyze(text);
    }

    private static Query phrase(List<String> terms, int slop) {
        PhraseQuery.Builder phrase = new PhraseQuery.Builder().setSlop(slop);
        for (String term : terms) {
            phrase.add(new Term(StoredRecord.TEXT, term));
        }
        return phrase.build();
    }

    private List<String> analyze(String text) {
        List<String> tokens = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream(StoredRecord.TEXT, text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                tokens.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String does not fail
        }
        return tokens;
    }
}
