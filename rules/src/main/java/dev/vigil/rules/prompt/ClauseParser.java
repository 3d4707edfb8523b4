package dev.vigil.rules.prompt;

import dev.vigil.rules.prompt.Vocabulary.ImpliedQuantity;
import dev.vigil.rules.prompt.Vocabulary.Match;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Parses one clause of a prompt (the words between "and"/"or") into {@link Atom}s, collecting the
 * words it does not understand. The atoms of a clause all hold together ("two people in the lobby
 * zone moving" is people, zone and motion).
 *
 * <p>Order of recognition at each word: quoted phrase; count ("more than 3", "several", "a crowd");
 * vocabulary phrase (longest first, so "no one" beats "no"); negation; zone phrase; filler word.
 * Anything else is unknown. A "says"-like verb splits the clause first: what follows it is the
 * spoken phrase, verbatim. A person word in a clause about voices ("someone says", "a man
 * shouting") names the speaker and adds no visual condition.
 */
final class ClauseParser {

    /**
     * What a clause means, or why it could not be understood.
     *
     * @param mappings  phrases outside the vocabulary that were mapped onto a concept by meaning
     * @param unmapped  phrases outside the vocabulary that map to nothing (each also in {@code unknownWords})
     */
    record Result(List<Atom> atoms, List<String> unknownWords, List<String> problems, boolean says,
                  List<MeaningMap.Mapping> mappings, List<String> unmapped) {

        Result(List<Atom> atoms, List<String> unknownWords, List<String> problems, boolean says) {
            this(atoms, unknownWords, problems, says, List.of(), List.of());
        }
    }

    private final List<Atom> atoms = new ArrayList<>();
    private final List<String> unknown = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> zones = new ArrayList<>();
    private final List<String> audioNouns = new ArrayList<>();
    private ImpliedQuantity pendingQuantity;
    private String pendingQuantityText;
    private String pendingNegation;
    /** Null: strict vocabulary only. */
    private final MeaningMap meanings;
    /** Consecutive unknown words (fillers between them are skipped) waiting to be mapped by meaning. */
    private final List<String> span = new ArrayList<>();
    private final List<MeaningMap.Mapping> mappings = new ArrayList<>();
    private final List<String> unmapped = new ArrayList<>();

    private ClauseParser(MeaningMap meanings) {
        this.meanings = meanings;
    }

    /**
     * @param afterSays the previous clause was about spoken words, so a clause of unknown words
     *                  continues it ("someone says help or fire")
     */
    static Result parse(List<Token> clause, boolean afterSays) {
        return new ClauseParser(null).run(clause, afterSays);
    }

    /** Like {@link #parse(List, boolean)}, mapping words outside the vocabulary by meaning when {@code meanings} is set. */
    static Result parse(List<Token> clause, boolean afterSays, MeaningMap meanings) {
        // A clause after a "says" clause may be another spoken phrase ("says help or fire"): read strictly.
        return new ClauseParser(afterSays ? null : meanings).run(clause, afterSays);
    }

    private Result run(List<Token> clause, boolean afterSays) {
        Optional<Match<Integer>> verb = Vocabulary.saysVerbIn(clause);
        boolean says = verb.isPresent();
        if (verb.isPresent()) {
            int at = verb.get().value();
            scan(clause.subList(0, at));
            closeSpan();
            saidPhrase(clause.subList(at, at + verb.get().length()), clause.subList(at + verb.get().length(), clause.size()),
                    meanings != null && Vocabulary.isTopicVerb(clause, verb.get()));
        } else {
            scan(clause);
            closeSpan();
            if (afterSays && atoms.isEmpty() && zones.isEmpty() && problems.isEmpty() && !unknown.isEmpty()) {
                return new Result(List.of(Atom.said(phraseOf(clause), false)), List.of(), List.of(), true);
            }
        }
        finish();
        return new Result(List.copyOf(new LinkedHashSet<>(atoms)), List.copyOf(unknown), List.copyOf(problems), says,
                List.copyOf(mappings), List.copyOf(unmapped));
    }

    /**
     * Maps the pending span of unknown words by meaning: onto a concept (which then takes the pending
     * count and negation like a vocabulary word would), or leaves its words unknown.
     */
    private void closeSpan() {
        if (span.isEmpty()) {
            return;
        }
        String phrase = String.join(" ", span);
        span.clear();
        Optional<MeaningMap.Mapping> mapping = meanings.map(phrase);
        if (mapping.isPresent()) {
            mappings.add(mapping.get());
            addConcept(mapping.get().entry());
        } else {
            unmapped.add(phrase);
            unknown.addAll(List.of(phrase.split(" ")));
        }
    }

    private void saidPhrase(List<Token> verb, List<Token> tail, boolean topic) {
        boolean negated = pendingNegation != null; // "doesn't say"
        pendingNegation = null;
        boolean quoted = tail.stream().anyMatch(t -> t.kind() == Token.Kind.QUOTED);
        if (quoted) {
            pendingNegation = negated ? "not" : null;
            scan(tail);
        } else {
            String phrase = phraseOf(tail);
            if (phrase.isEmpty()) {
                verb.forEach(t -> unknown.add(t.display()));
            } else if (topic) {
                // "mentions a refund" also fires on "I want my money back": the phrase as written is the meaning.
                atoms.add(Atom.saidOrMeant(phrase, text(tail, 0, tail.size()), negated));
            } else {
                atoms.add(Atom.said(phrase, negated));
            }
        }
    }

    private void scan(List<Token> tokens) {
        int i = 0;
        while (i < tokens.size()) {
            Token t = tokens.get(i);
            if (t.kind() == Token.Kind.COMMA) {
                closeSpanIfMeaning();
                i++;
                continue;
            }
            if (meanings != null && t.isWord() && !startsSomething(tokens, i)) {
                if (!Vocabulary.FILLERS.contains(t.text())) {
                    span.add(t.text()); // fillers inside a span ("dog is barking") neither join nor end it
                }
                i++;
                continue;
            }
            closeSpanIfMeaning();
            if (t.kind() == Token.Kind.QUOTED) {
                if (t.text().isEmpty()) {
                    problems.add("a quoted phrase has no words");
                } else {
                    atoms.add(Atom.said(t.text(), takeNegation()));
                }
                i++;
                continue;
            }
            if (t.isWord(PromptCompiler.OR_MORE) || t.isWord(PromptCompiler.OR_FEWER)) {
                widenLastCount(t.isWord(PromptCompiler.OR_MORE));
                i++;
                continue;
            }
            Optional<Match<ImpliedQuantity>> quantity = quantityAt(tokens, i);
            if (quantity.isPresent()) {
                if (pendingQuantity != null) {
                    flushQuantity();
                }
                pendingQuantity = quantity.get().value();
                pendingQuantityText = text(tokens, i, quantity.get().length());
                i += quantity.get().length();
                continue;
            }
            Optional<Match<Vocabulary.Entry>> phrase = Vocabulary.phraseAt(tokens, i);
            if (phrase.isPresent()) {
                addConcept(phrase.get().value());
                i += phrase.get().length();
                continue;
            }
            String w = t.text();
            if (Vocabulary.NEGATIONS.contains(w)) {
                if (pendingNegation != null) {
                    unknown.add(pendingNegation); // "not no ...": refuse rather than guess
                }
                pendingNegation = w;
                i++;
                continue;
            }
            Optional<Match<String>> zone = zoneAt(tokens, i);
            if (zone.isPresent()) {
                zones.add(zone.get().value());
                i += zone.get().length();
                continue;
            }
            if (Vocabulary.AUDIO_NOUNS.contains(w)) {
                audioNouns.add(w);
            } else if (!Vocabulary.FILLERS.contains(w)) {
                unknown.add(w);
            }
            i++;
        }
    }

    private void closeSpanIfMeaning() {
        if (meanings != null) {
            closeSpan();
        }
    }

    /** True when the word at {@code i} is read by the vocabulary (a count, concept, negation, zone, sound noun). */
    private static boolean startsSomething(List<Token> tokens, int i) {
        Token t = tokens.get(i);
        return t.isWord(PromptCompiler.OR_MORE) || t.isWord(PromptCompiler.OR_FEWER)
                || quantityAt(tokens, i).isPresent() || Vocabulary.phraseAt(tokens, i).isPresent()
                || Vocabulary.NEGATIONS.contains(t.text()) || zoneAt(tokens, i).isPresent()
                || Vocabulary.AUDIO_NOUNS.contains(t.text());
    }

    private void addConcept(Vocabulary.Entry entry) {
        Concept concept = entry.concept();
        if (concept.isCounted()) {
            Quantity q = pendingQuantity != null ? pendingQuantity.quantity() : Quantity.AT_LEAST_ONE;
            if (entry.negated()) {
                q = q.negate(); // "no one", "empty"
            }
            if (takeNegation()) {
                q = q.negate(); // "no people", "not more than 3 people" is handled as a comparator
            }
            pendingQuantity = null;
            atoms.add(Atom.counted(concept, q));
            return;
        }
        if (pendingQuantity != null) {
            flushQuantity(); // "a crowd screaming" keeps the crowd; "3 alarms" makes "3" unknown
        }
        atoms.add(Atom.of(concept, entry.negated() ^ takeNegation()));
    }

    /** "two people or more" / "two people or fewer": applies to the count just read. */
    private void widenLastCount(boolean orMore) {
        for (int k = atoms.size() - 1; k >= 0; k--) {
            Atom a = atoms.get(k);
            if (a.concept().isCounted() && a.quantity().comparison() == Quantity.Comparison.GE) {
                if (!orMore) {
                    Quantity q = new Quantity(Quantity.Comparison.LE, a.quantity().n());
                    atoms.set(k, new Atom(a.concept(), q, a.zone(), a.phrase(), a.negated(), a.meaning()));
                }
                return; // a bare number already means "at least"
            }
        }
        unknown.add(orMore ? "or more" : "or fewer");
    }

    private void flushQuantity() {
        if (pendingQuantity.impliesPeople()) {
            Quantity q = pendingQuantity.quantity();
            atoms.add(Atom.counted(Concept.PEOPLE, takeNegation() ? q.negate() : q));
        } else {
            unknown.add(pendingQuantityText);
        }
        pendingQuantity = null;
    }

    private void finish() {
        if (pendingQuantity != null) {
            flushQuantity();
        }
        if (pendingNegation != null) {
            unknown.add(pendingNegation);
            pendingNegation = null;
        }
        attachZone();
        if (atoms.stream().anyMatch(a -> a.concept().isVoice() || a.concept() == Concept.IMPULSE)) {
            // "someone says", "a man shouting", "someone knocks": the person makes the sound, not something to see.
            atoms.removeIf(a -> a.concept() == Concept.PEOPLE && a.zone() == null
                    && a.quantity().equals(Quantity.AT_LEAST_ONE));
        }
        if (!audioNouns.isEmpty() && atoms.stream().noneMatch(a -> a.concept().isAudible())) {
            unknown.addAll(audioNouns); // "any sound" alone says nothing checkable
        }
    }

    private void attachZone() {
        if (zones.isEmpty()) {
            return;
        }
        if (zones.size() > 1) {
            problems.add("one clause names several zones (" + String.join(", ", zones)
                    + "); write one clause per zone, e.g. \"a person in the lobby or a person in the garage\"");
            return;
        }
        String zone = zones.get(0);
        boolean attached = false;
        for (int k = 0; k < atoms.size(); k++) {
            Atom a = atoms.get(k);
            if (a.concept().isCounted() && a.zone() == null) {
                atoms.set(k, a.inZone(zone));
                attached = true;
            }
        }
        if (!attached) {
            problems.add("\"in zone " + zone + "\" needs a person or face word: zones carry "
                    + "counts of people and faces (e.g. \"a person in the " + zone.replace('_', ' ') + " zone\")");
        }
    }

    private boolean takeNegation() {
        boolean negated = pendingNegation != null;
        pendingNegation = null;
        return negated;
    }

    /** A count at {@code i}: "more than 3", "3 or more", "two", "several", "a crowd of". */
    private static Optional<Match<ImpliedQuantity>> quantityAt(List<Token> tokens, int i) {
        Optional<Match<Quantity.Comparison>> comparator = Vocabulary.comparatorAt(tokens, i);
        if (comparator.isPresent()) {
            int at = i + comparator.get().length();
            Optional<Long> n = at < tokens.size() ? Vocabulary.number(tokens.get(at)) : Optional.empty();
            if (n.isPresent()) {
                return Optional.of(new Match<>(new ImpliedQuantity(
                        new Quantity(comparator.get().value(), n.get()), false), comparator.get().length() + 1));
            }
        }
        Optional<Long> n = Vocabulary.number(tokens.get(i));
        if (n.isPresent()) {
            Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
            if (next != null && next.isWord(PromptCompiler.OR_MORE)) {
                return Optional.of(quantity(Quantity.Comparison.GE, n.get(), 2));
            }
            if (next != null && next.isWord(PromptCompiler.OR_FEWER)) {
                return Optional.of(quantity(Quantity.Comparison.LE, n.get(), 2));
            }
            // A bare number means "at least": "two people" fires when three are there too.
            return Optional.of(quantity(n.get() == 0 ? Quantity.Comparison.EQ : Quantity.Comparison.GE, n.get(), 1));
        }
        return Vocabulary.impliedQuantityAt(tokens, i);
    }

    private static Match<ImpliedQuantity> quantity(Quantity.Comparison c, long n, int length) {
        return new Match<>(new ImpliedQuantity(new Quantity(c, n), false), length);
    }

    /**
     * A zone at {@code i}: "in zone A", "in the loading dock zone" (up to three words before
     * zone/area/region), or "in the lobby" (one word after "the", not a vocabulary word, and not
     * followed by another unknown word, so "in the red shirt" is not a zone).
     */
    private static Optional<Match<String>> zoneAt(List<Token> tokens, int i) {
        Token prep = tokens.get(i);
        if (!prep.isWord() || !Vocabulary.ZONE_PREPOSITIONS.contains(prep.text())) {
            return Optional.empty();
        }
        int j = i + 1;
        boolean the = j < tokens.size() && tokens.get(j).isWord("the");
        if (the) {
            j++;
        }
        if (j >= tokens.size() || !tokens.get(j).isWord()) {
            return Optional.empty();
        }
        if (tokens.get(j).isWord("zone") && j + 1 < tokens.size() && tokens.get(j + 1).isWord()) {
            return Optional.of(new Match<>(tokens.get(j + 1).text(), j + 2 - i));
        }
        for (int k = 1; k <= 3 && j + k < tokens.size(); k++) {
            Token end = tokens.get(j + k);
            if (!tokens.get(j + k - 1).isWord() || Vocabulary.ZONE_SUFFIXES.contains(tokens.get(j + k - 1).text())) {
                break;
            }
            if (end.isWord() && Vocabulary.ZONE_SUFFIXES.contains(end.text())) {
                return Optional.of(new Match<>(join(tokens, j, k), j + k + 1 - i));
            }
        }
        if (the && !prep.isWord("at")) {
            String w = tokens.get(j).text();
            boolean nextUnknown = j + 1 < tokens.size() && !isKnown(tokens.get(j + 1));
            if (!isKnown(tokens.get(j)) && !Vocabulary.NOT_ZONES.contains(w) && !nextUnknown) {
                return Optional.of(new Match<>(w, j + 1 - i));
            }
        }
        return Optional.empty();
    }

    private static boolean isKnown(Token t) {
        if (!t.isWord()) {
            return true;
        }
        String w = t.text();
        return Vocabulary.FILLERS.contains(w) || Vocabulary.ZONE_PREPOSITIONS.contains(w)
                || Vocabulary.ZONE_SUFFIXES.contains(w) || Vocabulary.isMeaningful(w)
                || Vocabulary.number(t).isPresent();
    }

    /** The words of a spoken phrase, without leading articles ("says the word fire" → "fire"). */
    private static String phraseOf(List<Token> tokens) {
        List<String> words = new ArrayList<>();
        for (Token t : tokens) {
            if (t.kind() == Token.Kind.COMMA) {
                continue;
            }
            if (words.isEmpty() && t.isWord() && Vocabulary.PHRASE_LEADERS.contains(t.text())) {
                continue;
            }
            words.add(t.text());
        }
        return String.join(" ", words);
    }

    private static String join(List<Token> tokens, int from, int count) {
        List<String> words = new ArrayList<>();
        for (int k = from; k < from + count; k++) {
            words.add(tokens.get(k).text());
        }
        return String.join("_", words);
    }

    private static String text(List<Token> tokens, int from, int count) {
        List<String> words = new ArrayList<>();
        for (int k = from; k < from + count; k++) {
            words.add(tokens.get(k).display());
        }
        return String.join(" ", words);
    }
}
