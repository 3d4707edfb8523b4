package dev.vigil.alerts;

import static dev.vigil.alerts.Fixtures.ACME;
import static dev.vigil.alerts.Fixtures.ALARM_EVENT;
import static dev.vigil.alerts.Fixtures.ALERT_1;
import static dev.vigil.alerts.Fixtures.ALERT_2;
import static dev.vigil.alerts.Fixtures.AUDIO_INDEX;
import static dev.vigil.alerts.Fixtures.CALLBACK;
import static dev.vigil.alerts.Fixtures.HELP_EVENT;
import static dev.vigil.alerts.Fixtures.INTRUDER_EVENT;
import static dev.vigil.alerts.Fixtures.OTHER;
import static dev.vigil.alerts.Fixtures.SCENE_INDEX;
import static dev.vigil.alerts.Fixtures.SCENE_INDEX_2;
import static dev.vigil.alerts.Fixtures.STREAM;
import static dev.vigil.alerts.Fixtures.STREAM_2;
import static dev.vigil.alerts.Fixtures.T0;
import static dev.vigil.alerts.Fixtures.TRANSCRIPT_INDEX;
import static dev.vigil.alerts.Fixtures.WS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.ids.Ids;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.alerts.Channel;
import dev.vigil.schemas.control.AlertBinding;
import dev.vigil.schemas.control.AlertStatus;
import dev.vigil.schemas.control.ConditionOrigin;
import dev.vigil.schemas.control.EventRule;
import dev.vigil.schemas.index.SceneRecord;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology in a {@link org.apache.kafka.streams.TopologyTestDriver}: pinned record timestamps, a
 * fixed firing clock, whole-output assertions.
 */
class AlertRouterTopologyTest {

    @TempDir
    Path stateDir;

    private RouterDriver router;

    @BeforeEach
    void start() {
        router = new RouterDriver(stateDir);
    }

    @AfterEach
    void stop() {
        router.close();
    }

    private static String idFor(String alertId, SceneRecord record) {
        return Ids.notificationId(alertId, record.getIndexId() + ":scene_index:" + record.getStart().toEpochMilli() + ":"
                + record.getEnd().toEpochMilli());
    }

    @Test
    void firesOneNotificationWithEveryFieldOfTheContract() {
        router.withIntruderAlert();
        SceneRecord record = Fixtures.scene(T0, 2);

        router.scene(record);

        AlertNotification expected = AlertNotification.newBuilder()
                .setId(idFor(ALERT_1, record))
                .setCollectionId(ACME)
                .setAlertId(ALERT_1)
                .setEventId(INTRUDER_EVENT)
                .setLabel("intruder")
                .setRtstreamId(STREAM)
                .setRtstreamName("Warehouse cam")
                .setIndexId(SCENE_INDEX)
                .setChannel(Channel.SCENE_INDEX)
                .setText("2 person(s) in view.")
                .setConfidence(0.8)
                .setExplanation("Event \"intruder\" matched the scene_index record from 2026-03-01T10:00:00Z to "
                        + "2026-03-01T10:00:02Z: its condition channel == \"scene_index\" && counts.people >= 1 "
                        + "(compiled from the prompt \"Detect intruder\") is true.")
                .setStart(T0)
                .setEnd(T0.plusSeconds(2))
                .setTimestamp(RouterDriver.NOW)
                .setRecordEmitTs(T0.plusSeconds(2).plusMillis(40))
                .setCallbackUrl(CALLBACK)
                .setWsConnectionId(WS)
                .build();
        assertThat(router.fired.readKeyValuesToMap()).isEqualTo(Map.of(ALERT_1, expected));
        assertThat(expected.getId()).satisfies(id -> assertThat(Ids.isNotificationId(id)).isTrue());
        assertThat(router.count("notifications")).isEqualTo(1);
        assertThat(router.count("records", "channel", "scene_index")).isEqualTo(1);
        assertThat(router.count("evaluations", "channel", "scene_index")).isEqualTo(1);
        Timer latency = router.registry.find("vigil.alert.router.latency").timer();
        assertThat(latency.count()).isEqualTo(1);
        // Emitted at T0+2.04 s, fired at NOW = T0+3 s.
        assertThat(latency.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(960.0);
    }

    @Test
    void doesNotFireWhenTheConditionIsFalse() {
        router.withIntruderAlert();

        router.scene(Fixtures.scene(T0, 0));

        assertThat(router.fired.isEmpty()).isTrue();
        assertThat(router.count("evaluations", "channel", "scene_index")).isEqualTo(1);
        assertThat(router.count("notifications")).isZero();
    }

    @Test
    void recordsOfAStreamWithoutAlertsAreNotEvaluated() {
        router.withIntruderAlert();

        router.scene(Fixtures.scene(STREAM_2, ACME, SCENE_INDEX, T0, 3));
        router.scene(Fixtures.scene(STREAM, ACME, SCENE_INDEX_2, T0, 3)); // same stream, index without alerts

        assertThat(router.fired.isEmpty()).isTrue();
        assertThat(router.count("records", "channel", "scene_index")).isEqualTo(2);
        assertThat(router.count("evaluations", "channel", "scene_index")).isZero();
    }

    @Test
    void secondMatchInsideTheCooldownIsSuppressedAndOneAfterItFires() {
        router.withIntruderAlert(); // cooldown_s = 60
        SceneRecord first = Fixtures.scene(T0, 1);
        SceneRecord sameIntruder = Fixtures.scene(T0.plusSeconds(2), 1);
        SceneRecord stillThere = Fixtures.scene(T0.plusSeconds(58), 1);
        SceneRecord later = Fixtures.scene(T0.plusSeconds(60), 1);

        router.scene(first);
        router.scene(sameIntruder);
        router.scene(stillThere);
        router.scene(later);

        assertThat(router.fired.readKeyValuesToList()).extracting(kv -> kv.key, kv -> kv.value.getId())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ALERT_1, idFor(ALERT_1, first)),
                        org.assertj.core.groups.Tuple.tuple(ALERT_1, idFor(ALERT_1, later)));
        assertThat(router.count("suppressed", "reason", "cooldown")).isEqualTo(2);
        assertThat(router.count("notifications")).isEqualTo(2);
    }

    @Test
    void zeroCooldownFiresOnEveryMatch() {
        router.withIntruderAlert();
        router.alerts.pipeInput(ALERT_1, AlertBinding.newBuilder(Fixtures.intruderAlert()).setCooldownS(0).build());

        SceneRecord first = Fixtures.scene(T0, 1);
        router.scene(first);
        router.scene(Fixtures.scene(T0.plusSeconds(2), 1));
        router.scene(first); // seen again: notified again, with the same id

        assertThat(router.fired.readValuesToList()).extracting(AlertNotification::getId)
                .containsExactly(idFor(ALERT_1, first), idFor(ALERT_1, Fixtures.scene(T0.plusSeconds(2), 1)),
                        idFor(ALERT_1, first));
        assertThat(router.driver.getKeyValueStore(dev.vigil.alerts.evaluate.AlertEvaluator.COOLDOWN_STORE)
                .get(ALERT_1)).as("no cooldown state for a zero cooldown").isNull();
    }

    @Test
    void disabledAlertNeverFiresAndFiresAgainOnceEnabled() {
        router.withIntruderAlert();
        AlertBinding disabled = AlertBinding.newBuilder(Fixtures.intruderAlert()).setStatus(AlertStatus.DISABLED).build();
        router.alerts.pipeInput(ALERT_1, disabled, T0);

        router.scene(Fixtures.scene(T0, 1));
        assertThat(router.fired.isEmpty()).isTrue();
        assertThat(router.count("alerts.skipped", "reason", "disabled")).isEqualTo(1);

        router.alerts.pipeInput(ALERT_1, Fixtures.intruderAlert(), T0.plusSeconds(5));
        SceneRecord afterEnable = Fixtures.scene(T0.plusSeconds(6), 1);
        router.scene(afterEnable);
        assertThat(router.fired.readKeyValuesToMap()).containsOnlyKeys(ALERT_1)
                .extractingByKey(ALERT_1).extracting(AlertNotification::getId).isEqualTo(idFor(ALERT_1, afterEnable));
    }

    @Test
    void anUpdatedEventAppliesFromTheNextRecord() {
        router.withIntruderAlert();
        SceneRecord twoPeople = Fixtures.scene(T0, 2);
        router.scene(twoPeople);
        assertThat(router.fired.readKeyValuesToMap()).containsOnlyKeys(ALERT_1);

        // Now "a crowd": 5 people or more. A zero cooldown keeps the cooldown out of this test.
        router.alerts.pipeInput(ALERT_1, AlertBinding.newBuilder(Fixtures.intruderAlert()).setCooldownS(0).build());
        router.events.pipeInput(INTRUDER_EVENT, Fixtures.event(INTRUDER_EVENT, ACME, "crowd", "a crowd"));

        router.scene(Fixtures.scene(T0.plusSeconds(2), 2));
        assertThat(router.fired.isEmpty()).isTrue();
        SceneRecord crowd = Fixtures.scene(T0.plusSeconds(4), 6);
        router.scene(crowd);
        assertThat(router.fired.readKeyValuesToMap()).containsOnlyKeys(ALERT_1).extractingByKey(ALERT_1)
                .satisfies(n -> {
                    assertThat(n.getId()).isEqualTo(idFor(ALERT_1, crowd));
                    assertThat(n.getLabel()).isEqualTo("crowd");
                    assertThat(n.getExplanation()).contains("counts.people >= 5");
                });
    }

    @Test
    void aDeletedAlertNeverFires() {
        router.withIntruderAlert();
        router.alerts.pipeInput(ALERT_1, null, T0); // tombstone

        router.scene(Fixtures.scene(T0, 3));

        assertThat(router.fired.isEmpty()).isTrue();
        assertThat(router.count("evaluations", "channel", "scene_index")).isZero();
    }

    @Test
    void anAlertOfADeletedEventNeverFires() {
        router.withIntruderAlert();
        router.events.pipeInput(INTRUDER_EVENT, null, T0);

        router.scene(Fixtures.scene(T0, 3));

        assertThat(router.fired.isEmpty()).isTrue();
        assertThat(router.count("alerts.skipped", "reason", "event_missing")).isEqualTo(1);
    }

    @Test
    void anAlertCreatedAfterARecordDoesNotFireForIt() {
        router.events.pipeInput(INTRUDER_EVENT, Fixtures.intruderEvent(), T0.minusSeconds(60));
        SceneRecord before = Fixtures.scene(T0, 3);
        router.scene(before);

        router.alerts.pipeInput(ALERT_1, Fixtures.intruderAlert(), T0.plusSeconds(3));
        assertThat(router.fired.isEmpty()).isTrue();

        SceneRecord after = Fixtures.scene(T0.plusSeconds(4), 3);
        router.scene(after);
        assertThat(router.fired.readKeyValuesToMap()).containsOnlyKeys(ALERT_1)
                .extractingByKey(ALERT_1).extracting(AlertNotification::getId).isEqualTo(idFor(ALERT_1, after));
    }

    @Test
    void twoAlertsOnOneIndexBothFireAndAnAlertOnAnotherIndexDoesNot() {
        router.withIntruderAlert();
        router.events.pipeInput(ALARM_EVENT, Fixtures.event(ALARM_EVENT, ACME, "busy", "two people or more"));
        AlertBinding second = Fixtures.alert(ALERT_2, ACME, STREAM, SCENE_INDEX, ALARM_EVENT);
        router.alerts.pipeInput(ALERT_2, second);
        String otherIndexAlert = "a1000000000000ff";
        router.alerts.pipeInput(otherIndexAlert, Fixtures.alert(otherIndexAlert, ACME, STREAM, SCENE_INDEX_2,
                INTRUDER_EVENT));
        SceneRecord record = Fixtures.scene(T0, 2);

        router.scene(record);

        Map<String, AlertNotification> out = router.fired.readKeyValuesToMap();
        assertThat(out).containsOnlyKeys(ALERT_1, ALERT_2);
        assertThat(out.get(ALERT_1).getId()).isEqualTo(idFor(ALERT_1, record));
        assertThat(out.get(ALERT_2).getId()).isEqualTo(idFor(ALERT_2, record)).isNotEqualTo(out.get(ALERT_1).getId());
        assertThat(out.get(ALERT_2).getLabel()).isEqualTo("busy");
    }

    @Test
    void aRecordOfAnotherCollectionNeverFiresAnAlert() {
        router.withIntruderAlert();

        // Same stream and index ids, but the record says it belongs to another tenant.
        router.scene(Fixtures.scene(STREAM, OTHER, SCENE_INDEX, T0, 3));

        assertThat(router.fired.isEmpty()).isTrue();
        assertThat(router.count("alerts.skipped", "reason", "tenant_mismatch")).isEqualTo(1);
    }

    @Test
    void anAlertNamingAnotherCollectionsEventNeverFires() {
        router.events.pipeInput(INTRUDER_EVENT, Fixtures.event(INTRUDER_EVENT, OTHER, "intruder", "Detect intruder"));
        router.alerts.pipeInput(ALERT_1, Fixtures.intruderAlert());

        router.scene(Fixtures.scene(T0, 3));

        assertThat(router.fired.isEmpty()).isTrue();
        assertThat(router.count("alerts.skipped", "reason", "tenant_mismatch")).isEqualTo(1);
    }

    @Test
    void poisonRecordsAreSkippedAndCountedAndTheNextGoodRecordStillFires() {
        router.withIntruderAlert();
        String scene = Topics.INDEX_SCENE.name(RouterDriver.PREFIX);

        router.raw(Topics.INDEX_SCENE).pipeInput(STREAM, "not avro at all".getBytes(StandardCharsets.UTF_8), T0);
        router.raw(Topics.INDEX_SCENE).pipeInput(STREAM, new byte[] {(byte) 0xC3, 0x01, 1, 2, 3}, T0);
        router.scene(SceneRecord.newBuilder(Fixtures.scene(T0, 3)).setIndexId("").setCollectionId(" ").build());
        router.scene(SceneRecord.newBuilder(Fixtures.scene(T0, 3)).setEnd(T0.minusSeconds(1)).build());
        router.scene.pipeInput(STREAM, SceneRecord.newBuilder(Fixtures.scene(T0, 3)).setRtstreamId(STREAM_2).build(), T0);
        router.scene.pipeInput(STREAM, null, T0);
        SceneRecord good = Fixtures.scene(T0.plusSeconds(2), 3);
        router.scene(good);

        assertThat(router.fired.readKeyValuesToMap()).containsOnlyKeys(ALERT_1)
                .extractingByKey(ALERT_1).extracting(AlertNotification::getId).isEqualTo(idFor(ALERT_1, good));
        assertThat(router.count("poison.records", "topic", scene, "reason", "undecodable")).isEqualTo(2);
        assertThat(router.count("poison.records", "topic", scene, "reason", "missing_field")).isEqualTo(1);
        assertThat(router.count("poison.records", "topic", scene, "reason", "bad_times")).isEqualTo(1);
        assertThat(router.count("poison.records", "topic", scene, "reason", "key_mismatch")).isEqualTo(1);
        assertThat(router.count("poison.records", "topic", scene, "reason", "null_value")).isEqualTo(1);
        assertThat(router.count("records", "channel", "scene_index")).isEqualTo(1);
    }

    @Test
    void poisonOnTheControlTopicsIsSkippedWithoutLosingTheValidState() {
        router.withIntruderAlert();
        router.raw(Topics.EVENTS).pipeInput(INTRUDER_EVENT, "garbage".getBytes(StandardCharsets.UTF_8));
        router.raw(Topics.ALERTS).pipeInput(ALERT_1, "garbage".getBytes(StandardCharsets.UTF_8));
        router.raw(Topics.RTSTREAMS).pipeInput(STREAM, "garbage".getBytes(StandardCharsets.UTF_8));
        // An alert without event: removed (fail closed) and counted; the intruder alert is untouched.
        String broken = "a1000000000000bb";
        router.alerts.pipeInput(broken, AlertBinding.newBuilder(Fixtures.alert(broken, ACME, STREAM, SCENE_INDEX,
                INTRUDER_EVENT)).setEventId("").build());

        router.scene(Fixtures.scene(T0, 3));

        assertThat(router.fired.readKeyValuesToMap()).containsOnlyKeys(ALERT_1)
                .extractingByKey(ALERT_1).extracting(AlertNotification::getRtstreamName).isEqualTo("Warehouse cam");
        // (TopologyTestDriver skips garbage on global topics with its own handler, so the count of the
        // events and rtstreams topics is checked on the real broker, in AlertRouterServiceIT.)
        assertThat(router.count("poison.records", "topic", "vigil.alerts", "reason", "undecodable")).isEqualTo(1);
        assertThat(router.count("poison.records", "topic", "vigil.alerts", "reason", "missing_field")).isEqualTo(1);
    }

    @Test
    void anEventWhoseConditionDoesNotCompileIsCountedAndOthersStillFire() {
        router.withIntruderAlert();
        router.events.pipeInput(ALARM_EVENT, Fixtures.explicitEvent(ALARM_EVENT, ACME, "broken", "speed > 3"));
        router.alerts.pipeInput(ALERT_2, Fixtures.alert(ALERT_2, ACME, STREAM, SCENE_INDEX, ALARM_EVENT));

        router.scene(Fixtures.scene(T0, 1));
        router.scene(Fixtures.scene(T0.plusSeconds(2), 1));

        assertThat(router.fired.readKeyValuesToMap()).containsOnlyKeys(ALERT_1);
        assertThat(router.count("evaluation.errors", "kind", "invalid_condition")).isEqualTo(2);
    }

    @Test
    void aConditionFailingAtRunTimeCountsAsNoMatch() {
        router.events.pipeInput(ALARM_EVENT, Fixtures.explicitEvent(ALARM_EVENT, ACME, "dock",
                "zones[\"dock\"].people > 0"));
        router.alerts.pipeInput(ALERT_2, Fixtures.alert(ALERT_2, ACME, STREAM, SCENE_INDEX, ALARM_EVENT));

        router.scene(Fixtures.scene(T0, 1)); // no zone "dock": a CEL error

        assertThat(router.fired.isEmpty()).isTrue();
        assertThat(router.count("evaluation.errors", "kind", "evaluation")).isEqualTo(1);
    }

    @Test
    void anLlmJudgeEventIsSkippedAndCounted() {
        router.withIntruderAlert();
        EventRule judged = EventRule.newBuilder(Fixtures.explicitEvent(ALARM_EVENT, ACME, "knife", "true"))
                .setEventPrompt("a person holding a knife").setConditionOrigin(ConditionOrigin.LLM_JUDGE).build();
        router.events.pipeInput(ALARM_EVENT, judged);
        router.alerts.pipeInput(ALERT_2, Fixtures.alert(ALERT_2, ACME, STREAM, SCENE_INDEX, ALARM_EVENT));

        router.scene(Fixtures.scene(T0, 1));

        assertThat(router.fired.readKeyValuesToMap()).containsOnlyKeys(ALERT_1);
        assertThat(router.count("alerts.skipped", "reason", "llm_judge")).isEqualTo(1);
    }

    @Test
    void audioAndTranscriptRecordsFireTheirAlerts() {
        router.events.pipeInput(ALARM_EVENT, Fixtures.event(ALARM_EVENT, ACME, "alarm", "fire alarm"));
        router.events.pipeInput(HELP_EVENT, Fixtures.event(HELP_EVENT, ACME, "help", "someone says 'help'"));
        router.alerts.pipeInput(ALERT_1, Fixtures.alert(ALERT_1, ACME, STREAM, AUDIO_INDEX, ALARM_EVENT));
        router.alerts.pipeInput(ALERT_2, Fixtures.alert(ALERT_2, ACME, STREAM, TRANSCRIPT_INDEX, HELP_EVENT));

        router.audio.pipeInput(STREAM, Fixtures.audio(T0, List.of("tonal", "alarm"), -18), T0);
        router.audio.pipeInput(STREAM, Fixtures.audio(T0.plusSeconds(2), List.of("speech"), -30), T0.plusSeconds(2));
        router.transcript.pipeInput(STREAM, Fixtures.transcript(T0, "please help me"), T0);
        router.transcript.pipeInput(STREAM, Fixtures.transcript(T0.plusSeconds(2), "helpful tips"), T0.plusSeconds(2));

        Map<String, AlertNotification> out = router.fired.readKeyValuesToMap();
        assertThat(out).containsOnlyKeys(ALERT_1, ALERT_2);
        assertThat(out.get(ALERT_1).getChannel()).isEqualTo(Channel.AUDIO_INDEX);
        assertThat(out.get(ALERT_1).getStart()).isEqualTo(T0);
        assertThat(out.get(ALERT_1).getRtstreamName()).isEmpty(); // stream spec unknown: fires without a name
        assertThat(out.get(ALERT_2).getChannel()).isEqualTo(Channel.TRANSCRIPT);
        assertThat(out.get(ALERT_2).getText()).isEqualTo("please help me");
        assertThat(out.get(ALERT_2).getId()).isEqualTo(Ids.notificationId(ALERT_2,
                TRANSCRIPT_INDEX + ":transcript:" + T0.toEpochMilli() + ":" + T0.plusMillis(1_500).toEpochMilli()));
        assertThat(router.count("evaluations", "channel", "audio_index")).isEqualTo(2);
        assertThat(router.count("evaluations", "channel", "transcript")).isEqualTo(2);
    }

    @Test
    void theSameRecordSeenAgainGetsTheSameNotificationId() {
        router.withIntruderAlert();
        SceneRecord record = Fixtures.scene(T0, 2);

        router.scene(record);
        router.scene(record); // an indexer's duplicate, or reprocessing after a crash

        List<KeyValue<String, AlertNotification>> out = router.fired.readKeyValuesToList();
        assertThat(out).hasSize(2).extracting(kv -> kv.value.getId()).containsOnly(idFor(ALERT_1, record));
        assertThat(router.count("notifications")).isEqualTo(2);
        assertThat(router.count("notifications.repeated")).isEqualTo(1);
    }

    @Test
    void theSameRecordAfterARestartGetsTheSameNotificationId(@TempDir Path otherStateDir) {
        router.withIntruderAlert();
        SceneRecord record = Fixtures.scene(T0, 2);
        router.scene(record);
        TestRecord<String, AlertNotification> first = router.fired.readRecord();
        assertThat(router.fired.isEmpty()).isTrue();

        try (RouterDriver restarted = new RouterDriver(otherStateDir).withIntruderAlert()) {
            restarted.scene(record);
            assertThat(restarted.fired.readKeyValuesToMap()).containsOnlyKeys(ALERT_1)
                    .extractingByKey(ALERT_1).extracting(AlertNotification::getId).isEqualTo(first.value().getId());
        }
    }

    @Test
    void cooldownEntriesArePurgedOnceNoCooldownCanNeedThem() {
        router.withIntruderAlert();
        router.scene(Fixtures.scene(T0, 1));
        var cooldowns = router.driver.<String, Object>getKeyValueStore(
                dev.vigil.alerts.evaluate.AlertEvaluator.COOLDOWN_STORE);
        assertThat(cooldowns.get(ALERT_1)).isNotNull();

        // A day and a bit later (stream time), on another stream: the purge runs and drops the entry.
        router.alerts.pipeInput(ALERT_1, null);
        router.scene(Fixtures.scene(STREAM, ACME, SCENE_INDEX, T0.plus(java.time.Duration.ofHours(25)), 0));

        assertThat(cooldowns.get(ALERT_1)).isNull();
    }

    @Test
    void theWebhookSecretIsKeptOutOfTheRoutersState() {
        router.withIntruderAlert();

        var store = router.driver.<String, AlertBinding>getTimestampedKeyValueStore(AlertRouterTopology.ALERTS_BY_ID_STORE);
        assertThat(store.get(ALERT_1).value().getWebhookSecret()).isNull();
        assertThat(store.get(ALERT_1).value().getWebhookSecrets()).isEmpty();
        assertThat(store.get(ALERT_1).value().getCallbackUrl()).isEqualTo(CALLBACK);
    }

    @Test
    void anAlertSeenAgainWithAnotherIndexMovesToIt() {
        router.withIntruderAlert();
        router.alerts.pipeInput(ALERT_1, AlertBinding.newBuilder(Fixtures.intruderAlert()).setIndexId(SCENE_INDEX_2).build());

        router.scene(Fixtures.scene(STREAM, ACME, SCENE_INDEX, T0, 2));
        assertThat(router.fired.isEmpty()).isTrue();
        router.scene(Fixtures.scene(STREAM, ACME, SCENE_INDEX_2, T0, 2));
        assertThat(router.fired.readKeyValuesToMap()).containsOnlyKeys(ALERT_1);
    }

    @Test
    void firingTimesComeFromTheClockAndCooldownFromRecordTime() {
        router.withIntruderAlert();
        // Two records 90 s apart in record time, processed back to back (wall clock fixed): both fire.
        router.scene(Fixtures.scene(T0, 1));
        router.scene(Fixtures.scene(T0.plusSeconds(90), 1));

        assertThat(router.fired.readValuesToList()).extracting(AlertNotification::getTimestamp)
                .containsExactly(RouterDriver.NOW, RouterDriver.NOW);
    }
}
