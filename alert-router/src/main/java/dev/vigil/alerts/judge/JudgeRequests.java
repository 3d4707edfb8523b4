package dev.vigil.alerts.judge;

import dev.vigil.alerts.evaluate.AlertEvaluator;
import dev.vigil.alerts.evaluate.Candidate;
import dev.vigil.alerts.record.IndexRecord;
import dev.vigil.schemas.alerts.JudgeRequest;
import dev.vigil.schemas.alerts.JudgedAlert;
import dev.vigil.schemas.control.AlertBinding;
import dev.vigil.schemas.control.AlertStatus;
import dev.vigil.schemas.control.ConditionOrigin;
import dev.vigil.schemas.control.EventRule;
import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.alerts.evaluate.NotificationClips;
import dev.vigil.common.playback.ClipLinks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The topology's half of judged events: for an index record joined with its stream's alerts, writes
 * <em>one</em> {@link JudgeRequest} naming every judged alert of the record's index that applies to it —
 * enabled, of the record's collection, its event known, of the same collection and of origin
 * {@code LLM_JUDGE} — however many there are, and nothing when none applies or the record has no text
 * to judge. The {@link JudgeWorker} asks the model off the Streams thread; nothing here blocks.
 *
 * <p>The same checks as {@code AlertMatcher} makes before a condition (which counts the skips: they are
 * not counted twice here). The cooldown is not checked here: its state is the worker's (see
 * alert-router/DESIGN.md), and the worker checks it before asking. The alerts and events are copied into
 * the request as they are now (the join's semantics: a record sees the alerts as they are when it is
 * routed), so the worker needs no table of its own.
 */
public final class JudgeRequests implements FixedKeyProcessor<String, Candidate, JudgeRequest> {

    private final Duration defaultCooldown;
    private final Clock clock;
    private final ClipLinks clips;
    private FixedKeyProcessorContext<String, JudgeRequest> context;
    private KeyValueStore<String, EventRule> events;
    private KeyValueStore<String, RtStreamSpec> rtstreams;

    /** {@code clips}: links for recorded streams (signed as of {@code clock} now), or null for none. */
    public JudgeRequests(Duration defaultCooldown, Clock clock, ClipLinks clips) {
        this.defaultCooldown = defaultCooldown;
        this.clock = clock;
        this.clips = clips;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, JudgeRequest> context) {
        this.context = context;
        this.events = context.getStateStore(AlertEvaluator.EVENTS_STORE);
        this.rtstreams = context.getStateStore(AlertEvaluator.RTSTREAMS_STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, Candidate> in) {
        IndexRecord record = in.value().record();
        if (record.text() == null || record.text().isBlank()) {
            return; // nothing for the judge to read
        }
        List<JudgedAlert> judged = judgedAlerts(record, in.value().alerts().forIndex(record.indexId()));
        if (judged.isEmpty()) {
            return;
        }
        RtStreamSpec stream = rtstreams.get(record.rtstreamId());
        // Signed now, when the record is routed: the judged notification fires moments later with these links.
        ClipLinks.Clip clip = NotificationClips.of(clips, stream, record, judged.get(0).getLabel(), clock.instant());
        JudgeRequest request = JudgeRequest.newBuilder()
                .setCollectionId(record.collectionId())
                .setRtstreamId(record.rtstreamId())
                .setRtstreamName(stream == null || stream.getName() == null ? "" : stream.getName())
                .setIndexId(record.indexId())
                .setChannel(record.channel())
                .setText(record.text())
                .setStart(record.start())
                .setEnd(record.end())
                .setRecordEmitTs(record.emitTs())
                .setRecordTime(Instant.ofEpochMilli(in.timestamp()))
                .setNotificationKey(record.notificationKey())
                .setAlerts(judged)
                .setStreamUrl(clip == null ? null : clip.streamUrl())
                .setPlayerUrl(clip == null ? null : clip.playerUrl())
                .setSnapshotUrl(clip == null ? null : clip.snapshotUrl())
                .build();
        context.forward(in.withValue(request));
    }

    private List<JudgedAlert> judgedAlerts(IndexRecord record, List<AlertBinding> alerts) {
        List<JudgedAlert> judged = new ArrayList<>(0);
        for (AlertBinding alert : alerts) {
            if (alert.getStatus() != AlertStatus.ENABLED
                    || !Objects.equals(alert.getCollectionId(), record.collectionId())) {
                continue;
            }
            EventRule event = events.get(alert.getEventId());
            if (event == null || event.getConditionOrigin() != ConditionOrigin.LLM_JUDGE
                    || !Objects.equals(event.getCollectionId(), alert.getCollectionId())) {
                continue;
            }
            judged.add(JudgedAlert.newBuilder()
                    .setAlertId(alert.getId())
                    .setEventId(event.getId())
                    .setLabel(event.getLabel())
                    .setEventPrompt(event.getEventPrompt() == null || event.getEventPrompt().isBlank()
                            ? event.getLabel() : event.getEventPrompt())
                    .setCooldownMs(cooldownOf(alert).toMillis())
                    .setCallbackUrl(alert.getCallbackUrl())
                    .setWsConnectionId(alert.getWsConnectionId())
                    .build());
        }
        return judged;
    }

    private Duration cooldownOf(AlertBinding alert) {
        // As for condition alerts (AlertEvaluator): a negative cooldown_s falls back to the default.
        return alert.getCooldownS() >= 0 ? Duration.ofSeconds(alert.getCooldownS()) : defaultCooldown;
    }
}
