package dev.vigil.rules.reach;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rules.RuleCompiler;
import dev.vigil.schemas.alerts.Channel;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleReachTest {

    private static final RuleCompiler RULES = RuleCompiler.create(false);

    private static String compiled(String prompt) throws Exception {
        return RULES.compile(prompt, null).condition();
    }

    @Test
    void zoneTheIndexDoesNotDefineNeverFires() throws Exception {
        String room = compiled("More than three people in the room");

        assertThat(RuleReach.whyNeverFires(room, Channel.SCENE_INDEX, List.of("Loading Dock")))
                .hasValueSatisfying(why -> assertThat(why).contains("zone \"room\"").contains("it defines loading_dock"));
        assertThat(RuleReach.whyNeverFires(room, Channel.SCENE_INDEX, List.of()))
                .hasValueSatisfying(why -> assertThat(why).contains("it defines no zones"));
        assertThat(RuleReach.whyNeverFires(room, Channel.SCENE_INDEX, List.of("Room"))).isEmpty();
    }

    @Test
    void sceneConditionNeverFiresOnATranscriptOrAudioIndex() throws Exception {
        String person = compiled("Detect intruder");

        assertThat(RuleReach.whyNeverFires(person, Channel.TRANSCRIPT, List.of()))
                .hasValueSatisfying(why -> assertThat(why)
                        .isEqualTo("its event fires only on scene_index records, and this index (transcript) produces "
                                + "only transcript records. Bind the event to an index of that kind, or create an event "
                                + "for this one."));
        assertThat(RuleReach.whyNeverFires(person, Channel.AUDIO_INDEX, List.of())).isPresent();
        assertThat(RuleReach.whyNeverFires(person, Channel.SCENE_INDEX, List.of())).isEmpty();
    }

    @Test
    void speechFiresOnTranscriptAndAudioButNotScene() throws Exception {
        String help = compiled("someone asks for help");

        assertThat(RuleReach.whyNeverFires(help, Channel.TRANSCRIPT, List.of())).isEmpty();
        assertThat(RuleReach.whyNeverFires(help, Channel.AUDIO_INDEX, List.of())).isEmpty();
        assertThat(RuleReach.whyNeverFires(help, Channel.SCENE_INDEX, List.of()))
                .hasValueSatisfying(why -> assertThat(why).contains("fires only on audio_index or transcript records"));
    }

    @Test
    void anOrFiresWhereEitherSideCan() throws Exception {
        String either = compiled("person or alarm");

        assertThat(RuleReach.whyNeverFires(either, Channel.AUDIO_INDEX, List.of())).isEmpty();
        assertThat(RuleReach.whyNeverFires(either, Channel.SCENE_INDEX, List.of())).isEmpty();
        assertThat(RuleReach.whyNeverFires(either, Channel.TRANSCRIPT, List.of())).isPresent();
    }

    @Test
    void explicitConditionsAreAnalysedToo() {
        assertThat(RuleReach.whyNeverFires("zones[\"dock\"].people > 0", Channel.SCENE_INDEX, List.of("yard")))
                .hasValueSatisfying(why -> assertThat(why).contains("zone \"dock\""));
        assertThat(RuleReach.whyNeverFires("!(\"dock\" in zones)", Channel.SCENE_INDEX, List.of())).isEmpty();
        assertThat(RuleReach.whyNeverFires("counts.people > 0 || text.contains(\"x\")", Channel.TRANSCRIPT, List.of()))
                .isEmpty();
        assertThat(RuleReach.whyNeverFires("true", Channel.TRANSCRIPT, List.of())).isEmpty();
    }
}
