package dev.vigil.rules.prompt;

import dev.vigil.rules.meaning.SentenceEmbedder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Maps words the vocabulary does not list onto its concepts by meaning: a nearest-neighbour match
 * of the phrase's sentence embedding ({@link SentenceEmbedder}) against anchor phrases of each
 * concept, and against anchors of things the offline engines cannot observe ("a helmet", "falling
 * down", "a fight"), which reject the phrase. "a dog barks" becomes an animal, "shattered window"
 * an impulsive sound; "without helmet" stays unknown and goes to the judge or is refused.
 *
 * <p>A phrase maps to a concept when its most similar anchor belongs to that concept, the similarity
 * is at least {@link #MIN_SIMILARITY}, and it beats the most similar "cannot observe" anchor by at
 * least {@link #MIN_MARGIN}. Short phrases score low in absolute terms with MiniLM ("cat" vs "an
 * animal" 0.52), so both numbers were calibrated on the labelled prompts of
 * {@code PromptMeaningTableTest}, not assumed; {@code rules/DESIGN.md} lists them.
 *
 * <p>Deterministic (the model is) and thread-safe; anchors are embedded once, on first use.
 */
final class MeaningMap {

    /** Least cosine similarity between a phrase and a concept anchor for a mapping. */
    static final double MIN_SIMILARITY = 0.50;
    /** Least lead of the concept anchor over the closest "cannot observe" anchor. */
    static final double MIN_MARGIN = 0.04;

    /** A phrase mapped onto a vocabulary entry, with the anchor it matched and how closely. */
    record Mapping(String phrase, Vocabulary.Entry entry, String anchor, double similarity) {

        /** For the explanation: {@code "dog barks" → animal ("a dog barking", similarity 0.74)}. */
        String describe() {
            return "\"" + phrase + "\" → " + label(entry) + " (like \"" + anchor + "\", similarity "
                    + String.format(Locale.ROOT, "%.2f", similarity) + ")";
        }
    }

    /** A concept close to a phrase that did not map, for the refusal's hint. */
    record Closest(String label, double similarity) {

        String describe() {
            return label + " " + String.format(Locale.ROOT, "%.2f", similarity);
        }
    }

    private record Anchor(String text, Vocabulary.Entry entry, float[] vector) {
    }

    private static final Map<Concept, String> LABELS = new EnumMap<>(Map.ofEntries(
            Map.entry(Concept.PEOPLE, "people"), Map.entry(Concept.FACES, "faces"),
            Map.entry(Concept.VEHICLES, "vehicles"), Map.entry(Concept.ANIMALS, "animals"),
            Map.entry(Concept.MOTION, "motion"), Map.entry(Concept.DARK, "darkness"),
            Map.entry(Concept.COVERED, "a covered camera"), Map.entry(Concept.SILENCE, "silence"),
            Map.entry(Concept.ALARM, "an alarm"), Map.entry(Concept.LOUD, "a loud sound"),
            Map.entry(Concept.IMPULSE, "an impulsive sound"), Map.entry(Concept.MUSIC, "music"),
            Map.entry(Concept.SPEECH, "speech"), Map.entry(Concept.SAID, "spoken words")));

    private final SentenceEmbedder embedder;
    private volatile List<Anchor> anchors;

    MeaningMap(SentenceEmbedder embedder) {
        this.embedder = embedder;
    }

    /** The concept {@code phrase} means, if it clearly means one. */
    Optional<Mapping> map(String phrase) {
        float[] v = embedder.embed(phrase);
        Anchor best = null;
        double bestSim = -2;
        double bestUnobservable = -2;
        for (Anchor a : anchors()) {
            double sim = SentenceEmbedder.cosine(v, a.vector());
            if (a.entry() == null) {
                bestUnobservable = Math.max(bestUnobservable, sim);
            }
            if (sim > bestSim) {
                bestSim = sim;
                best = a;
            }
        }
        if (best == null || best.entry() == null || bestSim < MIN_SIMILARITY || bestSim - bestUnobservable < MIN_MARGIN) {
            return Optional.empty();
        }
        return Optional.of(new Mapping(phrase, best.entry(), best.text(), bestSim));
    }

    /** The {@code n} concepts closest to {@code phrase}, most similar first (one line per concept). */
    List<Closest> closest(String phrase, int n) {
        float[] v = embedder.embed(phrase);
        Map<String, Double> byLabel = new java.util.HashMap<>();
        for (Anchor a : anchors()) {
            if (a.entry() != null) {
                byLabel.merge(label(a.entry()), SentenceEmbedder.cosine(v, a.vector()), Math::max);
            }
        }
        return byLabel.entrySet().stream().map(e -> new Closest(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingDouble(Closest::similarity).reversed().thenComparing(Closest::label))
                .limit(n).toList();
    }

    static String label(Vocabulary.Entry entry) {
        if (entry.concept() == Concept.DARK && entry.negated()) {
            return "lights on";
        }
        return LABELS.get(entry.concept());
    }

    private List<Anchor> anchors() {
        List<Anchor> a = anchors;
        if (a == null) {
            synchronized (this) {
                a = anchors;
                if (a == null) {
                    a = build();
                    anchors = a;
                }
            }
        }
        return a;
    }

    private List<Anchor> build() {
        List<Anchor> out = new ArrayList<>();
        add(out, Concept.PEOPLE, false, "a person", "someone", "people", "a man", "a woman", "a child");
        add(out, Concept.VEHICLES, false, "a vehicle", "a car", "a truck", "a motorbike", "a bicycle");
        add(out, Concept.ANIMALS, false, "an animal", "a dog", "a cat", "a bird", "a dog barking", "a pet");
        add(out, Concept.MOTION, false, "motion", "something moving", "movement", "activity");
        add(out, Concept.DARK, false, "darkness", "the lights are off", "a power outage", "it is dark");
        add(out, Concept.DARK, true, "the lights are on", "the lights come on", "bright light");
        add(out, Concept.COVERED, false, "the camera is covered", "the lens is blocked", "the camera is obstructed",
                "someone tampers with the camera");
        add(out, Concept.SILENCE, false, "silence", "it is quiet", "no sound");
        add(out, Concept.ALARM, false, "an alarm", "a siren", "a beeping sound", "a bell ringing");
        add(out, Concept.LOUD, false, "a loud noise", "a scream", "shouting", "a baby crying", "yelling");
        add(out, Concept.IMPULSE, false, "a bang", "glass breaking", "a gunshot", "an explosion", "a crash",
                "a door slamming");
        add(out, Concept.MUSIC, false, "music", "someone singing", "a song playing");
        add(out, Concept.SPEECH, false, "speech", "people talking", "a conversation", "someone speaking");
        // What the offline engines cannot observe: phrases nearest to these are not mapped.
        add(out, null, false, "falling down", "a fight", "fire", "smoke", "a weapon", "a gun", "a knife", "a helmet",
                "protective equipment", "a safety violation", "whispering", "climbing", "running", "loitering",
                "a package", "an accident", "a parked car", "speeding", "stealing", "holding an object",
                "wearing clothes", "a uniform", "a license plate", "a face mask", "waking up", "sleeping",
                "lying on the floor", "a spill", "an open door", "a queue");
        return List.copyOf(out);
    }

    private void add(List<Anchor> out, Concept concept, boolean negated, String... texts) {
        Vocabulary.Entry entry = concept == null ? null : new Vocabulary.Entry(concept, negated);
        for (String t : texts) {
            out.add(new Anchor(t, entry, embedder.embed(t)));
        }
    }
}
