package dev.vigil.alerts;

import static dev.vigil.alerts.Fixtures.ACME;
import static dev.vigil.alerts.Fixtures.ALERT_1;
import static dev.vigil.alerts.Fixtures.OTHER;
import static dev.vigil.alerts.Fixtures.SCENE_INDEX;
import static dev.vigil.alerts.Fixtures.SCENE_INDEX_2;
import static dev.vigil.alerts.Fixtures.STREAM;
import static dev.vigil.alerts.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.alerts.Channel;
import dev.vigil.schemas.alerts.JudgeRequest;
import dev.vigil.schemas.alerts.JudgedAlert;
import dev.vigil.schemas.control.AlertBinding;
import dev.vigil.schemas.control.AlertStatus;
import dev.vigil.schemas.index.SceneRecord;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Judged events in the topology, as when a text model is configured: one judge request per record for all
 * judged alerts of its index that apply, and none for alerts that do not.
 */
class JudgeRequestsTopologyTest {

    private static final String HELMET_EVENT = "e0000000000000a1";
    private static final String FENCE_EVENT = "e0000000000000a2";
    private static final String FALL_EVENT = "e0000000000000a3";
    private static final String FOREIGN_EVENT = "e0000000000000a4";
    private static final String HELMET_ALERT = "a1000000000000a1";
    private static final String FENCE_ALERT = "a1000000000000a2";
    private static final String FALL_ALERT = "a1000000000000a3";

    @TempDir
    Path stateDir;

    private RouterDriver router;

    @BeforeEach
    void start() {
        router = new RouterDriver(stateDir, true);
        router.withIntruderAlert(); // a condition alert on the same index keeps firing as before
        router.events.pipeInput(HELMET_EVENT, Fixtures.judgedEvent(HELMET_EVENT, ACME, "no helmet",
                "Detect person without helmet"));
        router.events.pipeInput(FENCE_EVENT, Fixtures.judgedEvent(FENCE_EVENT, ACME, "fence", "Person climbs the fence"));
        router.events.pipeInput(FALL_EVENT, Fixtures.judgedEvent(FALL_EVENT, ACME, "fall", "Detect person falling"));
        router.events.pipeInput(FOREIGN_EVENT, Fixtures.judgedEvent(FOREIGN_EVENT, OTHER, "no helmet",
                "Detect person without helmet"));
    }

    @AfterEach
    void stop() {
        router.close();
    }

    private void judgedAlert(String id, String event, String index) {
        router.alerts.pipeInput(id, Fixtures.alert(id, ACME, STREAM, index, event));
    }

    @Test
    void oneRequestPerRecordWhateverTheNumberOfJudgedAlertsOfItsIndex() {
        judgedAlert(HELMET_ALERT, HELMET_EVENT, SCENE_INDEX);
        judgedAlert(FENCE_ALERT, FENCE_EVENT, SCENE_INDEX);
        judgedAlert(FALL_ALERT, FALL_EVENT, SCENE_INDEX);
        SceneRecord first = Fixtures.scene(T0, 1);
        SceneRecord second = Fixtures.scene(T0.plus(Fixtures.WINDOW), 1);

        router.scene(first);
        router.scene(second);

        List<KeyValue<String, JudgeRequest>> requests = router.judge.readKeyValuesToList();
        assertThat(requests).extracting(kv -> kv.key).containsExactly(STREAM, STREAM);
        JudgeRequest request = requests.get(0).value;
        assertThat(request.getAlerts()).extracting(JudgedAlert::getAlertId)
                .containsExactly(HELMET_ALERT, FENCE_ALERT, FALL_ALERT);
        assertThat(request.getAlerts()).extracting(JudgedAlert::getEventPrompt)
                .containsExactly("Detect person without helmet", "Person climbs the fence", "Detect person falling");
        assertThat(request.getAlerts().get(0).getCooldownMs()).isEqualTo(60_000);
        assertThat(request.getAlerts().get(0).getCallbackUrl()).isEqualTo(Fixtures.CALLBACK);
        assertThat(request.getCollectionId()).isEqualTo(ACME);
        assertThat(request.getRtstreamName()).isEqualTo("Warehouse cam");
        assertThat(request.getIndexId()).isEqualTo(SCENE_INDEX);
        assertThat(request.getChannel()).isEqualTo(Channel.SCENE_INDEX);
        assertThat(request.getText()).isEqualTo(first.getText());
        assertThat(request.getRecordTime()).isEqualTo(first.getStart());
        assertThat(request.getNotificationKey()).isEqualTo(SCENE_INDEX + ":scene_index:"
                + first.getStart().toEpochMilli() + ":" + first.getEnd().toEpochMilli());
        assertThat(requests.get(1).value.getStart()).isEqualTo(second.getStart());
        // The condition alert is routed as before; the judged ones are neither fired here nor counted as skipped.
        assertThat(router.fired.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly(ALERT_1);
        assertThat(router.count("alerts.skipped", "reason", "llm_judge")).isZero();
    }

    @Test
    void disabledForeignAndOtherIndexAlertsAskNothing() {
        router.alerts.pipeInput(HELMET_ALERT, AlertBinding.newBuilder(Fixtures.alert(HELMET_ALERT, ACME, STREAM,
                SCENE_INDEX, HELMET_EVENT)).setStatus(AlertStatus.DISABLED).build());
        // An alert of another collection on this stream, and an alert naming another collection's event.
        router.alerts.pipeInput(FENCE_ALERT, Fixtures.alert(FENCE_ALERT, OTHER, STREAM, SCENE_INDEX, FENCE_EVENT));
        router.alerts.pipeInput(FALL_ALERT, Fixtures.alert(FALL_ALERT, ACME, STREAM, SCENE_INDEX, FOREIGN_EVENT));
        // A judged alert on another index of the stream.
        judgedAlert("a1000000000000a5", HELMET_EVENT, SCENE_INDEX_2);

        router.scene(Fixtures.scene(T0, 1));

        assertThat(router.judge.isEmpty()).isTrue();
        assertThat(router.fired.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly(ALERT_1);
    }

    @Test
    void onlyTheAlertsThatApplyAreInTheRequest() {
        judgedAlert(HELMET_ALERT, HELMET_EVENT, SCENE_INDEX);
        router.alerts.pipeInput(FENCE_ALERT, AlertBinding.newBuilder(Fixtures.alert(FENCE_ALERT, ACME, STREAM,
                SCENE_INDEX, FENCE_EVENT)).setStatus(AlertStatus.DISABLED).build());
        router.alerts.pipeInput(FALL_ALERT, Fixtures.alert(FALL_ALERT, ACME, STREAM, SCENE_INDEX, FOREIGN_EVENT));

        router.scene(Fixtures.scene(T0, 1));

        assertThat(router.judge.readValuesToList()).singleElement()
                .satisfies(r -> assertThat(r.getAlerts()).extracting(JudgedAlert::getAlertId).containsExactly(HELMET_ALERT));
    }

    @Test
    void aRecordWithoutTextAsksNothing() {
        judgedAlert(HELMET_ALERT, HELMET_EVENT, SCENE_INDEX);

        router.scene(SceneRecord.newBuilder(Fixtures.scene(T0, 1)).setText(" ").build());

        assertThat(router.judge.isEmpty()).isTrue();
    }

    @Test
    void aNegativeCooldownTakesTheDefault() {
        router.alerts.pipeInput(HELMET_ALERT, AlertBinding.newBuilder(Fixtures.alert(HELMET_ALERT, ACME, STREAM,
                SCENE_INDEX, HELMET_EVENT)).setCooldownS(-1).build());

        router.scene(Fixtures.scene(T0, 1));

        assertThat(router.judge.readValuesToList()).singleElement()
                .satisfies(r -> assertThat(r.getAlerts().get(0).getCooldownMs()).isEqualTo(60_000));
    }
}
