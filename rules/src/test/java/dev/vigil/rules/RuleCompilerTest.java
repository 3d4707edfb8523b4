package dev.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.rules.RuleException.Reason;
import dev.vigil.rules.prompt.PromptCompiler;
import dev.vigil.schemas.control.ConditionOrigin;
import org.junit.jupiter.api.Test;

/** The entry point control-api calls: which of prompt and condition wins, and the LLM judge fallback. */
class RuleCompilerTest {

    private final RuleCompiler withoutJudge = RuleCompiler.create(false);
    private final RuleCompiler withJudge = RuleCompiler.create(true);

    @Test
    void explicitConditionWinsAndThePromptIsKept() throws Exception {
        CompiledRule rule = withoutJudge.compile("Detect intruder", "counts.people >= 2");

        assertThat(rule.origin()).isEqualTo(ConditionOrigin.EXPLICIT);
        assertThat(rule.condition()).isEqualTo("counts.people >= 2");
        assertThat(rule.eventPrompt()).isEqualTo("Detect intruder");
        assertThat(rule.needsJudge()).isFalse();
    }

    @Test
    void explicitConditionNeedsNoPrompt() throws Exception {
        assertThat(withoutJudge.compile(null, "motion > 0.1").origin()).isEqualTo(ConditionOrigin.EXPLICIT);
    }

    @Test
    void invalidExplicitConditionIsRejectedEvenWithAGoodPrompt() {
        assertThatThrownBy(() -> withoutJudge.compile("Detect intruder", "counts.people >="))
                .isInstanceOfSatisfying(RuleException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_CONDITION));
    }

    @Test
    void blankConditionFallsBackToThePrompt() throws Exception {
        CompiledRule rule = withoutJudge.compile("Detect intruder", "  ");

        assertThat(rule.origin()).isEqualTo(ConditionOrigin.PROMPT);
        assertThat(rule.condition()).isEqualTo("channel == \"scene_index\" && counts.people >= 1");
        assertThat(rule.explanation()).isEqualTo("Fires on scene_index records with at least 1 person.");
    }

    @Test
    void neitherPromptNorConditionIsRejected() {
        assertThatThrownBy(() -> withoutJudge.compile(null, null))
                .isInstanceOfSatisfying(RuleException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.MISSING_RULE);
                    assertThat(e.errorCode()).isEqualTo("missing_rule");
                })
                .hasMessage("Give an event_prompt describing what to detect, or a condition in CEL.");
    }

    @Test
    void promptOutsideTheVocabularyIsRejectedWithTheVocabularyWithoutAJudge() {
        assertThatThrownBy(() -> withoutJudge.compile("a delivery van parks at the gate", null))
                .isInstanceOfSatisfying(RuleException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.PROMPT_NOT_UNDERSTOOD))
                .hasMessageContaining("\"delivery\", \"parks\", \"gate\"")
                .hasMessageContaining("VIGIL_MODEL_TEXT")
                .hasMessageContaining("The prompt vocabulary understands: people (person, someone, intruder")
                .hasMessageEndingWith("or give an explicit condition in CEL.");
    }

    @Test
    void promptOutsideTheVocabularyGoesToTheJudgeWhenOneIsConfigured() throws Exception {
        CompiledRule rule = withJudge.compile("a delivery van parks at the gate", null);

        assertThat(rule.origin()).isEqualTo(ConditionOrigin.LLM_JUDGE);
        assertThat(rule.condition()).isEqualTo(PromptCompiler.JUDGE_CONDITION);
        assertThat(rule.needsJudge()).isTrue();
        assertThat(rule.explanation()).contains("\"parks\"").contains("the configured LLM judge decides for each record");
        assertThat(withJudge.conditions().compile(rule.condition())
                .matches(IndexRecords.normalised(IndexRecords.scene()))).isTrue();
    }

    @Test
    void partlyUnderstoodPromptAlsoGoesToTheJudgeRatherThanLosingWords() throws Exception {
        assertThat(withJudge.compile("a person holding a knife", null).origin()).isEqualTo(ConditionOrigin.LLM_JUDGE);
    }

    @Test
    void promptInsideTheVocabularyIsCompiledEvenWithAJudge() throws Exception {
        assertThat(withJudge.compile("fire alarm", null).origin()).isEqualTo(ConditionOrigin.PROMPT);
    }

    @Test
    void contradictoryPromptIsRejectedEvenWithAJudge() {
        assertThatThrownBy(() -> withJudge.compile("a person and a siren", null))
                .isInstanceOfSatisfying(RuleException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.PROMPT_CONTRADICTORY))
                .hasMessageContaining("use \"or\" instead of \"and\", or create one event per index");
    }

    @Test
    void promptThatCompilesToAnOverlongConditionIsRejectedAsAPromptProblem() {
        // 100 quoted phrases: a 900-character prompt, a 3,600-character condition
        String prompt = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "'w" + i + "'")
                .collect(java.util.stream.Collectors.joining(" or "));

        assertThat(prompt.length()).isLessThan(PromptCompiler.MAX_PROMPT_LENGTH);
        assertThatThrownBy(() -> withoutJudge.compile(prompt, null))
                .isInstanceOfSatisfying(RuleException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.PROMPT_TOO_LONG))
                .hasMessageContaining("compiles to a condition longer than 2000 characters");
    }
}
