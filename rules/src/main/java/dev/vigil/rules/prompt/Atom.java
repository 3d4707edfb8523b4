package dev.vigil.rules.prompt;

import dev.vigil.rules.cel.CelLiterals;
import dev.vigil.schemas.alerts.Channel;
import java.util.Set;

/**
 * One understood piece of a prompt: a {@link Concept} with its details (a count and zone for people
 * and faces, a phrase for spoken words, or a negation). Renders itself as CEL and as English.
 *
 * @param quantity for {@link Concept#isCounted()} concepts only (negation is folded into it)
 * @param zone     zone key for counted concepts, or null for the whole picture
 * @param phrase   normalised words for {@link Concept#SAID}, or null
 * @param negated  for the other concepts: "no motion", "not covered"
 * @param meaning  for {@link Concept#SAID} about a topic ("mentions a refund"): the text the
 *                 transcript is also matched against by meaning ({@code transcript.means(...)}), or null
 */
record Atom(Concept concept, Quantity quantity, String zone, String phrase, boolean negated, String meaning) {

    Atom(Concept concept, Quantity quantity, String zone, String phrase, boolean negated) {
        this(concept, quantity, zone, phrase, negated, null);
    }

    static Atom counted(Concept concept, Quantity quantity) {
        return new Atom(concept, quantity, null, null, false);
    }

    static Atom said(String phrase, boolean negated) {
        return new Atom(Concept.SAID, null, null, phrase, negated);
    }

    /** Spoken words about a topic: the words themselves, or a sentence that means {@code meaning}. */
    static Atom saidOrMeant(String phrase, String meaning, boolean negated) {
        return new Atom(Concept.SAID, null, null, phrase, negated, meaning);
    }

    static Atom of(Concept concept, boolean negated) {
        return new Atom(concept, null, null, null, negated);
    }

    Atom inZone(String zoneKey) {
        return new Atom(concept, quantity, zoneKey, phrase, negated, meaning);
    }

    Set<Channel> channels() {
        return concept.channels();
    }

    /**
     * The CEL for this atom. {@code topLevelAnd} tells the renderer that the text joins terms with
     * {@code &&} outside parentheses (so it is parenthesised when used as one side of {@code ||},
     * purely for readability). Terms with {@code ||} are always parenthesised here, so any body can be
     * joined with {@code &&} as is.
     */
    Body cel() {
        return switch (concept) {
            case PEOPLE, FACES, VEHICLES, ANIMALS -> counted(concept.countKey());
            case MOTION -> negated
                    ? simple("motion < " + Concept.MOTION_MIN)
                    : simple("motion >= " + Concept.MOTION_MIN);
            case DARK -> negated
                    ? simple("brightness >= " + Concept.DARK_BELOW)
                    : simple("brightness < " + Concept.DARK_BELOW);
            case COVERED -> negated
                    ? and("!(\"covered\" in labels) && brightness >= " + Concept.COVERED_BELOW)
                    : simple("(\"covered\" in labels || brightness < " + Concept.COVERED_BELOW + ")");
            case SILENCE -> label("silence");
            case ALARM -> negated
                    ? and("!(\"alarm\" in labels) && !(\"tonal\" in labels)")
                    : simple("(\"alarm\" in labels || \"tonal\" in labels)");
            case LOUD -> negated
                    ? and("loudness < " + Concept.LOUD_DBFS + " && !(\"impulse\" in labels)")
                    : simple("(loudness >= " + Concept.LOUD_DBFS + " || \"impulse\" in labels)");
            case IMPULSE -> label("impulse");
            case MUSIC -> label("music");
            case SPEECH -> label("speech");
            case SAID -> meaning == null
                    ? simple((negated ? "!" : "") + "transcript_norm.contains(" + CelLiterals.string(" " + phrase + " ") + ")")
                    : simple((negated ? "!" : "") + "(transcript_norm.contains(" + CelLiterals.string(" " + phrase + " ")
                            + ") || transcript.means(" + CelLiterals.string(meaning) + "))");
        };
    }

    /** English for the explanation shown to the user, e.g. "at least 2 people in zone \"dock\"". */
    String describe() {
        return switch (concept) {
            case PEOPLE -> quantity.describe("person", "people") + zoneSuffix();
            case FACES -> quantity.describe("face", "faces") + zoneSuffix();
            case VEHICLES -> quantity.describe("vehicle", "vehicles") + zoneSuffix();
            case ANIMALS -> quantity.describe("animal", "animals") + zoneSuffix();
            case MOTION -> negated ? "no motion (under 2% of the picture moving)"
                    : "motion (at least 2% of the picture moving)";
            case DARK -> negated ? "a lit picture (brightness at least " + Concept.DARK_BELOW + ")"
                    : "a dark picture (brightness below " + Concept.DARK_BELOW + ")";
            case COVERED -> negated ? "a camera that is not covered"
                    : "a covered or blacked-out camera (label \"covered\", or brightness below "
                            + Concept.COVERED_BELOW + ")";
            case SILENCE -> negated ? "sound (no \"silence\" label)" : "silence";
            case ALARM -> negated ? "no alarm or other tonal sound" : "an alarm, siren or other tonal sound";
            case LOUD -> negated ? "no loud or impulsive sound"
                    : "a loud sound (above " + Concept.LOUD_DBFS + " dBFS) or an impulsive one";
            case IMPULSE -> negated ? "no impulsive sound" : "an impulsive sound (bang, gunshot, breaking glass)";
            case MUSIC -> negated ? "no music" : "music";
            case SPEECH -> negated ? "no speech" : "speech";
            case SAID -> meaning == null
                    ? (negated ? "a transcript without the words \"" + phrase + "\""
                            : "the words \"" + phrase + "\" in the transcript")
                    : (negated ? "a transcript that neither says \"" + phrase + "\" nor means \"" + meaning + "\""
                            : "the words \"" + phrase + "\" in the transcript, or a sentence that means \"" + meaning
                                    + "\" (similarity at least " + dev.vigil.rules.meaning.MeaningFunctions.MEANS_THRESHOLD_TEXT + ")");
        };
    }

    private Body counted(String key) {
        if (zone == null) {
            return simple("counts." + key + " " + quantity.cel());
        }
        String z = CelLiterals.string(zone);
        // A zone missing from the record is "not matched", not an evaluation error: test it first.
        return and(z + " in zones && zones[" + z + "]." + key + " " + quantity.cel());
    }

    private Body label(String label) {
        String term = CelLiterals.string(label) + " in labels";
        return simple(negated ? "!(" + term + ")" : term);
    }

    private String zoneSuffix() {
        return zone == null ? "" : " in zone \"" + zone + "\"";
    }

    private static Body simple(String text) {
        return new Body(text, false);
    }

    private static Body and(String text) {
        return new Body(text, true);
    }

    /** CEL text of an atom, with whether it has a top-level {@code &&}. */
    record Body(String text, boolean topLevelAnd) {
    }
}
