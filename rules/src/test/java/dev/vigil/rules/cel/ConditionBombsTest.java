package dev.vigil.rules.cel;

import static dev.vigil.rules.IndexRecords.normalised;
import static dev.vigil.rules.IndexRecords.scene;
import static dev.vigil.rules.IndexRecords.transcript;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cel.runtime.CelRuntime;
import dev.vigil.rules.RuleException;
import dev.vigil.rules.RuleException.Reason;
import dev.vigil.rules.record.NormalisedRecord;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Conditions written to exhaust the alert-router (CEL "bombs"): each is either refused when the
 * event is created, with a message naming the problem, or stopped by the evaluation budget on the
 * first record, which then does not match and is counted — never an exception or an Error escaping
 * {@link Condition#matches}.
 */
class ConditionBombsTest {

    private final List<Throwable> reported = new CopyOnWriteArrayList<>();
    private final ConditionCompiler compiler = new ConditionCompiler((c, r, e) -> reported.add(e));

    private static final NormalisedRecord WORDS = normalised(transcript("a".repeat(2_000) + " the end"));

    static List<Arguments> refusedAtCreation() {
        String seventyOnes = IntStream.range(0, 70).mapToObj(i -> "1").collect(Collectors.joining("+"));
        String fourHundredOnes = IntStream.range(0, 400).mapToObj(i -> "1").collect(Collectors.joining("+"));
        String bigList = IntStream.range(0, 101).mapToObj(Integer::toString).collect(Collectors.joining(","));
        String nested = "[1,2].exists(a, [1,2].exists(b, [1,2].exists(c, a + b + c == 3)))";
        return List.of(
                Arguments.of("join", "text.split(\"\").map(x, text).join(\"\").size() > 0",
                        Reason.FUNCTION_NOT_ALLOWED, "'join'"),
                Arguments.of("deep arithmetic chain", seventyOnes + " == 70",
                        Reason.CONDITION_TOO_COMPLEX, "nests deeper than 48 levels"),
                Arguments.of("deeper arithmetic chain", fourHundredOnes + " == 400",
                        Reason.INVALID_CONDITION, "recursion"),
                Arguments.of("deep parentheses", "(".repeat(300) + "true" + ")".repeat(300),
                        Reason.INVALID_CONDITION, "recursion"),
                Arguments.of("giant list literal", "counts.people in [" + bigList + "]",
                        Reason.CONDITION_TOO_COMPLEX, "list of 101 elements"),
                Arguments.of("three nested comprehensions", nested,
                        Reason.CONDITION_TOO_COMPLEX, "nests more than 2 macros"),
                Arguments.of("huge string literal", "text == \"" + "x".repeat(600) + "\"",
                        Reason.CONDITION_TOO_COMPLEX, "string of 600 characters"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedAtCreation")
    void isRefusedWhenTheEventIsCreated(String name, String condition, Reason reason, String message) {
        assertThatThrownBy(() -> compiler.compile(condition))
                .isInstanceOfSatisfying(RuleException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(message);
    }

    static List<Arguments> boundedAtEvaluation() {
        String tenfold = "\"aaaaaaaaaa\"" + ".replace(\"a\", \"aaaaaaaaaa\")".repeat(9);
        return List.of(
                Arguments.of("chained replace growing tenfold", tenfold + ".size() > 0"),
                Arguments.of("replace of every gap by the whole text",
                        "text.replace(\"\", text).replace(\"\", text).size() > 0"),
                Arguments.of("concatenation repeated in a comprehension",
                        "text.split(\"\").map(x, text + text + text + text).size() > 0"),
                Arguments.of("nested comprehensions over a long list",
                        "text.split(\"\").exists(a, text.split(\"\").exists(b, a + b == \"zz\"))"),
                Arguments.of("list doubling in a comprehension",
                        "text.split(\"\").map(x, text.split(\"\")).size() == 0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boundedAtEvaluation")
    void isStoppedByTheBudgetAndCountedAsAnError(String name, String expression) throws Exception {
        Condition condition = compiler.compile(expression);

        assertThat(condition.matches(WORDS)).isFalse();

        assertThat(condition.evaluationErrors()).isEqualTo(1);
        assertThat(reported).hasSize(1);
        assertThat(condition.quarantined()).isFalse();
    }

    @Test
    void aRegexWithCatastrophicBacktrackingRunsInLinearTime() throws Exception {
        // CEL-Java matches with RE2J, which has no backtracking: (a+)+$ on "aaaa…a b" returns false
        // instead of running for ages.
        Condition condition = compiler.compile("text.matches(\"^(a+)+$\")");

        assertThat(condition.matches(WORDS)).isFalse();
        assertThat(condition.matches(normalised(transcript("aaaaaaaa")))).isTrue();
        assertThat(reported).isEmpty();
    }

    @Test
    void aRegexTooLargeToCompileIsAnErrorNotAHang() throws Exception {
        Condition condition = compiler.compile("text.matches(\"((a{100}){100}){100}\")");

        assertThat(condition.matches(WORDS)).isFalse();
        assertThat(condition.evaluationErrors()).isEqualTo(1);
    }

    @Test
    void boundedReplaceStillReplacesLikeTheStringsExtension() throws Exception {
        assertThat(compiler.compile("text.replace(\"-\", \" \") == \"a b c\"")
                .matches(normalised(transcript("a-b-c")))).isTrue();
        assertThat(compiler.compile("text.replace(\"-\", \" \", 1) == \"a b-c\"")
                .matches(normalised(transcript("a-b-c")))).isTrue();
        assertThat(compiler.compile("text.replace(\"\", \"_\") == \"_a_b_\"")
                .matches(normalised(transcript("ab")))).isTrue();
        assertThat(reported).isEmpty();
    }

    @Test
    void anErrorDuringEvaluationIsContainedCountedAndQuarantinesTheCondition() {
        // A CEL program that runs out of memory: a JVM Error must not escape to the stream thread.
        CelRuntime.Program exhausted = (CelRuntime.Program) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {CelRuntime.Program.class}, (proxy, method, args) -> {
                    throw new OutOfMemoryError("Java heap space");
                });
        Condition condition = new Condition("text.size() > 0", exhausted, (c, r, e) -> reported.add(e));

        assertThat(condition.matches(WORDS)).isFalse();
        assertThat(condition.matches(WORDS)).isFalse();

        assertThat(condition.quarantined()).isTrue();
        assertThat(condition.evaluationErrors()).isEqualTo(2);
        assertThat(reported).singleElement().isInstanceOf(OutOfMemoryError.class);
    }

    @Test
    void aBudgetErrorLeavesOtherConditionsWorking() throws Exception {
        compiler.compile("text.replace(\"\", text).replace(\"\", text).size() > 0").matches(WORDS);

        assertThat(compiler.compile("counts.people >= 1").matches(normalised(scene().people(1)))).isTrue();
    }
}
