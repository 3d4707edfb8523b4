package dev.vigil.alerts.evaluate;

import dev.vigil.alerts.record.IndexRecord;
import dev.vigil.common.playback.ClipLinks;
import dev.vigil.rules.record.NormalisedRecord;
import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.schemas.index.Detection;
import dev.vigil.schemas.index.SceneRecord;
import java.time.Instant;
import java.util.List;
import java.util.StringJoiner;

/**
 * The clip links of a notification: for a stream recorded ({@code store=true}) and a router configured with
 * {@link ClipLinks}, the stream and player URLs of the record's window (padded) and the snapshot of its
 * frame — a scene record's key frame with its detection boxes, otherwise the frame at the record's start.
 * Links expire a fixed time after the firing, so a reprocessed record gets the same ones.
 */
public final class NotificationClips {

    private static final int MAX_DESCRIPTION = 200;

    private NotificationClips() {
    }

    /** The clip of {@code record} fired at {@code firedAt}, or null when the stream is not recorded or links are off. */
    public static ClipLinks.Clip of(ClipLinks links, RtStreamSpec stream, IndexRecord record, String label, Instant firedAt) {
        if (links == null || stream == null || !stream.getStore()) {
            return null;
        }
        Instant frameAt = record.start();
        String boxes = "";
        if (record.value() instanceof SceneRecord scene && scene.getKeyFrameTs() != null) {
            frameAt = scene.getKeyFrameTs();
            StringJoiner joined = new StringJoiner(";");
            for (Detection d : scene.getDetections() == null ? List.<Detection>of() : scene.getDetections()) {
                joined.add(ClipLinks.box(d.getLabel(), d.getX(), d.getY(), d.getW(), d.getH()));
            }
            boxes = joined.toString();
        }
        String title = label + " on " + (stream.getName() == null ? stream.getId() : stream.getName());
        String text = record.text() == null ? "" : record.text().strip();
        String description = NormalisedRecord.wireName(record.channel()) + ": "
                + (text.length() > MAX_DESCRIPTION ? text.substring(0, MAX_DESCRIPTION) + "…" : text);
        return links.clip(stream.getId(), record.start(), record.end(), firedAt, title, description, frameAt, boxes);
    }
}
