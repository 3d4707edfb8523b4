package dev.vigil.rules.prompt;

import dev.vigil.rules.prompt.Quantity.Comparison;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The prompt compiler's word lists: which words and phrases mean which {@link Concept}, which
 * express counts, zones, negation and spoken words, and which carry no meaning (fillers).
 * {@code rules/DESIGN.md} documents the same tables for users; a change here belongs there too.
 *
 * <p>All words are in normalised form (lower case, no apostrophes: "isn't" is {@code isnt}).
 */
final class Vocabulary {

    /** A vocabulary phrase's meaning; {@code negated} for phrases like "no one" or "lights on". */
    record Entry(Concept concept, boolean negated) {
    }

    /** A match of a table entry at some token position, {@code length} tokens long. */
    record Match<T>(T value, int length) {
    }

    /** A quantity word that is also a noun for people ("a crowd", "a group"). */
    record ImpliedQuantity(Quantity quantity, boolean impliesPeople) {
    }

    private static final Map<List<String>, Entry> PHRASES = new HashMap<>();
    private static final Map<List<String>, Comparison> COMPARATORS = new HashMap<>();
    private static final Map<List<String>, ImpliedQuantity> IMPLIED_QUANTITIES = new HashMap<>();
    private static final List<List<String>> SAYS_VERBS;
    /** "says"-like verbs about a topic rather than exact words: their phrase is also matched by meaning. */
    private static final Set<List<String>> TOPIC_VERBS;

    static {
        concept(Concept.PEOPLE, false, "person", "persons", "people", "someone", "somebody", "anyone", "anybody",
                "intruder", "intruders", "human", "humans", "man", "men", "woman", "women", "visitor", "visitors",
                "trespasser", "trespassers", "pedestrian", "pedestrians", "individual", "individuals",
                "stranger", "strangers", "burglar", "burglars", "thief", "thieves", "prowler", "prowlers",
                "child", "children", "kid", "kids", "boy", "boys", "girl", "girls", "adult", "adults",
                "guy", "guys", "worker", "workers", "employee", "employees", "customer", "customers",
                "guest", "guests", "occupant", "occupants", "presence", "human presence", "baby", "babies",
                "infant", "infants", "toddler", "toddlers", "shopper", "shoppers", "driver", "drivers",
                "cyclist", "cyclists", "passenger", "passengers", "staff", "operator", "operators");
        concept(Concept.PEOPLE, true, "no one", "noone", "nobody", "no body", "empty", "unoccupied", "vacant");
        concept(Concept.FACES, false, "face", "faces");
        concept(Concept.VEHICLES, false, "vehicle", "vehicles", "car", "cars", "truck", "trucks", "lorry", "lorries",
                "van", "vans", "bus", "buses", "motorcycle", "motorcycles", "motorbike", "motorbikes", "bicycle",
                "bicycles", "bike", "bikes", "forklift", "forklifts", "taxi", "taxis", "suv", "suvs", "traffic");
        concept(Concept.ANIMALS, false, "animal", "animals", "dog", "dogs", "cat", "cats", "pet", "pets", "bird",
                "birds", "fox", "foxes", "deer", "horse", "horses", "cow", "cows", "wildlife", "rodent", "rodents",
                "rat", "rats", "mouse", "mice", "raccoon", "raccoons");
        concept(Concept.MOTION, false, "motion", "movement", "movements", "moving", "moves", "move", "moved",
                "activity");
        concept(Concept.DARK, false, "dark", "darkness", "darkened", "pitch black", "low light",
                "lights off", "light off", "lights out", "lights are off", "lights go off", "lights went off",
                "lights turn off", "lights turned off", "lights switched off", "lights go out", "lights went out");
        concept(Concept.DARK, true, "lights on", "light on", "lights are on", "lights turn on", "lights turned on",
                "lights come on", "lights switched on", "lights go on");
        concept(Concept.COVERED, false, "covered", "covers", "cover", "covering", "blocked", "blocks", "blocking",
                "obstructed", "obscured", "tampered", "tampering", "tamper", "blacked out", "black screen");
        concept(Concept.SILENCE, false, "silence", "silent", "quiet", "no sound", "no sounds", "no noise",
                "no audio");
        concept(Concept.ALARM, false, "alarm", "alarms", "siren", "sirens", "beep", "beeps", "beeping", "buzzer",
                "fire alarm", "smoke alarm", "smoke detector", "car alarm", "alarm bell", "doorbell", "horn",
                "honking");
        concept(Concept.LOUD, false, "loud", "noisy", "loud noise", "loud noises", "loud sound", "loud sounds",
                "loud voice", "loud voices", "raised voices", "scream", "screams", "screaming", "screamed",
                "shout", "shouts", "shouting", "shouted", "yell", "yells", "yelling", "yelled", "shriek",
                "shrieking");
        concept(Concept.IMPULSE, false, "bang", "bangs", "banging", "loud bang", "gunshot", "gunshots", "gun shot",
                "gun shots", "shot fired", "shots fired", "gunfire", "explosion", "explosions", "blast",
                "glass breaking", "breaking glass", "broken glass", "glass break", "glass shattering",
                "shattering", "smash", "smashing", "crash", "crashing", "slam", "slams", "slamming",
                "door slam", "door slamming", "thud", "knock", "knocking");
        concept(Concept.MUSIC, false, "music", "song", "songs", "singing", "music playing");
        concept(Concept.SPEECH, false, "speech", "talking", "talk", "talks", "speaking", "speaks", "speak",
                "voice", "voices", "conversation", "chatter");

        comparator(Comparison.GT, "more than", "over", "above", "greater than");
        comparator(Comparison.GE, "at least", "minimum of", "a minimum of");
        comparator(Comparison.LT, "fewer than", "less than", "under", "below");
        comparator(Comparison.LE, "at most", "no more than", "not more than", "up to", "maximum of",
                "a maximum of");
        comparator(Comparison.EQ, "exactly", "only");

        implied(new Quantity(Comparison.GE, 2), false, "multiple", "several", "few", "a few", "couple of",
                "a couple of", "pair of", "a pair of");
        implied(new Quantity(Comparison.GE, 5), false, "many", "lots of", "a lot of");
        implied(new Quantity(Comparison.GE, 3), true, "group", "group of", "a group of", "groups");
        implied(new Quantity(Comparison.GE, 5), true, "crowd", "crowd of", "a crowd of", "crowds", "gathering");

        SAYS_VERBS = phrases("says", "say", "said", "saying", "mentions", "mention", "mentioned", "mentioning",
                "utters", "utter", "uttered", "contains", "talks about", "talking about", "talked about",
                "speaks about", "speaking about", "asks for", "asking for", "asked for", "calls for",
                "calling for", "called for", "cries for", "crying for", "screams for", "screaming for",
                "shouts for", "shouting for", "yells for", "yelling for");
        TOPIC_VERBS = Set.copyOf(phrases("mentions", "mention", "mentioned", "mentioning", "talks about",
                "talking about", "talked about", "speaks about", "speaking about", "asks for", "asking for",
                "asked for", "calls for", "calling for", "called for"));
    }

    /** Words that carry no condition: politeness, verbs of noticing, articles, the camera itself. */
    static final Set<String> FILLERS = words(
            "a", "an", "the", "any", "some", "is", "are", "was", "were", "be", "been", "being", "am", "has", "have",
            "had", "there", "theres", "this", "that", "these", "those", "it", "its", "of", "to", "for", "by",
            "me", "us", "my", "our", "i", "we", "you", "please", "detect", "detects", "detected", "detecting",
            "detection", "alert", "alerts", "alerted", "alerting", "notify", "notified", "notification", "tell",
            "warn", "warning", "send", "report", "flag", "trigger", "when", "whenever", "if", "once", "as", "soon",
            "while", "who", "which", "appears", "appear", "appearing", "appeared", "shows", "show", "showing",
            "shown", "visible", "seen", "see", "sees", "spot", "spotted", "present", "happens", "happening",
            "occurs", "heard", "hear", "hears", "hearing", "camera", "cameras", "cam", "lens", "view", "frame",
            "picture", "image", "video", "feed", "footage", "screen", "stream", "on", "off", "out", "up", "walks",
            "walking", "walk", "walked", "standing", "stands", "stand", "comes", "coming", "come", "came", "goes",
            "going", "go", "went", "gets", "getting", "get", "got", "arrives", "arriving", "arrive", "arrived",
            "approaches", "approaching", "suddenly", "just", "again", "here", "now", "currently", "starts",
            "start", "started", "starting", "begins", "begin", "turns", "turned", "turn", "plays", "playing",
            "played", "can", "could", "will", "would", "should", "may", "might", "do", "does", "did", "both",
            "either", "also", "too", "very", "really", "word", "words", "phrase", "keyword", "transcript",
            "inside", "into", "within", "in", "at", "enters", "enter", "entering", "entered", "anywhere",
            "someones", "somebodys", "scene", "sight", "loudly", "ring", "rings", "ringing", "rang", "sounding",
            "sounded", "goes", "went", "gathers", "gather", "gathered", "forms", "formed");

    /** Words that negate the next concept of the clause. */
    static final Set<String> NEGATIONS = words("no", "not", "without", "never", "nothing", "none", "isnt",
            "arent", "doesnt", "dont", "cant", "cannot", "wont", "wasnt", "werent");

    /** Prepositions that can open a zone phrase ("in the lobby", "enters the dock zone"). */
    static final Set<String> ZONE_PREPOSITIONS = words("in", "inside", "into", "within", "enters", "enter",
            "entering", "entered", "at");
    /** Words that close a zone name ("the loading dock zone"). */
    static final Set<String> ZONE_SUFFIXES = words("zone", "area", "region");
    /** Nouns after "in the" that are not zones ("in the picture", "in the dark" is a concept). */
    static final Set<String> NOT_ZONES = words("view", "frame", "picture", "image", "video", "scene", "shot",
            "sight", "footage", "feed", "screen", "background", "foreground", "distance", "audio", "recording",
            "transcript", "stream", "night", "day", "morning", "evening", "afternoon", "daytime", "nighttime",
            "middle", "camera", "zone", "area", "region");
    /** Generic sound nouns: fine next to an audio concept ("an alarm sound"), meaningless alone. */
    static final Set<String> AUDIO_NOUNS = words("sound", "sounds", "noise", "noises", "audio");
    /** Words skipped at the start of an unquoted spoken phrase ("says the word fire" → "fire"). */
    static final Set<String> PHRASE_LEADERS = words("the", "a", "an", "word", "words", "phrase");

    private static final Map<String, Long> NUMBER_WORDS = Map.ofEntries(
            Map.entry("zero", 0L), Map.entry("one", 1L), Map.entry("two", 2L), Map.entry("three", 3L),
            Map.entry("four", 4L), Map.entry("five", 5L), Map.entry("six", 6L), Map.entry("seven", 7L),
            Map.entry("eight", 8L), Map.entry("nine", 9L), Map.entry("ten", 10L), Map.entry("eleven", 11L),
            Map.entry("twelve", 12L), Map.entry("dozen", 12L), Map.entry("fifteen", 15L), Map.entry("twenty", 20L),
            Map.entry("single", 1L), Map.entry("couple", 2L), Map.entry("pair", 2L));

    /** One paragraph for rejection messages: what the compiler understands. */
    static final String SUMMARY = "The prompt vocabulary understands: people (person, someone, intruder, visitor, "
            + "...) with counts (two people, more than 3 people, at least 2, a group, a crowd, no one); faces; "
            + "zones (a person in the lobby, in the loading dock zone, in zone A); motion (motion, movement, "
            + "moving); darkness (dark, lights off); a covered camera (covered, blocked, tampered); silence "
            + "(silence, quiet); alarms (alarm, siren, beeping, fire alarm); loud sounds (loud noise, scream, "
            + "shout); impulsive sounds (bang, gunshot, glass breaking); music; speech (talking, voices); "
            + "spoken words (someone says help, mentions fire, or any \"quoted phrase\"); joined with and/or, "
            + "negated with no/not. Vehicles and animals are understood but need a vision and a text model: "
            + "no offline engine counts them.";

    private Vocabulary() {
    }

    /** Every concept phrase with its meaning, words joined by a space (for tests that walk the vocabulary). */
    static Map<String, Entry> conceptPhrases() {
        Map<String, Entry> all = new java.util.TreeMap<>();
        PHRASES.forEach((words, entry) -> all.put(String.join(" ", words), entry));
        return all;
    }

    /** The longest vocabulary phrase starting at {@code i}. */
    static Optional<Match<Entry>> phraseAt(List<Token> tokens, int i) {
        return longest(PHRASES, tokens, i);
    }

    /** The longest comparator ("more than", "at most") starting at {@code i}. */
    static Optional<Match<Comparison>> comparatorAt(List<Token> tokens, int i) {
        return longest(COMPARATORS, tokens, i);
    }

    /** The longest implied quantity ("several", "a crowd of") starting at {@code i}. */
    static Optional<Match<ImpliedQuantity>> impliedQuantityAt(List<Token> tokens, int i) {
        return longest(IMPLIED_QUANTITIES, tokens, i);
    }

    /** The first "says"-like verb in the clause: its start index and length. */
    static Optional<Match<Integer>> saysVerbIn(List<Token> tokens) {
        for (int i = 0; i < tokens.size(); i++) {
            for (List<String> verb : SAYS_VERBS) {
                if (matches(verb, tokens, i)) {
                    return Optional.of(new Match<>(i, verb.size()));
                }
            }
        }
        return Optional.empty();
    }

    /** True when the verb at {@code match} (from {@link #saysVerbIn}) names a topic ("mentions"), not exact words. */
    static boolean isTopicVerb(List<Token> tokens, Match<Integer> match) {
        List<String> verb = wordsAt(tokens, match.value(), match.length());
        return verb != null && TOPIC_VERBS.contains(verb);
    }

    /** The value of a number word or of digits ("3"), if the token is one. */
    static Optional<Long> number(Token token) {
        if (!token.isWord()) {
            return Optional.empty();
        }
        String w = token.text();
        if (w.length() <= 6 && w.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.of(Long.parseLong(w));
        }
        return Optional.ofNullable(NUMBER_WORDS.get(w));
    }

    /** True if a vocabulary phrase, comparator or quantity starts with this word. */
    static boolean isMeaningful(String word) {
        List<Token> one = List.of(Token.word(word));
        return phraseAt(one, 0).isPresent() || NEGATIONS.contains(word) || AUDIO_NOUNS.contains(word)
                || NUMBER_WORDS.containsKey(word) || startsAny(PHRASES.keySet(), word)
                || startsAny(COMPARATORS.keySet(), word) || startsAny(IMPLIED_QUANTITIES.keySet(), word);
    }

    private static boolean startsAny(Set<List<String>> phrases, String word) {
        for (List<String> p : phrases) {
            if (p.get(0).equals(word)) {
                return true;
            }
        }
        return false;
    }

    private static <T> Optional<Match<T>> longest(Map<List<String>, T> table, List<Token> tokens, int i) {
        for (int len = Math.min(4, tokens.size() - i); len >= 1; len--) {
            List<String> key = wordsAt(tokens, i, len);
            if (key != null) {
                T value = table.get(key);
                if (value != null) {
                    return Optional.of(new Match<>(value, len));
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> wordsAt(List<Token> tokens, int i, int len) {
        String[] words = new String[len];
        for (int k = 0; k < len; k++) {
            Token t = tokens.get(i + k);
            if (!t.isWord()) {
                return null;
            }
            words[k] = t.text();
        }
        return Arrays.asList(words);
    }

    private static boolean matches(List<String> phrase, List<Token> tokens, int i) {
        if (i + phrase.size() > tokens.size()) {
            return false;
        }
        for (int k = 0; k < phrase.size(); k++) {
            if (!tokens.get(i + k).isWord(phrase.get(k))) {
                return false;
            }
        }
        return true;
    }

    private static void concept(Concept concept, boolean negated, String... phrases) {
        for (List<String> p : phrases(phrases)) {
            PHRASES.put(p, new Entry(concept, negated));
        }
    }

    private static void comparator(Comparison comparison, String... phrases) {
        for (List<String> p : phrases(phrases)) {
            COMPARATORS.put(p, comparison);
        }
    }

    private static void implied(Quantity quantity, boolean impliesPeople, String... phrases) {
        for (List<String> p : phrases(phrases)) {
            IMPLIED_QUANTITIES.put(p, new ImpliedQuantity(quantity, impliesPeople));
        }
    }

    // Set.copyOf, unlike Set.of, tolerates a word listed twice: the lists are edited by hand.
    private static Set<String> words(String... words) {
        return Set.copyOf(Arrays.asList(words));
    }

    private static List<List<String>> phrases(String... phrases) {
        return Arrays.stream(phrases).map(p -> List.of(p.split(" "))).toList();
    }
}
