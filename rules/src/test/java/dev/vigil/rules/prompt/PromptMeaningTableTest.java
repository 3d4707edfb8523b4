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
import dev.vigil.schemas.control.ConditionOrigin;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Natural prompts from the use cases (safety, security, baby monitor, traffic, retail, speech) as a
 * new user writes them, with what they mean offline: the compiled condition (by vocabulary or by
 * meaning, with a record it must match and one it must not), or the refusal naming the model
 * settings when only a model can tell (words no concept covers, or concepts no offline engine reports:
 * vehicles, animals); and, with a text model configured, the judged rule.
 * This table is also the calibration set of {@link MeaningMap}'s thresholds. ' stands for ".
 */
class PromptMeaningTableTest {

    private static final RuleCompiler OFFLINE = RuleCompiler.create(false);
    private static final RuleCompiler WITH_JUDGE = RuleCompiler.create(true);

    static Stream<Arguments> understoodOffline() {
        return Stream.of(
                // security
                row("Detect intruder", "channel == 'scene_index' && counts.people >= 1", null,
                        scene().people(1), scene()),
                row("More than three people in the room",
                        "channel == 'scene_index' && 'room' in zones && zones['room'].people > 3", null,
                        scene().zone("room", "people", 4), scene().zone("room", "people", 3)),
                row("camera blocked", "channel == 'scene_index' && ('covered' in labels || brightness < 0.03)", null,
                        scene().labels("covered").brightness(0.5), scene().brightness(0.5)),
                row("shattered window", "channel == 'audio_index' && 'impulse' in labels",
                        "\"shattered window\" → an impulsive sound", audio().labels("impulse"), audio().labels("speech")),
                row("sound of breaking glass", "channel == 'audio_index' && 'impulse' in labels", null,
                        audio().labels("impulse"), audio()),
                row("a gunshot", "channel == 'audio_index' && 'impulse' in labels", null,
                        audio().labels("impulse"), audio().labels("music")),
                row("an explosion", "channel == 'audio_index' && 'impulse' in labels", null,
                        audio().labels("impulse"), audio()),
                row("a car alarm goes off", "channel == 'audio_index' && ('alarm' in labels || 'tonal' in labels)", null,
                        audio().labels("alarm"), audio().labels("noise")),
                row("a doorbell rings", "channel == 'audio_index' && ('alarm' in labels || 'tonal' in labels)", null,
                        audio().labels("tonal"), audio()),
                row("someone knocks on the door", "channel == 'audio_index' && 'impulse' in labels",
                        "\"knocks door\" → an impulsive sound", audio().labels("impulse"), audio().labels("speech")),
                // lights and power
                row("smoke alarm", "channel == 'audio_index' && ('alarm' in labels || 'tonal' in labels)", null,
                        audio().labels("alarm"), audio().labels("speech")),
                row("the camera is covered", "channel == 'scene_index' && ('covered' in labels || brightness < 0.03)", null,
                        scene().brightness(0.01), scene().brightness(0.4)),
                row("motion but no one is there",
                        "channel == 'scene_index' && motion >= 0.02 && counts.people == 0", null,
                        scene().motion(0.2), scene().people(1).motion(0.2)),
                row("lights go off", "channel == 'scene_index' && brightness < 0.15", null,
                        scene().brightness(0.05), scene().brightness(0.6)),
                row("the lights come on", "channel == 'scene_index' && brightness >= 0.15", null,
                        scene().brightness(0.6), scene().brightness(0.05)),
                row("blackout", "channel == 'scene_index' && brightness < 0.15", "\"blackout\" → darkness",
                        scene().brightness(0.01), scene().brightness(0.5)),
                row("power outage", "channel == 'scene_index' && brightness < 0.15", "\"power outage\" → darkness",
                        scene().brightness(0.01), scene().brightness(0.5)),
                // baby monitor
                row("baby crying", "channel == 'audio_index' && (loudness >= -20.0 || 'impulse' in labels)",
                        "\"crying\" → a loud sound", audio().loudness(-12), audio().loudness(-40)),
                row("it's quiet", "channel == 'audio_index' && 'silence' in labels", null,
                        audio().labels("silence"), audio().labels("speech")),
                row("the baby is moving", "channel == 'scene_index' && counts.people >= 1 && motion >= 0.02", null,
                        scene().people(1).motion(0.1), scene().people(1)),
                // retail
                row("too many people in the store",
                        "channel == 'scene_index' && 'store' in zones && zones['store'].people >= 5", null,
                        scene().zone("store", "people", 6), scene().zone("store", "people", 2)),
                row("a crowd gathers", "channel == 'scene_index' && counts.people >= 5", null,
                        scene().people(5), scene().people(4)),
                row("no customers", "channel == 'scene_index' && counts.people == 0", null,
                        scene(), scene().people(1)),
                row("nobody in the checkout zone",
                        "channel == 'scene_index' && 'checkout' in zones && zones['checkout'].people == 0", null,
                        scene().zone("checkout", "people", 0), scene().zone("checkout", "people", 1)),
                row("more than 2 people at the counter zone",
                        "channel == 'scene_index' && 'counter' in zones && zones['counter'].people > 2", null,
                        scene().zone("counter", "people", 3), scene().zone("counter", "people", 2)),
                row("music playing loudly", "channel == 'audio_index' && 'music' in labels", null,
                        audio().labels("music"), audio()),
                // speech
                row("someone asks for help",
                        "channel in ['transcript', 'audio_index'] && (transcript_norm.contains(' help ') "
                                + "|| transcript.means('help'))", null,
                        transcript("please help me"), transcript("the weather is nice")),
                row("a customer mentions a refund",
                        "channel in ['transcript', 'audio_index'] && (transcript_norm.contains(' refund ') "
                                + "|| transcript.means('a refund'))", null,
                        transcript("I want my money back"), transcript("is the shop open today")),
                row("someone talks about the delivery",
                        "channel in ['transcript', 'audio_index'] && (transcript_norm.contains(' delivery ') "
                                + "|| transcript.means('the delivery'))", null,
                        transcript("my package never arrived"), transcript("good morning")),
                row("someone screams for help",
                        "channel in ['transcript', 'audio_index'] && transcript_norm.contains(' help ')", null,
                        transcript("help"), transcript("I want my money back")),
                row("someone shouting", "channel == 'audio_index' && (loudness >= -20.0 || 'impulse' in labels)", null,
                        audio().loudness(-10), audio().loudness(-35)),
                row("Notify me if someone says 'fire'",
                        "channel in ['transcript', 'audio_index'] && transcript_norm.contains(' fire ')", null,
                        transcript("fire! get out"), transcript("the fireplace is warm")),
                row("people talking", "channel in ['transcript', 'audio_index'] && 'speech' in labels", null,
                        audio().labels("speech"), audio().labels("music")));
    }

    /**
     * Prompts the vocabulary understands, about things no offline engine reports (vehicles, animals):
     * their condition ({@code counts.vehicles >= 1}) would never fire, so they need a vision model to
     * describe the scene and a text model to judge it. The second column is what the refusal names.
     */
    static Stream<Arguments> needAVisionModel() {
        return Stream.of(
                // traffic
                Arguments.of("a vehicle", "vehicles", null),
                Arguments.of("a motorcycle", "vehicles", null),
                Arguments.of("more than 10 cars", "vehicles", null),
                Arguments.of("traffic", "vehicles", null),
                Arguments.of("a car in the driveway", "vehicles", null),
                Arguments.of("a truck at the loading dock zone", "vehicles", null),
                Arguments.of("no cars in the parking zone", "vehicles", null),
                // animals (pets, wildlife, pests)
                Arguments.of("a dog barks", "animals", "\"barks\" → animals"),
                Arguments.of("a bird", "animals", null),
                Arguments.of("a horse", "animals", null),
                Arguments.of("a pet in the kitchen", "animals", null),
                Arguments.of("rats in the warehouse", "animals", null),
                // both, or with a thing that is reported: the whole prompt needs the model
                Arguments.of("a person or a car", "vehicles", null),
                Arguments.of("a dog, a cat or a car", "vehicles and animals", null));
    }

    static Stream<Arguments> needAModel() {
        return Stream.of(
                Arguments.of("Detect person without helmet", "\"helmet\""),
                Arguments.of("Detect person falling", "\"falling\""),
                Arguments.of("Detect safety violation", "\"safety violation\""),
                Arguments.of("Person climbs the fence", "\"climbs fence\""),
                Arguments.of("the baby wakes up", "\"wakes\""),
                Arguments.of("a fight breaks out", "\"fight breaks\""),
                Arguments.of("someone is loitering", "\"loitering\""),
                Arguments.of("smoke or fire", "\"smoke\""),
                Arguments.of("someone is whispering", "\"whispering\""),
                Arguments.of("shoplifting", "\"shoplifting\""),
                Arguments.of("a package left at the door", "\"package left door\""),
                Arguments.of("a person wearing a red shirt", "\"wearing red shirt\""),
                Arguments.of("speeding car", "\"speeding\""),
                Arguments.of("people arguing", "\"arguing\""),
                Arguments.of("a deer crosses the road", "\"crosses road\""));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("understoodOffline")
    void compilesByVocabularyOrMeaningToAConditionThatMatchesOnlyTheIntendedRecords(
            String prompt, String expectedCondition, String mapping, Object matching, Object notMatching) throws Exception {
        CompiledRule rule = OFFLINE.compile(prompt, null);

        assertThat(rule.origin()).isEqualTo(ConditionOrigin.PROMPT);
        assertThat(rule.condition()).isEqualTo(expectedCondition);
        if (mapping != null) {
            assertThat(rule.explanation()).contains("Understood by meaning: " + mapping).contains("similarity 0.");
        }
        Condition condition = OFFLINE.conditions().compile(rule.condition());
        assertThat(condition.matches(normalised(matching))).as("matches %s", matching).isTrue();
        assertThat(condition.matches(normalised(notMatching))).as("does not match %s", notMatching).isFalse();
        assertThat(condition.evaluationErrors()).isZero();
        // A text model changes nothing for a prompt the vocabulary expresses.
        assertThat(WITH_JUDGE.compile(prompt, null)).isEqualTo(rule);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("needAModel")
    void refusesWithoutAModelNamingTheSettingsAndTheClosestConcepts(String prompt, String phrase) {
        assertThatThrownBy(() -> OFFLINE.compile(prompt, null))
                .isInstanceOfSatisfying(RuleException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.PROMPT_NOT_UNDERSTOOD))
                .hasMessageContaining("VIGIL_MODEL_TEXT")
                .hasMessageContaining("VIGIL_MODEL_BASE_URL")
                .hasMessageContaining("For something seen, also set VIGIL_MODEL_VISION")
                .hasMessageMatching("(?s).*" + java.util.regex.Pattern.quote(phrase) + " is closest to \\w.* 0\\.\\d\\d.*")
                .hasMessageContaining("The prompt vocabulary understands");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("needAVisionModel")
    void refusesWhatNoOfflineEngineReportsNamingTheVisionAndTextSettings(String prompt, String what, String mapping) {
        assertThatThrownBy(() -> OFFLINE.compile(prompt, null))
                .isInstanceOfSatisfying(RuleException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.PROMPT_NOT_UNDERSTOOD);
                    assertThat(e.errorCode()).isEqualTo("prompt_not_understood");
                    if (mapping != null) {
                        assertThat(e.getMessage()).contains("Understood by meaning: " + mapping);
                    }
                })
                .hasMessageStartingWith("The event prompt needs a model: it asks about " + what
                        + ", which no offline engine reports")
                .hasMessageContaining("could never fire")
                .hasMessageContaining("VIGIL_MODEL_BASE_URL")
                .hasMessageContaining("VIGIL_MODEL_VISION")
                .hasMessageContaining("VIGIL_MODEL_TEXT")
                .hasMessageContaining("The prompt vocabulary understands: people")
                .hasMessageNotContaining("counts.vehicles")
                .hasMessageNotContaining("counts.animals");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("needAVisionModel")
    void whatNoOfflineEngineReportsIsJudgedWhenATextModelIsConfigured(String prompt, String what) throws Exception {
        CompiledRule rule = WITH_JUDGE.compile(prompt, null);

        assertThat(rule.origin()).isEqualTo(ConditionOrigin.LLM_JUDGE);
        assertThat(rule.condition()).isEqualTo(PromptCompiler.JUDGE_CONDITION);
        assertThat(rule.explanation()).startsWith("No offline engine reports " + what).contains("VIGIL_MODEL_VISION");
    }

    @org.junit.jupiter.api.Test
    void noUnderstoodPromptCompilesToACountThatNoOfflineEngineFills() throws Exception {
        // What the offline scene engine (OpenCV) fills in counts; the rest of the keys stay 0 for ever.
        java.util.Set<String> reported = java.util.Set.of("people", "faces");
        java.util.List<String> prompts = new java.util.ArrayList<>();
        understoodOffline().forEach(a -> prompts.add((String) a.get()[0]));
        for (String prompt : prompts) {
            String condition = OFFLINE.compile(prompt, null).condition();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:counts|zones\\[\"[a-z_]+\"\\])\\.([a-z_]+)")
                    .matcher(condition);
            while (m.find()) {
                assertThat(reported).as("%s → %s", prompt, condition).contains(m.group(1));
            }
        }
        assertThat(prompts).hasSizeGreaterThanOrEqualTo(30);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("needAModel")
    void isJudgedWhenATextModelIsConfigured(String prompt) throws Exception {
        CompiledRule rule = WITH_JUDGE.compile(prompt, null);

        assertThat(rule.origin()).isEqualTo(ConditionOrigin.LLM_JUDGE);
        assertThat(rule.condition()).isEqualTo(PromptCompiler.JUDGE_CONDITION);
        assertThat(rule.needsJudge()).isTrue();
    }

    @org.junit.jupiter.api.Test
    void aMisplacedZoneIsAWordingMatterNotAModelOne() {
        assertThatThrownBy(() -> OFFLINE.compile("movement in the crib zone", null))
                .isInstanceOfSatisfying(RuleException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.PROMPT_NOT_UNDERSTOOD))
                .hasMessageContaining("\"in zone crib\" needs a person or face word")
                .hasMessageNotContaining("VIGIL_MODEL_TEXT");
    }

    private static Arguments row(String prompt, String expected, String mapping, Object matching, Object notMatching) {
        return Arguments.of(prompt, expected.replace('\'', '"'), mapping, matching, notMatching);
    }
}
