package dev.vigil.rules.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.rules.CompiledRule;
import dev.vigil.rules.RuleException;
import dev.vigil.schemas.control.ConditionOrigin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every phrase of the vocabulary, alone as a prompt: it compiles to a condition that reads only what the
 * offline engines fill (so an alert on it can fire), or, when nothing offline reports its concept, it
 * needs a model: refused naming the vision and text settings, judged when a text model is configured.
 */
class VocabularyReachTest {

    /**
     * What the offline engines write, per indexer-streams: OpenCV's scene records (counts and zone counts
     * of people and faces, motion, brightness, the "covered" label), the DSP engine's audio records
     * (labels, loudness) and the transcript engines' text. Kept by hand: rules does not depend on the
     * indexer; SceneSummary and SoundLabels are the other side.
     */
    private static final Set<String> OFFLINE_COUNTS = Set.of("people", "faces");
    private static final Set<String> OFFLINE_LABELS = Set.of("covered", "silence", "speech", "music", "tonal", "alarm",
            "noise", "impulse");
    private static final Set<String> OFFLINE_VARIABLES = Set.of("channel", "counts", "zones", "motion", "brightness",
            "labels", "loudness", "transcript_norm", "transcript");

    private static final PromptCompiler OFFLINE = new PromptCompiler(false);
    private static final PromptCompiler WITH_JUDGE = new PromptCompiler(true);

    @Test
    void everyPhraseReadsOnlyWhatAnOfflineEngineFillsOrNeedsAModel() throws Exception {
        Map<String, Vocabulary.Entry> phrases = Vocabulary.conceptPhrases();
        List<String> compiled = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Map.Entry<String, Vocabulary.Entry> e : phrases.entrySet()) {
            String prompt = e.getKey();
            if (e.getValue().concept().reportedOffline()) {
                CompiledRule rule = OFFLINE.compile(prompt);
                assertThat(rule.origin()).as(prompt).isEqualTo(ConditionOrigin.PROMPT);
                assertReadsOnlyOfflineFields(prompt, rule.condition());
                compiled.add(prompt);
            } else {
                assertThatThrownBy(() -> OFFLINE.compile(prompt)).as(prompt)
                        .isInstanceOfSatisfying(RuleException.class,
                                ex -> assertThat(ex.reason()).isEqualTo(RuleException.Reason.PROMPT_NOT_UNDERSTOOD))
                        .hasMessageContaining("which no offline engine reports")
                        .hasMessageContaining("VIGIL_MODEL_VISION")
                        .hasMessageContaining("VIGIL_MODEL_TEXT");
                assertThat(WITH_JUDGE.compile(prompt).origin()).as(prompt).isEqualTo(ConditionOrigin.LLM_JUDGE);
                refused.add(prompt);
            }
        }
        assertThat(compiled).hasSizeGreaterThan(150).contains("person", "motion", "fire alarm", "gunshot", "talking");
        assertThat(refused).contains("car", "traffic", "forklift", "dog", "wildlife", "rats");
    }

    private static void assertReadsOnlyOfflineFields(String prompt, String condition) {
        // Identifiers outside string literals, not after a dot (methods, fields of a map value), not CEL words.
        String code = condition.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
        Matcher variable = Pattern.compile("(?<![.\\w])[a-z_]+\\b").matcher(code);
        while (variable.find()) {
            String name = variable.group();
            if (!Set.of("in", "true", "false").contains(name)) {
                assertThat(OFFLINE_VARIABLES).as("%s → %s reads %s", prompt, condition, name).contains(name);
            }
        }
        Matcher count = Pattern.compile("(?:counts|zones\\[\"[^\"]*\"\\])\\.([a-z_]+)").matcher(condition);
        while (count.find()) {
            assertThat(OFFLINE_COUNTS).as("%s → %s", prompt, condition).contains(count.group(1));
        }
        Matcher label = Pattern.compile("\"([a-z_]+)\" in labels").matcher(condition);
        while (label.find()) {
            assertThat(OFFLINE_LABELS).as("%s → %s", prompt, condition).contains(label.group(1));
        }
    }
}
