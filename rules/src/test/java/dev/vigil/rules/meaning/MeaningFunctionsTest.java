package dev.vigil.rules.meaning;

import static dev.vigil.rules.IndexRecords.normalised;
import static dev.vigil.rules.IndexRecords.scene;
import static dev.vigil.rules.IndexRecords.transcript;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.rules.RuleException;
import dev.vigil.rules.cel.Condition;
import dev.vigil.rules.cel.ConditionCompiler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The meaning match as conditions use it; the pairs are the calibration set of MEANS_THRESHOLD. */
class MeaningFunctionsTest {

    private final ConditionCompiler conditions = new ConditionCompiler();

    @ParameterizedTest(name = "[{index}] \"{0}\" means \"{1}\": {2}")
    @CsvSource({
            "I want my money back, a refund, true",
            "can I get a refund please, a refund, true",
            "my package never arrived, the delivery, true",
            "please help me, help, true",
            "is the shop open today, a refund, false",
            "the weather is nice, a refund, false",
            "good morning, the delivery, false",
            "help me, a refund, false",
    })
    void meansMatchesParaphrasesAndNotUnrelatedSentences(String text, String reference, boolean expected) throws Exception {
        Condition condition = conditions.compile("transcript.means(\"" + reference + "\")");

        assertThat(condition.matches(normalised(transcript(text)))).isEqualTo(expected);
        assertThat(condition.evaluationErrors()).isZero();
    }

    @Test
    void blankTextMeansNothing() throws Exception {
        assertThat(conditions.compile("transcript.means(\"a refund\")").matches(normalised(scene().people(1)))).isFalse();
        assertThat(MeaningFunctions.meaning("", "a refund")).isZero();
    }

    @Test
    void meaningGivesTheSimilarityForAnotherThreshold() throws Exception {
        Condition strict = conditions.compile("meaning(transcript, \"a refund\") >= 0.7");
        Condition loose = conditions.compile("meaning(transcript, \"a refund\") >= 0.5");

        assertThat(strict.matches(normalised(transcript("I want my money back")))).isFalse(); // 0.57
        assertThat(loose.matches(normalised(transcript("I want my money back")))).isTrue();
    }

    @Test
    void meansTakesAString() {
        assertThatThrownBy(() -> conditions.compile("transcript.means(3)"))
                .isInstanceOfSatisfying(RuleException.class,
                        e -> assertThat(e.reason()).isEqualTo(RuleException.Reason.INVALID_CONDITION))
                .hasMessageContaining("means");
    }
}
