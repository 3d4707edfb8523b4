package dev.vigil.alerts.judge;

import dev.vigil.rules.judge.Verdict;
import dev.vigil.rules.record.NormalisedRecord;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.alerts.JudgeRequest;
import dev.vigil.schemas.alerts.JudgedAlert;
import java.time.Instant;

/**
 * The {@link AlertNotification} of a judged alert whose verdict matched: the record's fields as for a
 * condition alert, the verdict's confidence and its explanation.
 */
final class JudgedNotifications {

    private JudgedNotifications() {
    }

    static AlertNotification create(String id, JudgeRequest request, JudgedAlert alert, Verdict verdict,
            Instant firedAt) {
        return AlertNotification.newBuilder()
                .setId(id)
                .setCollectionId(request.getCollectionId())
                .setAlertId(alert.getAlertId())
                .setEventId(alert.getEventId())
                .setLabel(alert.getLabel())
                .setRtstreamId(request.getRtstreamId())
                .setRtstreamName(request.getRtstreamName())
                .setIndexId(request.getIndexId())
                .setChannel(request.getChannel())
                .setText(request.getText())
                .setConfidence(verdict.confidence())
                .setExplanation(explanation(request, alert, verdict))
                .setStart(request.getStart())
                .setEnd(request.getEnd())
                .setTimestamp(firedAt)
                .setRecordEmitTs(request.getRecordEmitTs())
                .setCallbackUrl(alert.getCallbackUrl())
                .setWsConnectionId(alert.getWsConnectionId())
                .setStreamUrl(request.getStreamUrl())
                .setPlayerUrl(request.getPlayerUrl())
                .setSnapshotUrl(request.getSnapshotUrl())
                .build();
    }

    /**
     * E.g. {@code The worker wears no helmet. (Event "helmet" judged by the text model on the scene_index
     * record from 2026-01-05T10:00:00Z to 2026-01-05T10:00:02Z against the prompt "Detect person without helmet".)}
     */
    static String explanation(JudgeRequest request, JudgedAlert alert, Verdict verdict) {
        String why = verdict.explanation().isBlank() ? "The judge found a match." : verdict.explanation().strip();
        return why + " (Event \"" + alert.getLabel() + "\" judged by the text model on the "
                + NormalisedRecord.wireName(request.getChannel()) + " record from " + request.getStart() + " to "
                + request.getEnd() + " against the prompt \"" + alert.getEventPrompt() + "\".)";
    }
}
