package dev.vigil.alerts.evaluate;

import dev.vigil.alerts.record.IndexRecord;
import dev.vigil.common.playback.ClipLinks;
import dev.vigil.rules.record.NormalisedRecord;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.control.AlertBinding;
import dev.vigil.schemas.control.ConditionOrigin;
import dev.vigil.schemas.control.EventRule;
import java.time.Instant;

/**
 * Builds the {@link AlertNotification} written to {@code vigil.alerts.fired} (docs/videodb-wire.md): the
 * matched record's stream, index, channel, text, confidence and media times, the event's label, the
 * alert's delivery targets, and a sentence saying which condition matched.
 */
public final class Notifications {

    private Notifications() {
    }

    /**
     * @param id           {@code Ids.notificationId(alertId, record.notificationKey())}
     * @param rtstreamName the stream's name now, or "" when unknown
     * @param firedAt      the router's clock when it fired
     * @param clip         the clip links (recorded streams), or null
     */
    public static AlertNotification create(String id, Match match, IndexRecord record, String rtstreamName,
            Instant firedAt, ClipLinks.Clip clip) {
        AlertBinding alert = match.alert();
        EventRule event = match.event();
        return AlertNotification.newBuilder()
                .setId(id)
                .setCollectionId(alert.getCollectionId())
                .setAlertId(alert.getId())
                .setEventId(event.getId())
                .setLabel(event.getLabel())
                .setRtstreamId(record.rtstreamId())
                .setRtstreamName(rtstreamName)
                .setIndexId(record.indexId())
                .setChannel(record.channel())
                .setText(record.text())
                .setConfidence(clamp(record.confidence()))
                .setExplanation(explanation(match, record))
                .setStart(record.start())
                .setEnd(record.end())
                .setTimestamp(firedAt)
                .setRecordEmitTs(record.emitTs())
                .setCallbackUrl(alert.getCallbackUrl())
                .setWsConnectionId(alert.getWsConnectionId())
                .setStreamUrl(clip == null ? null : clip.streamUrl())
                .setPlayerUrl(clip == null ? null : clip.playerUrl())
                .setSnapshotUrl(clip == null ? null : clip.snapshotUrl())
                .build();
    }

    /**
     * E.g. {@code Event "intruder" matched the scene_index record from 2026-01-05T10:00:00Z to
     * 2026-01-05T10:00:02Z: its condition channel == "scene_index" && counts.people >= 1 (compiled from
     * the prompt "Detect intruder") is true.}
     */
    static String explanation(Match match, IndexRecord record) {
        EventRule event = match.event();
        String origin = event.getConditionOrigin() == ConditionOrigin.PROMPT
                ? " (compiled from the prompt \"" + event.getEventPrompt() + "\")"
                : " (explicit condition)";
        return "Event \"" + event.getLabel() + "\" matched the " + NormalisedRecord.wireName(record.channel())
                + " record from " + record.start() + " to " + record.end() + ": its condition "
                + match.condition().expression() + origin + " is true.";
    }

    // The schema promises [0, 1]; engines are not all careful about it.
    private static double clamp(double confidence) {
        if (Double.isNaN(confidence)) {
            return 0.0;
        }
        return Math.max(0.0, Math.min(1.0, confidence));
    }
}
