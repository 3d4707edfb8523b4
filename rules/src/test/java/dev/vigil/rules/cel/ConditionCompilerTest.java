package dev.vigil.rules.cel;

import static dev.vigil.rules.IndexRecords.audio;
import static dev.vigil.rules.IndexRecords.normalised;
import static dev.vigil.rules.IndexRecords.scene;
import static dev.vigil.rules.IndexRecords.transcript;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.rules.RuleException;
import dev.vigil.rules.RuleException.Reason;
import org.junit.jupiter.api.Test;

/** Explicit conditions: what compiles, and the user-facing message for what does not. */
class ConditionCompilerTest {

    private final ConditionCompiler compiler = new ConditionCompiler();

    @Test
    void compilesAValidConditionAndEvaluatesIt() throws Exception {
        Condition c = compiler.compile("channel == \"scene_index\" && counts.people >= 2 && \"person\" in labels");

        assertThat(c.matches(normalised(scene().people(2).labels("Person")))).isTrue();
        assertThat(c.matches(normalised(scene().people(1).labels("person")))).isFalse();
    }

    @Test
    void reportsASyntaxErrorWithLineColumnAndCaret() {
        assertThatThrownBy(() -> compiler.compile("counts.people >> 1"))
                .isInstanceOfSatisfying(RuleException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.INVALID_CONDITION);
                    assertThat(e.errorCode()).isEqualTo("invalid_condition");
                })
                .hasMessageStartingWith("The condition is not valid CEL: line 1, column 16: ")
                .hasMessageContaining("\n | counts.people >> 1\n | ...............^");
    }

    @Test
    void reportsTheLineOfAnErrorInAMultiLineCondition() {
        assertThatThrownBy(() -> compiler.compile("counts.people >= 1 &&\n  motion >"))
                .isInstanceOf(RuleException.class)
                .hasMessageContaining("line 2, column 11")
                .hasMessageContaining("\n |   motion >\n");
    }

    @Test
    void rejectsAConditionThatIsNotBoolean() {
        assertThatThrownBy(() -> compiler.compile("counts.people + 1"))
                .isInstanceOfSatisfying(RuleException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.CONDITION_NOT_BOOL))
                .hasMessage("The condition must evaluate to true or false (bool), but it evaluates to int. "
                        + "Compare the value instead, e.g. counts.people >= 1.");
    }

    @Test
    void rejectsADynConditionBecauseItMightNotBeBoolean() {
        assertThatThrownBy(() -> compiler.compile("dyn(counts.people)"))
                .isInstanceOfSatisfying(RuleException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.CONDITION_NOT_BOOL))
                .hasMessageContaining("evaluates to dyn");
    }

    @Test
    void rejectsAnUnknownVariableAndListsTheKnownOnes() {
        assertThatThrownBy(() -> compiler.compile("speed > 3"))
                .isInstanceOfSatisfying(RuleException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_CONDITION))
                .hasMessageContaining("line 1, column 1: undeclared reference to 'speed'")
                .hasMessageNotContaining("in container")
                .hasMessageContaining("Variables a condition can use: channel, rtstream_id, index_id, engine, text, "
                        + "text_norm, transcript, transcript_norm, is_final, labels, counts, zones, confidence, "
                        + "loudness, peak, motion, brightness, duration_s, start, end.");
    }

    @Test
    void rejectsAnUnknownFunction() {
        assertThatThrownBy(() -> compiler.compile("detect(\"person\")"))
                .isInstanceOf(RuleException.class)
                .hasMessageContaining("undeclared reference to 'detect'");
    }

    @Test
    void rejectsATypeMismatch() {
        assertThatThrownBy(() -> compiler.compile("text > 3"))
                .isInstanceOfSatisfying(RuleException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_CONDITION))
                .hasMessageContaining("found no matching overload for '_>_' applied to '(string, int)'");
    }

    @Test
    void rejectsAConditionLongerThanTheLimit() {
        String tooLong = "counts.people >= 1" + " ".repeat(ConditionCompiler.MAX_CONDITION_LENGTH);

        assertThatThrownBy(() -> compiler.compile(tooLong))
                .isInstanceOfSatisfying(RuleException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.CONDITION_TOO_LONG))
                .hasMessage("The condition is 2018 characters long; the limit is 2000. Split it into several events.");
    }

    @Test
    void acceptsAConditionOfExactlyTheLimit() throws Exception {
        String condition = "counts.people >= 1";
        String padded = condition + " ".repeat(ConditionCompiler.MAX_CONDITION_LENGTH - condition.length());

        assertThat(compiler.compile(padded).matches(normalised(scene().people(1)))).isTrue();
    }

    @Test
    void rejectsABlankCondition() {
        assertThatThrownBy(() -> compiler.compile("  "))
                .isInstanceOfSatisfying(RuleException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_CONDITION))
                .hasMessageContaining("The condition is empty");
    }

    @Test
    void comparesIntegersWithDoublesAndDoublesWithIntegers() throws Exception {
        Condition c = compiler.compile("loudness > -20 && counts.people >= 0.5");

        assertThat(c.matches(normalised(audio().loudness(-10)))).isFalse(); // people 0 on audio records
        assertThat(compiler.compile("loudness > -20").matches(normalised(audio().loudness(-10)))).isTrue();
        assertThat(compiler.compile("counts.people >= 0.5").matches(normalised(scene().people(1)))).isTrue();
    }

    @Test
    void supportsTheStandardMacrosAndTheStringsExtension() throws Exception {
        assertThat(compiler.compile("labels.exists(l, l.startsWith(\"per\"))")
                .matches(normalised(scene().labels("person")))).isTrue();
        assertThat(compiler.compile("has(counts.cars) && counts.cars > 0")
                .matches(normalised(scene().count("cars", 2)))).isTrue();
        assertThat(compiler.compile("text.lowerAscii().contains(\"van\")")
                .matches(normalised(scene().text("A white VAN parks")))).isTrue();
        assertThat(compiler.compile("zones.exists(z, zones[z].people > 0)")
                .matches(normalised(scene().zone("gate", "people", 1)))).isTrue();
    }

    @Test
    void readsTimestampsSoConditionsCanUseTheTimeOfDay() throws Exception {
        // IndexRecords.START is 23:15 UTC
        assertThat(compiler.compile("start.getHours(\"UTC\") >= 22 && duration_s > 1.0")
                .matches(normalised(transcript("hello")))).isTrue();
        assertThat(compiler.compile("end > start").matches(normalised(scene()))).isTrue();
    }

    @Test
    void returnsTheCachedConditionForTheSameText() throws Exception {
        Condition first = compiler.compile("motion > 0.5");

        assertThat(compiler.compile("motion > 0.5")).isSameAs(first);
        assertThat(compiler.compile("motion > 0.6")).isNotSameAs(first);
        assertThat(compiler.cachedConditions()).isEqualTo(2);
    }
}
