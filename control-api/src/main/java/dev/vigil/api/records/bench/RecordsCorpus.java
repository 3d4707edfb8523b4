package dev.vigil.api.records.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The texts of the records-store benchmarks ({@code RecordsBench} in control-api's tests and the
 * search part of {@code vigil bench --stage model}): transcript sentences, scene and sound
 * descriptions with their labels, and search queries, from fixed vocabularies with a skewed
 * (Zipf-like) choice and fixed seeds, so runs compare.
 *
 * <p>The records draw from pools of a bounded number of distinct texts ({@code distinct} transcript
 * sentences, half as many scene and a quarter as many sound descriptions), as live feeds do: speech
 * repeats ("okay", "copy that") and offline scene and sound descriptions are templated. The search
 * embedder embeds each distinct text once (its cache by text), so a million records get their vectors
 * in the time the pools take to embed, and the bench measures the index, not the model.
 *
 * <p>Main code, not a test class, because {@code vigil bench} (standalone's main code) uses it at
 * run time; control-api's bench (its test code) sees it too, and nothing else in the service does.
 */
public final class RecordsCorpus {

    /** Default pool of distinct transcript sentences: all of them fit the embedder's cache with the descriptions. */
    public static final int DEFAULT_DISTINCT = 2_000;

    private static final String[] SUBJECTS = {"the driver", "a delivery van", "the guard", "a woman", "a man", "the courier",
        "two people", "the manager", "a cyclist", "the technician", "a visitor", "the cleaner", "someone", "the operator",
        "a child", "the dog", "a red car", "a white truck", "the forklift", "a customer"};
    private static final String[] VERBS = {"is waiting at", "walks towards", "stops near", "leaves", "enters", "opens",
        "closes", "drives past", "looks at", "knocks on", "runs to", "parks next to", "calls from", "repairs", "inspects",
        "carries a box to", "points at", "stands by", "climbs over", "drops a parcel at"};
    private static final String[] PLACES = {"the front gate", "the loading dock", "the main entrance", "the parking lot",
        "the fence", "the reception desk", "the back door", "the warehouse", "the corridor", "the elevator", "the stairs",
        "the north exit", "the kitchen", "the server room", "the garden", "the bus stop", "the car park barrier",
        "the storage room", "the window", "the office"};
    private static final String[] FILLERS = {"okay", "right", "please", "thank you", "hello", "can you hear me", "over",
        "copy that", "one moment", "all clear", "check the camera", "call security", "it is raining", "lights are off",
        "the alarm is ringing", "we need help", "no problem", "see you tomorrow", "door is locked", "battery is low"};
    private static final String[] SCENE_LABELS = {"person", "motion", "car", "truck", "bicycle", "dog", "dark", "bright",
        "face", "covered", "bag", "crowd"};
    private static final String[] ZONES = {"door", "gate", "dock", "lobby", "yard", "fence"};
    private static final String[] SOUNDS = {"speech", "music", "alarm", "silence", "noise", "impulse", "tonal"};
    /** Queries with few or no words in common with the records they should find (found by meaning). */
    private static final String[] PARAPHRASES = {"someone is asking to be rescued", "a vehicle at the entrance",
        "an animal near the fence", "a package was delivered", "somebody is breaking in", "the power went out",
        "phone the security team", "a lorry is unloading", "the entrance is shut", "is anybody listening"};

    /** A record's text and its labels (none for transcripts). */
    public record Text(String text, List<String> labels) {
    }

    private final List<Text> sentences;
    private final List<Text> scenes;
    private final List<Text> sounds;

    /** Pools of {@code distinct} transcript sentences, {@code distinct / 2} scene and {@code distinct / 4} sound descriptions. */
    public RecordsCorpus(int distinct) {
        if (distinct < 4) {
            throw new IllegalArgumentException("distinct must be at least 4, got " + distinct);
        }
        Random random = new Random(1);
        sentences = pool(distinct, () -> new Text(freeSentence(random), List.of()));
        scenes = pool(distinct / 2, () -> {
            List<String> labels = labels(random, SCENE_LABELS);
            return new Text((1 + random.nextInt(4)) + " " + String.join(", ", labels) + " in zone " + pick(random, ZONES)
                    + " near " + pick(random, PLACES), labels);
        });
        sounds = pool(distinct / 4, () -> {
            List<String> labels = labels(random, SOUNDS);
            return new Text(String.join(", ", labels) + ": " + freeSentence(random), labels);
        });
    }

    /** The default pools ({@value #DEFAULT_DISTINCT} distinct sentences). */
    public RecordsCorpus() {
        this(DEFAULT_DISTINCT);
    }

    /** Distinct texts over all pools: what the embedder runs once each. */
    public int distinctTexts() {
        return sentences.size() + scenes.size() + sounds.size();
    }

    /** A transcript sentence ("the courier drops a parcel at the back door, copy that"). */
    public String sentence(Random random) {
        return skewed(random, sentences).text();
    }

    /** A scene description and its labels ("2 person, car in zone gate near the parking lot"). */
    public Text scene(Random random) {
        return skewed(random, scenes);
    }

    /** A sound description and its labels ("alarm, speech: the guard opens the back door"). */
    public Text sound(Random random) {
        return skewed(random, sounds);
    }

    /** One to four words of the corpus, sometimes a whole place name (found by words, and by meaning). */
    public String keywordQuery(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> pick(random, PLACES).replace("the ", "");
            case 1 -> pick(random, SUBJECTS).replace("the ", "") + " " + pick(random, PLACES).replace("the ", "");
            case 2 -> pick(random, VERBS).split(" ")[0] + " " + pick(random, SCENE_LABELS);
            default -> pick(random, FILLERS);
        };
    }

    /** A paraphrase with few or no words in common with the records it should find. */
    public String paraphraseQuery(Random random) {
        return PARAPHRASES[random.nextInt(PARAPHRASES.length)];
    }

    /** Keyword queries three times in four, a paraphrase otherwise. */
    public String query(Random random) {
        return random.nextInt(4) == 0 ? paraphraseQuery(random) : keywordQuery(random);
    }

    private static List<Text> pool(int size, java.util.function.Supplier<Text> next) {
        Set<Text> pool = new LinkedHashSet<>();
        // The vocabularies hold far more combinations than any pool; the bound only stops a pathological size.
        for (int tries = 0; pool.size() < size && tries < size * 50; tries++) {
            pool.add(next.get());
        }
        return new ArrayList<>(pool);
    }

    private static String freeSentence(Random random) {
        StringBuilder s = new StringBuilder(pick(random, SUBJECTS)).append(' ').append(pick(random, VERBS)).append(' ')
                .append(pick(random, PLACES));
        if (random.nextBoolean()) {
            s.append(", ").append(pick(random, FILLERS));
        }
        return s.toString();
    }

    private static List<String> labels(Random random, String[] vocabulary) {
        int n = 1 + random.nextInt(3);
        List<String> labels = new ArrayList<>();
        while (labels.size() < n) {
            String label = pick(random, vocabulary);
            if (!labels.contains(label)) {
                labels.add(label);
            }
        }
        return List.copyOf(labels);
    }

    /** Skewed choice: low indexes far more often than high ones (word frequencies in speech are Zipf-like). */
    private static String pick(Random random, String[] words) {
        return words[skewedIndex(random, words.length)];
    }

    private static Text skewed(Random random, List<Text> pool) {
        return pool.get(skewedIndex(random, pool.size()));
    }

    private static int skewedIndex(Random random, int size) {
        return (int) Math.min(size - 1, Math.floor(Math.pow(random.nextDouble(), 2.2) * size));
    }
}
