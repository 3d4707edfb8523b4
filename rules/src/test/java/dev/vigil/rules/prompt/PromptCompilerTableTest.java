package dev.vigil.rules.prompt;

import static dev.vigil.rules.IndexRecords.audio;
import static dev.vigil.rules.IndexRecords.normalised;
import static dev.vigil.rules.IndexRecords.scene;
import static dev.vigil.rules.IndexRecords.transcript;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.rules.CompiledRule;
import dev.vigil.rules.RuleCompiler;
import dev.vigil.rules.RuleException;
import dev.vigil.rules.RuleException.Reason;
import dev.vigil.rules.cel.Condition;
import dev.vigil.rules.cel.ConditionCompiler;
import dev.vigil.schemas.control.ConditionOrigin;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The prompt compiler's contract, as a table: what each prompt compiles to, and, so that the table
 * pins behaviour and not just strings, a real index record it must match and one it must not.
 * Expected conditions are written with ' for " to keep the table readable.
 */
class PromptCompilerTableTest {

    // The strict vocabulary alone; PromptMeaningTableTest covers what meaning adds on top.
    private final RuleCompiler compiler = new RuleCompiler(new ConditionCompiler(), new PromptCompiler(false));

    static Stream<Arguments> compiledPrompts() {
        return Stream.of(
                // people and their synonyms
                row("Detect intruder", "channel == 'scene_index' && counts.people >= 1",
                        scene().people(1), scene()),
                row("Is someone there?", "channel == 'scene_index' && counts.people >= 1",
                        scene().people(2), transcript("someone is there")),
                row("trespasser detected", "channel == 'scene_index' && counts.people >= 1",
                        scene().people(1).labels("person"), scene().labels("motion").motion(0.4)),
                row("Alert when a visitor appears on camera", "channel == 'scene_index' && counts.people >= 1",
                        scene().people(1), scene().faces(1)),
                // counts
                row("more than 3 people", "channel == 'scene_index' && counts.people > 3",
                        scene().people(4), scene().people(3)),
                row("at least two people", "channel == 'scene_index' && counts.people >= 2",
                        scene().people(2), scene().people(1)),
                row("3 or more people", "channel == 'scene_index' && counts.people >= 3",
                        scene().people(3), scene().people(2)),
                row("two people or fewer in the kitchen",
                        "channel == 'scene_index' && 'kitchen' in zones && zones['kitchen'].people <= 2",
                        scene().zone("kitchen", "people", 2), scene().zone("kitchen", "people", 3)),
                row("a crowd", "channel == 'scene_index' && counts.people >= 5",
                        scene().people(6), scene().people(4)),
                row("a dozen people", "channel == 'scene_index' && counts.people >= 12",
                        scene().people(12), scene().people(11)),
                row("exactly one person", "channel == 'scene_index' && counts.people == 1",
                        scene().people(1), scene().people(2)),
                row("fewer than 2 people", "channel == 'scene_index' && counts.people < 2",
                        scene().people(1), scene().people(2)),
                row("no one", "channel == 'scene_index' && counts.people == 0",
                        scene(), scene().people(1)),
                // zones
                row("Alert when a person enters the warehouse zone",
                        "channel == 'scene_index' && 'warehouse' in zones && zones['warehouse'].people >= 1",
                        scene().zone("warehouse", "people", 1), scene().people(3).zone("dock", "people", 3)),
                row("a group of people in the lobby",
                        "channel == 'scene_index' && 'lobby' in zones && zones['lobby'].people >= 3",
                        scene().zone("Lobby", "people", 3), scene().zone("Lobby", "people", 2)),
                row("nobody in the lobby",
                        "channel == 'scene_index' && 'lobby' in zones && zones['lobby'].people == 0",
                        scene().zone("lobby", "faces", 1), scene()),
                row("no one in the loading dock zone",
                        "channel == 'scene_index' && 'loading_dock' in zones && zones['loading_dock'].people == 0",
                        scene().emptyZone("Loading Dock"), scene().zone("loading-dock", "people", 2)),
                row("someone in zone A", "channel == 'scene_index' && 'a' in zones && zones['a'].people >= 1",
                        scene().zone("A", "people", 1), scene().zone("B", "people", 1)),
                // faces
                row("a face is visible", "channel == 'scene_index' && counts.faces >= 1",
                        scene().faces(1), scene().people(1)),
                row("more than 2 faces in zone B", "channel == 'scene_index' && 'b' in zones && zones['b'].faces > 2",
                        scene().zone("b", "faces", 3), scene().faces(5).zone("b", "faces", 2)),
                // motion, light, tampering
                row("motion", "channel == 'scene_index' && motion >= 0.02",
                        scene().motion(0.3), scene().motion(0.01)),
                row("any movement", "channel == 'scene_index' && motion >= 0.02",
                        scene().motion(0.05), audio().loudness(-5)),
                row("no motion", "channel == 'scene_index' && motion < 0.02",
                        scene(), transcript("")),
                row("the lights are off", "channel == 'scene_index' && brightness < 0.15",
                        scene().brightness(0.05), transcript("lights off")),
                row("it is dark", "channel == 'scene_index' && brightness < 0.15",
                        scene().brightness(0.1), scene().brightness(0.6)),
                row("lights on", "channel == 'scene_index' && brightness >= 0.15",
                        scene().brightness(0.6), scene().brightness(0.05)),
                row("camera covered", "channel == 'scene_index' && ('covered' in labels || brightness < 0.03)",
                        scene().labels("covered"), scene().brightness(0.5)),
                row("camera is blocked or tampered",
                        "channel == 'scene_index' && ('covered' in labels || brightness < 0.03)",
                        scene().brightness(0.01), audio()),
                row("the camera is not covered",
                        "channel == 'scene_index' && !('covered' in labels) && brightness >= 0.03",
                        scene(), scene().labels("covered")),
                // sounds
                row("fire alarm", "channel == 'audio_index' && ('alarm' in labels || 'tonal' in labels)",
                        audio().labels("alarm"), audio().labels("speech")),
                row("siren or beeping", "channel == 'audio_index' && ('alarm' in labels || 'tonal' in labels)",
                        audio().labels("tonal"), audio().labels("music")),
                row("the smoke alarm is ringing", "channel == 'audio_index' && ('alarm' in labels || 'tonal' in labels)",
                        audio().labels("alarm"), audio().labels("impulse")),
                row("an alarm sound", "channel == 'audio_index' && ('alarm' in labels || 'tonal' in labels)",
                        audio().labels("Alarm", "noise"), scene().labels("alarm")),
                row("silence", "channel == 'audio_index' && 'silence' in labels",
                        audio().labels("silence"), audio().labels("speech")),
                row("it goes quiet", "channel == 'audio_index' && 'silence' in labels",
                        audio().labels("silence").loudness(-80), audio().loudness(-80)),
                row("loud noise", "channel == 'audio_index' && (loudness >= -20.0 || 'impulse' in labels)",
                        audio().loudness(-12), audio().loudness(-35)),
                row("someone screaming", "channel == 'audio_index' && (loudness >= -20.0 || 'impulse' in labels)",
                        audio().labels("impulse").loudness(-40), audio().labels("speech").loudness(-30)),
                row("gunshot", "channel == 'audio_index' && 'impulse' in labels",
                        audio().labels("impulse"), audio().loudness(-5)),
                row("glass breaking", "channel == 'audio_index' && 'impulse' in labels",
                        audio().labels("noise", "impulse"), audio().labels("noise")),
                row("music playing", "channel == 'audio_index' && 'music' in labels",
                        audio().labels("music"), audio().labels("tonal")),
                row("people talking", "channel in ['transcript', 'audio_index'] && 'speech' in labels",
                        transcript("hello there"), transcript("")),
                // spoken words
                row("Notify me if someone says 'help'",
                        "channel in ['transcript', 'audio_index'] && transcript_norm.contains(' help ')",
                        transcript("Please, HELP me!"), transcript("that was helpful")),
                row("someone mentions fire",
                        "channel in ['transcript', 'audio_index'] && transcript_norm.contains(' fire ')",
                        audio().transcript("the kitchen is on fire"), audio().text("fire alarm, tonal").labels("alarm")),
                row("Notify me if someone says help or fire",
                        "channel in ['transcript', 'audio_index'] && (transcript_norm.contains(' help ') "
                                + "|| transcript_norm.contains(' fire '))",
                        transcript("Fire!"), transcript("firefighters arrived")),
                row("\"call the police\"",
                        "channel in ['transcript', 'audio_index'] && transcript_norm.contains(' call the police ')",
                        transcript("Somebody call the police now"), transcript("call police")),
                row("someone says the building is on fire",
                        "channel in ['transcript', 'audio_index'] && transcript_norm.contains(' building is on fire ')",
                        transcript("The building is on fire."), transcript("the building is fine")),
                row("a man is shouting for help",
                        "channel in ['transcript', 'audio_index'] && transcript_norm.contains(' help ')",
                        audio().transcript("help"), transcript("shouting")),
                row("someone shouts \u201Chelp\u201D",
                        "channel == 'audio_index' && (loudness >= -20.0 || 'impulse' in labels) "
                                + "&& transcript_norm.contains(' help ')",
                        audio().loudness(-10).transcript("help!"), transcript("HELP")),
                row("somebody doesn't say 'password'",
                        "channel in ['transcript', 'audio_index'] && !transcript_norm.contains(' password ')",
                        transcript("hello"), transcript("the password is swordfish")),
                // and / or
                row("person and motion", "channel == 'scene_index' && counts.people >= 1 && motion >= 0.02",
                        scene().people(1).motion(0.1), scene().people(1)),
                row("dark and nobody", "channel == 'scene_index' && brightness < 0.15 && counts.people == 0",
                        scene().brightness(0.05), scene().brightness(0.05).people(1)),
                row("person in the dark", "channel == 'scene_index' && counts.people >= 1 && brightness < 0.15",
                        scene().people(1).brightness(0.1), scene().people(1)),
                row("person or alarm",
                        "(channel == 'scene_index' && counts.people >= 1) "
                                + "|| (channel == 'audio_index' && ('alarm' in labels || 'tonal' in labels))",
                        audio().labels("alarm"), audio().labels("silence")),
                row("motion, alarm or scream",
                        "(channel == 'scene_index' && motion >= 0.02) "
                                + "|| (channel == 'audio_index' && ('alarm' in labels || 'tonal' in labels)) "
                                + "|| (channel == 'audio_index' && (loudness >= -20.0 || 'impulse' in labels))",
                        audio().loudness(-5), scene()),
                row("2 people or more than 5 faces",
                        "channel == 'scene_index' && (counts.people >= 2 || counts.faces > 5)",
                        scene().faces(6), scene().people(1).faces(5)));
    }

    static Stream<Arguments> rejectedPrompts() {
        return Stream.of(
                Arguments.of("a person wearing a red hat", Reason.PROMPT_NOT_UNDERSTOOD, "\"wearing\", \"red\", \"hat\""),
                Arguments.of("Detect a helmet", Reason.PROMPT_NOT_UNDERSTOOD, "nothing in it maps to the prompt vocabulary"),
                Arguments.of("Detect", Reason.PROMPT_NOT_UNDERSTOOD, "does not say what to detect"),
                Arguments.of("intruder at night", Reason.PROMPT_NOT_UNDERSTOOD, "\"night\""),
                Arguments.of("person in red", Reason.PROMPT_NOT_UNDERSTOOD, "\"red\""),
                Arguments.of("any sound", Reason.PROMPT_NOT_UNDERSTOOD, "\"sound\""),
                Arguments.of("3 alarms", Reason.PROMPT_NOT_UNDERSTOOD, "\"3\""),
                Arguments.of("someone says", Reason.PROMPT_NOT_UNDERSTOOD, "\"says\""),
                Arguments.of("not", Reason.PROMPT_NOT_UNDERSTOOD, "\"not\""),
                Arguments.of("someone says ''", Reason.PROMPT_NOT_UNDERSTOOD, "a quoted phrase has no words"),
                Arguments.of("movement in the driveway", Reason.PROMPT_NOT_UNDERSTOOD,
                        "\"in zone driveway\" needs a person or face word"),
                Arguments.of("a person in the lobby in the garage", Reason.PROMPT_NOT_UNDERSTOOD,
                        "several zones (lobby, garage)"),
                Arguments.of("a person and an alarm", Reason.PROMPT_CONTRADICTORY,
                        "at least 1 person (scene_index records) and an alarm, siren or other tonal sound "
                                + "(audio_index records)"),
                Arguments.of("someone in the lobby says hello", Reason.PROMPT_CONTRADICTORY,
                        "never appear in the same record"),
                Arguments.of("x".repeat(PromptCompiler.MAX_PROMPT_LENGTH + 1), Reason.PROMPT_TOO_LONG, "limit is 1000"),
                Arguments.of("   ", Reason.MISSING_RULE, "Give an event_prompt"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("compiledPrompts")
    void compilesPromptToAConditionThatMatchesOnlyTheIntendedRecords(
            String prompt, String expectedCondition, Object matching, Object notMatching) throws Exception {
        CompiledRule rule = compiler.compile(prompt, null);

        assertThat(rule.origin()).isEqualTo(ConditionOrigin.PROMPT);
        assertThat(rule.condition()).isEqualTo(expectedCondition);
        assertThat(rule.eventPrompt()).isEqualTo(prompt);
        assertThat(rule.explanation()).startsWith("Fires on ");

        Condition condition = compiler.conditions().compile(rule.condition());
        assertThat(condition.matches(normalised(matching))).as("matches %s", matching).isTrue();
        assertThat(condition.matches(normalised(notMatching))).as("does not match %s", notMatching).isFalse();
        assertThat(condition.evaluationErrors()).as("evaluation errors").isZero();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("rejectedPrompts")
    void rejectsPromptWithAnExplanation(String prompt, Reason reason, String explanation) {
        assertThatThrownBy(() -> compiler.compile(prompt, null))
                .isInstanceOfSatisfying(RuleException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(explanation);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("compiledPrompts")
    void compilesTheSamePromptToTheSameConditionEveryTime(String prompt) throws Exception {
        PromptCompiler fresh = new PromptCompiler(false);
        assertThat(fresh.compile(prompt).condition()).isEqualTo(compiler.compile(prompt, null).condition());
    }

    private static Arguments row(String prompt, String expected, Object matching, Object notMatching) {
        return Arguments.of(prompt, expected.replace('\'', '"'), matching, notMatching);
    }
}
