package dev.vigil.standalone.bench.model;

import java.util.Random;

/**
 * Transcript sentences and search queries for the search-at-scale part: fixed vocabularies with a
 * skewed (Zipf-like) choice and a fixed seed, so runs compare (the vocabulary of control-api's
 * {@code RecordsBench}). Sentences repeat as real transcripts do, which the embedding cache sees.
 */
final class Corpus {

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
    private static final String[] PARAPHRASES = {"someone is asking to be rescued", "a vehicle at the entrance",
        "an animal near the fence", "a package was delivered", "somebody is breaking in"};

    private Corpus() {
    }

    static String sentence(Random random) {
        StringBuilder s = new StringBuilder(pick(random, SUBJECTS)).append(' ').append(pick(random, VERBS)).append(' ')
                .append(pick(random, PLACES));
        if (random.nextBoolean()) {
            s.append(", ").append(pick(random, FILLERS));
        }
        return s.toString();
    }

    /** Words of the corpus, or a paraphrase with few words in common (found by meaning). */
    static String query(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> pick(random, PLACES).replace("the ", "");
            case 1 -> pick(random, SUBJECTS).replace("the ", "") + " " + pick(random, PLACES).replace("the ", "");
            case 2 -> PARAPHRASES[random.nextInt(PARAPHRASES.length)];
            default -> pick(random, FILLERS);
        };
    }

    /** Skewed choice: low indexes far more often than high ones (word frequencies in speech are Zipf-like). */
    private static String pick(Random random, String[] words) {
        double u = random.nextDouble();
        return words[(int) Math.min(words.length - 1, Math.floor(Math.pow(u, 2.2) * words.length))];
    }
}
