package dev.vigil.rules.prompt;

import dev.vigil.rules.CompiledRule;
import dev.vigil.rules.RuleException;
import dev.vigil.rules.meaning.SentenceEmbedder;
import dev.vigil.schemas.control.ConditionOrigin;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Compiles an event prompt ("Alert when a person enters the warehouse zone") into an explicit CEL
 * condition, deterministically, from a fixed vocabulary ({@link Vocabulary}, documented in
 * {@code rules/DESIGN.md}). The same prompt always gives the same condition, and the condition is
 * what gets stored and shown, so users can read exactly what will fire.
 *
 * <p>Grammar: the prompt is split on "or" (weakest), then on "and"/"but"; commas count as "or" in a
 * prompt that uses "or" and no "and" ("alarm, siren or scream"), as "and" otherwise. Each clause is
 * parsed by {@link ClauseParser}; the clauses of an "or" part must all hold on one record.
 *
 * <p>The compiler is strict: a prompt with any word outside the vocabulary is not compiled, because
 * dropping words would silently change its meaning ("a person holding a knife" is not "a person").
 * Such a prompt is rejected with an explanation listing the unknown words and the vocabulary, unless
 * an LLM judge is configured: then the rule gets origin {@link ConditionOrigin#LLM_JUDGE} and the
 * condition {@value #JUDGE_CONDITION}, which lets every record through to the judge. A prompt whose
 * parts can never hold on the same record ("a person and an alarm": scene vs audio records) is
 * rejected even with a judge, since the judge also sees one record at a time.
 *
 * <p>Stateless and thread-safe.
 */
public final class PromptCompiler {

    /** Longest prompt accepted, in characters. */
    public static final int MAX_PROMPT_LENGTH = 1_000;

    /** The condition of an {@link ConditionOrigin#LLM_JUDGE} rule: no pre-filter, the judge decides. */
    public static final String JUDGE_CONDITION = "true";

    /** Token standing for "or more" after a number, merged before "or" splits the prompt. */
    static final String OR_MORE = "\u2265or-more";
    /** Token standing for "or fewer"/"or less" after a number. */
    static final String OR_FEWER = "\u2264or-fewer";

    private static final Set<String> MORE = Set.of("more", "above", "greater", "over");
    private static final Set<String> FEWER = Set.of("fewer", "less", "below", "under");

    /**
     * The settings that make a judge available, named in refusals. They are declared in common's
     * {@code ModelConfig}, which this module does not depend on; control-api's tests check the names.
     */
    public static final String JUDGE_SETTINGS_HINT = "VIGIL_MODEL_BASE_URL (an OpenAI-compatible server) and "
            + "VIGIL_MODEL_TEXT (a text model)";

    /**
     * The settings that make a prompt about something no offline engine reports (vehicles, animals)
     * work: a vision model describes each scene window, a text model judges the description.
     */
    public static final String VISION_SETTINGS_HINT = "VIGIL_MODEL_BASE_URL (an OpenAI-compatible server), "
            + "VIGIL_MODEL_VISION (a vision model: each scene window's description then says what is in the picture) "
            + "and VIGIL_MODEL_TEXT (a text model: it judges each record against the prompt)";

    private final boolean llmJudgeConfigured;
    private final MeaningMap meanings;

    /**
     * A strict compiler: only the vocabulary's own words.
     *
     * @param llmJudgeConfigured whether prompts outside the vocabulary may be left to an LLM judge
     */
    public PromptCompiler(boolean llmJudgeConfigured) {
        this.llmJudgeConfigured = llmJudgeConfigured;
        this.meanings = null;
    }

    private PromptCompiler(boolean llmJudgeConfigured, MeaningMap meanings) {
        this.llmJudgeConfigured = llmJudgeConfigured;
        this.meanings = meanings;
    }

    /**
     * A compiler that also maps words outside the vocabulary onto its concepts by meaning, with the
     * process-wide {@link SentenceEmbedder} (loaded on the first prompt that needs it).
     */
    public static PromptCompiler withMeaning(boolean llmJudgeConfigured) {
        return new PromptCompiler(llmJudgeConfigured, new MeaningMap(SentenceEmbedder.shared()));
    }

    /**
     * The rule for {@code prompt}: origin {@code PROMPT} with a condition, or {@code LLM_JUDGE}.
     *
     * @throws RuleException with a message for the user when the prompt cannot be used
     */
    public CompiledRule compile(String prompt) throws RuleException {
        if (prompt == null || prompt.isBlank()) {
            throw new RuleException(RuleException.Reason.MISSING_RULE,
                    "The event prompt is empty. Describe what to detect, e.g. \"a person in the lobby zone\".");
        }
        int length = prompt.codePointCount(0, prompt.length());
        if (length > MAX_PROMPT_LENGTH) {
            throw new RuleException(RuleException.Reason.PROMPT_TOO_LONG, "The event prompt is " + length
                    + " characters long; the limit is " + MAX_PROMPT_LENGTH + ".");
        }

        List<Conjunction> parts = new ArrayList<>();
        List<MeaningMap.Mapping> mappings = new ArrayList<>();
        Set<String> unmapped = new LinkedHashSet<>();
        Set<String> unknown = new LinkedHashSet<>();
        Set<String> problems = new LinkedHashSet<>();
        boolean afterSays = false;
        for (List<List<Token>> orPart : split(mergeOrMore(PromptTokenizer.tokenize(prompt)))) {
            List<Atom> atoms = new ArrayList<>();
            for (List<Token> clause : orPart) {
                ClauseParser.Result r = ClauseParser.parse(clause, afterSays, meanings);
                afterSays = r.says();
                mappings.addAll(r.mappings());
                unmapped.addAll(r.unmapped());
                atoms.addAll(r.atoms());
                unknown.addAll(r.unknownWords());
                problems.addAll(r.problems());
            }
            Conjunction part = new Conjunction(List.copyOf(new LinkedHashSet<>(atoms)));
            if (!atoms.isEmpty() && !parts.contains(part)) { // "siren or beeping" is one alarm
                parts.add(part);
            }
        }

        if (!unknown.isEmpty() || !problems.isEmpty()) {
            return notUnderstood(prompt, parts.isEmpty(), unknown, problems, unmapped);
        }
        if (parts.isEmpty()) {
            throw new RuleException(RuleException.Reason.PROMPT_NOT_UNDERSTOOD,
                    "The event prompt does not say what to detect. " + Vocabulary.SUMMARY);
        }
        for (Conjunction part : parts) {
            if (part.channels().isEmpty()) {
                throw contradictory(part);
            }
        }
        String understood = mappings.isEmpty() ? "" : " Understood by meaning: " + mappings.stream()
                .map(MeaningMap.Mapping::describe).collect(Collectors.joining("; ")) + ".";
        Set<Concept> unreported = new java.util.TreeSet<>();
        for (Conjunction part : parts) {
            part.atoms().stream().map(Atom::concept).filter(c -> !c.reportedOffline()).forEach(unreported::add);
        }
        if (!unreported.isEmpty()) {
            return needsVision(prompt, unreported, understood);
        }
        String explanation = ConditionRenderer.explanation(parts) + understood;
        return new CompiledRule(prompt, ConditionRenderer.cel(parts), ConditionOrigin.PROMPT, explanation);
    }

    /**
     * A prompt the vocabulary expresses, about something no offline engine reports ("a car in the
     * driveway"): its condition ({@code counts.vehicles >= 1}) would be accepted and never fire. With a
     * judge it is judged (on a scene index, against the vision model's description); without one it is
     * refused, naming the settings and what the offline vocabulary offers.
     */
    private CompiledRule needsVision(String prompt, Set<Concept> unreported, String understood) throws RuleException {
        String what = unreported.stream().map(Concept::noun).collect(Collectors.joining(" and "));
        if (llmJudgeConfigured) {
            return new CompiledRule(prompt, JUDGE_CONDITION, ConditionOrigin.LLM_JUDGE,
                    "No offline engine reports " + what + ", so the configured LLM judge decides for each record "
                            + "whether it matches the prompt; it reads the record's text, which on a scene index says "
                            + "what is in the picture when VIGIL_MODEL_VISION describes the scene." + understood);
        }
        throw new RuleException(RuleException.Reason.PROMPT_NOT_UNDERSTOOD, "The event prompt needs a model: it asks "
                + "about " + what + ", which no offline engine reports (offline, scene records count people and faces "
                + "only), so its condition could never fire." + understood + " Set " + VISION_SETTINGS_HINT + ". "
                + Vocabulary.SUMMARY + " Rephrase the prompt with these, or give an explicit condition in CEL.");
    }

    private CompiledRule notUnderstood(String prompt, boolean nothingUnderstood, Set<String> unknown,
                                       Set<String> problems, Set<String> unmapped) throws RuleException {
        List<String> reasons = new ArrayList<>();
        if (!unknown.isEmpty()) {
            reasons.add((nothingUnderstood ? "nothing in it maps to the prompt vocabulary; " : "")
                    + "these words are outside the vocabulary: "
                    + unknown.stream().map(w -> "\"" + w + "\"").collect(Collectors.joining(", ")));
        } else if (nothingUnderstood) {
            reasons.add("nothing in it maps to the prompt vocabulary");
        }
        reasons.addAll(problems);
        String why = String.join("; ", reasons);
        if (llmJudgeConfigured) {
            return new CompiledRule(prompt, JUDGE_CONDITION, ConditionOrigin.LLM_JUDGE,
                    "The prompt cannot be compiled into a condition (" + why + "), so the configured LLM "
                            + "judge decides for each record whether it matches the prompt.");
        }
        if (meanings == null || unknown.isEmpty()) { // a misplaced zone is a wording matter, not a model's
            throw new RuleException(RuleException.Reason.PROMPT_NOT_UNDERSTOOD,
                    "The event prompt cannot be compiled into a condition: " + why + ". " + Vocabulary.SUMMARY
                            + " Rephrase the prompt with these words, or give an explicit condition in CEL.");
        }
        StringBuilder message = new StringBuilder("The event prompt needs a language model: ").append(why)
                .append(", and the offline vocabulary cannot express it by meaning either. Set ")
                .append(JUDGE_SETTINGS_HINT).append(" and a text model judges each record against the prompt.")
                .append(" For something seen, also set VIGIL_MODEL_VISION: the judge reads each record's text, and on")
                .append(" a scene index only a vision model's description says what is in the picture.");
        List<String> closest = new ArrayList<>();
        for (String phrase : unmapped) {
            closest.add("\"" + phrase + "\" is closest to " + meanings.closest(phrase, 3).stream()
                    .map(MeaningMap.Closest::describe).collect(Collectors.joining(", ")));
        }
        if (!closest.isEmpty()) {
            message.append(" Offline, the nearest concepts (cosine similarity; at least ")
                    .append(MeaningMap.MIN_SIMILARITY).append(" is needed): ").append(String.join("; ", closest)).append('.');
        }
        message.append(' ').append(Vocabulary.SUMMARY)
                .append(" Rephrase the prompt with these, or give an explicit condition in CEL.");
        throw new RuleException(RuleException.Reason.PROMPT_NOT_UNDERSTOOD, message.toString());
    }

    private static RuleException contradictory(Conjunction part) {
        String pieces = part.atoms().stream()
                .map(a -> a.describe() + " (" + ConditionRenderer.channelsText(a.channels()) + " records)")
                .collect(Collectors.joining(" and "));
        return new RuleException(RuleException.Reason.PROMPT_CONTRADICTORY,
                "The event prompt combines things that never appear in the same record: " + pieces
                        + ". A condition is evaluated on one record at a time; use \"or\" instead of \"and\", "
                        + "or create one event per index.");
    }

    /**
     * Replaces "or more" / "or fewer" (as in "3 or more people", "two people or more", but not
     * "or more than 3") by one token, so that this "or" does not split the prompt.
     */
    private static List<Token> mergeOrMore(List<Token> tokens) {
        List<Token> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isWord("or") && i + 1 < tokens.size() && tokens.get(i + 1).isWord()
                    && !(i + 2 < tokens.size() && tokens.get(i + 2).isWord("than"))) {
                String next = tokens.get(i + 1).text();
                if (MORE.contains(next) || FEWER.contains(next)) {
                    out.add(Token.word(MORE.contains(next) ? OR_MORE : OR_FEWER));
                    i++;
                    continue;
                }
            }
            out.add(t);
        }
        return out;
    }

    /** Splits into "or" parts, each a list of "and" clauses; empty clauses and parts are dropped. */
    private static List<List<List<Token>>> split(List<Token> tokens) {
        boolean hasOr = tokens.stream().anyMatch(t -> t.isWord("or"));
        boolean hasAnd = tokens.stream().anyMatch(t -> t.isWord("and") || t.isWord("but"));
        boolean commaIsOr = hasOr && !hasAnd;
        List<List<List<Token>>> parts = new ArrayList<>();
        List<List<Token>> part = new ArrayList<>();
        List<Token> clause = new ArrayList<>();
        for (Token t : tokens) {
            boolean or = t.isWord("or") || (t.kind() == Token.Kind.COMMA && commaIsOr);
            boolean and = t.isWord("and") || t.isWord("but") || (t.kind() == Token.Kind.COMMA && !commaIsOr);
            if (or || and) {
                if (!clause.isEmpty()) {
                    part.add(clause);
                    clause = new ArrayList<>();
                }
                if (or && !part.isEmpty()) {
                    parts.add(part);
                    part = new ArrayList<>();
                }
            } else {
                clause.add(t);
            }
        }
        if (!clause.isEmpty()) {
            part.add(clause);
        }
        if (!part.isEmpty()) {
            parts.add(part);
        }
        return parts;
    }
}
