package dev.vigil.alerts;

import dev.vigil.rules.CompiledRule;
import dev.vigil.rules.RuleCompiler;
import dev.vigil.rules.RuleException;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.AlertBinding;
import dev.vigil.schemas.control.AlertStatus;
import dev.vigil.schemas.control.ConditionOrigin;
import dev.vigil.schemas.control.EventRule;
import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.schemas.index.AudioRecord;
import dev.vigil.schemas.index.SceneRecord;
import dev.vigil.schemas.index.TranscriptRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Test fixture: control records and index records as control-api and the indexers write them, with
 * conditions compiled by the real rules module.
 */
public final class Fixtures {

    public static final String ACME = "acme";
    public static final String OTHER = "globex";
    public static final String STREAM = "rts-0190f1c4-5c4e-7a3b-9d2e-4f1a2b3c4d5e";
    public static final String STREAM_2 = "rts-0190f1c4-5c4e-7a3b-9d2e-4f1a2b3c4d5f";
    public static final String SCENE_INDEX = "5ce0000000000001";
    public static final String SCENE_INDEX_2 = "5ce0000000000002";
    public static final String AUDIO_INDEX = "a0d0000000000001";
    public static final String TRANSCRIPT_INDEX = "7c0000000000001a";
    public static final String INTRUDER_EVENT = "e000000000000001";
    public static final String ALARM_EVENT = "e000000000000002";
    public static final String HELP_EVENT = "e000000000000003";
    public static final String ALERT_1 = "a100000000000001";
    public static final String ALERT_2 = "a100000000000002";
    public static final String CALLBACK = "https://hooks.example.com/vigil";
    public static final String WS = "wsc-00000000000000aa";
    /** A scene window is 2 s long. */
    public static final Duration WINDOW = Duration.ofSeconds(2);
    public static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private static final RuleCompiler RULES = RuleCompiler.create(false);
    private static final RuleCompiler JUDGED_RULES = RuleCompiler.create(true);

    static {
        // Avro 1.12 only lets the generated classes be instantiated reflectively (as Builder copies do)
        // once their serdes have trusted them; creating the catalogue's serdes does that.
        java.util.Objects.requireNonNull(Topics.ALL);
    }

    private Fixtures() {
    }

    /** An event compiled from {@code prompt} by the rules module, as control-api stores it. */
    public static EventRule event(String id, String collection, String label, String prompt) {
        try {
            CompiledRule rule = RULES.compile(prompt, null);
            return EventRule.newBuilder().setId(id).setCollectionId(collection).setEventPrompt(prompt).setLabel(label)
                    .setCondition(rule.condition()).setConditionOrigin(rule.origin())
                    .setCreatedAt(T0.minusSeconds(3600)).setUpdatedAt(T0.minusSeconds(3600)).build();
        } catch (RuleException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * An event whose prompt the offline vocabulary cannot express, compiled as control-api does with a
     * text model configured: origin LLM_JUDGE, condition {@code true}.
     */
    public static EventRule judgedEvent(String id, String collection, String label, String prompt) {
        try {
            CompiledRule rule = JUDGED_RULES.compile(prompt, null);
            if (rule.origin() != ConditionOrigin.LLM_JUDGE) {
                throw new IllegalArgumentException("the vocabulary expresses \"" + prompt + "\": " + rule.condition());
            }
            return EventRule.newBuilder().setId(id).setCollectionId(collection).setEventPrompt(prompt).setLabel(label)
                    .setCondition(rule.condition()).setConditionOrigin(rule.origin())
                    .setCreatedAt(T0.minusSeconds(3600)).setUpdatedAt(T0.minusSeconds(3600)).build();
        } catch (RuleException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static EventRule intruderEvent() {
        return event(INTRUDER_EVENT, ACME, "intruder", "Detect intruder");
    }

    /** An event with an explicit condition (origin EXPLICIT), not checked here. */
    public static EventRule explicitEvent(String id, String collection, String label, String condition) {
        return EventRule.newBuilder().setId(id).setCollectionId(collection).setEventPrompt(label).setLabel(label)
                .setCondition(condition).setConditionOrigin(ConditionOrigin.EXPLICIT)
                .setCreatedAt(T0.minusSeconds(3600)).setUpdatedAt(T0.minusSeconds(3600)).build();
    }

    public static AlertBinding alert(String id, String collection, String rtstream, String index, String event) {
        return AlertBinding.newBuilder().setId(id).setCollectionId(collection).setRtstreamId(rtstream).setIndexId(index)
                .setEventId(event).setCallbackUrl(CALLBACK).setWsConnectionId(WS).setStatus(AlertStatus.ENABLED)
                .setCooldownS(60).setWebhookSecret("whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0")
                .setWebhookSecrets(java.util.List.of(dev.vigil.schemas.control.SealedSecret.newBuilder()
                        .setKeyId("k1").setSealed("c2VhbGVkc2VhbGVkc2VhbGVkc2VhbGVkc2VhbGVk").build()))
                .setCreatedAt(T0.minusSeconds(600)).setUpdatedAt(T0.minusSeconds(600)).build();
    }

    /** ALERT_1: the intruder event on the scene index of STREAM, collection acme. */
    public static AlertBinding intruderAlert() {
        return alert(ALERT_1, ACME, STREAM, SCENE_INDEX, INTRUDER_EVENT);
    }

    public static RtStreamSpec stream(String id, String collection, String name) {
        return RtStreamSpec.newBuilder().setId(id).setCollectionId(collection).setName(name)
                .setUrl("rtsp://cam.example.com/live").setCreatedAt(T0.minusSeconds(3600))
                .setUpdatedAt(T0.minusSeconds(3600)).build();
    }

    /** A scene window of STREAM's scene index (collection acme) from {@code start}, with {@code people} people. */
    public static SceneRecord scene(Instant start, int people) {
        return scene(STREAM, ACME, SCENE_INDEX, start, people);
    }

    public static SceneRecord scene(String rtstream, String collection, String index, Instant start, int people) {
        return SceneRecord.newBuilder().setRtstreamId(rtstream).setCollectionId(collection).setIndexId(index)
                .setStart(start).setEnd(start.plus(WINDOW))
                .setText(people == 0 ? "An empty room." : people + " person(s) in view.")
                .setLabels(people == 0 ? List.of() : List.of("person", "motion"))
                .setCounts(Map.of("people", people)).setMotion(people == 0 ? 0.0 : 0.1).setBrightness(0.5)
                .setFrameCount(2).setConfidence(0.8).setEngine("opencv")
                .setCaptureTs(start.plus(WINDOW)).setEmitTs(start.plus(WINDOW).plusMillis(40))
                .build();
    }

    public static AudioRecord audio(Instant start, List<String> labels, double loudness) {
        return AudioRecord.newBuilder().setRtstreamId(STREAM).setCollectionId(ACME).setIndexId(AUDIO_INDEX)
                .setStart(start).setEnd(start.plus(WINDOW)).setText("Sound: " + String.join(", ", labels) + ".")
                .setLabels(labels).setLoudnessDbfs(loudness).setPeakDbfs(loudness + 6).setConfidence(0.7)
                .setEngine("dsp").setCaptureTs(start.plus(WINDOW)).setEmitTs(start.plus(WINDOW).plusMillis(20))
                .build();
    }

    public static TranscriptRecord transcript(Instant start, String text) {
        return TranscriptRecord.newBuilder().setRtstreamId(STREAM).setCollectionId(ACME).setIndexId(TRANSCRIPT_INDEX)
                .setStart(start).setEnd(start.plusMillis(1_500)).setText(text).setIsFinal(true).setConfidence(0.9)
                .setEngine("sphinx4").setCaptureTs(start.plusMillis(1_500)).setEmitTs(start.plusMillis(1_700))
                .build();
    }
}
