package dev.vigil.common.playback;

import dev.vigil.common.config.Setting;
import dev.vigil.common.config.Settings;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The links an alert notification of a recorded stream carries (AlertNotification {@code stream_url},
 * {@code player_url}, {@code snapshot_url}): the alert's window padded by a few seconds on each side, and
 * the matching frame with its detection boxes. They expire {@code ttl} after the firing time, so the same
 * firing always gets the same links (a reprocessed record, a redelivered webhook), and they outlive the
 * webhook retry schedule. Built by the alert-router; control-api serves them ({@link PlaybackLinks}).
 */
public final class ClipLinks {

    public static final Setting<Duration> TTL = Settings.duration("VIGIL_ALERT_CLIP_TTL", Duration.ofDays(7),
            "How long the stream_url, player_url and snapshot_url of an alert notification stay valid after it fired "
                    + "(they outlive the webhook retries; the recording's retention may end them earlier).")
            .check(d -> d.toMinutes() >= 1 && d.toDays() <= 90, "between 1m and 90d");
    public static final Setting<Duration> PADDING = Settings.duration("VIGIL_ALERT_CLIP_PADDING", Duration.ofSeconds(5),
            "Recording added before and after an alert's window in its clip.")
            .check(d -> d.toSeconds() <= 300, "at most 5m");

    /** The three links of one alert. */
    public record Clip(String streamUrl, String playerUrl, String snapshotUrl) {
    }

    private final PlaybackLinks links;
    private final String base;
    private final Duration ttl;
    private final Duration padding;

    public ClipLinks(PlaybackLinks links, String base, Duration ttl, Duration padding) {
        this.links = links;
        this.base = base;
        this.ttl = ttl;
        this.padding = padding;
    }

    /**
     * The links of an alert on {@code rtstreamId} for the record [{@code start}, {@code end}], fired at
     * {@code firedAt}; the snapshot shows the frame captured at {@code frameAt} with {@code boxes}
     * ({@link #boxes} format, may be empty).
     */
    public Clip clip(String rtstreamId, Instant start, Instant end, Instant firedAt, String title, String description,
            Instant frameAt, String boxes) {
        long expires = firedAt.plus(ttl).getEpochSecond() + 1;
        long from = start.minus(padding).toEpochMilli();
        long to = Math.max(end.plus(padding).toEpochMilli(), from + 1);
        return new Clip(links.playlistUntil(base, rtstreamId, from, to, expires),
                links.playerUntil(base, rtstreamId, from, to, title, description, expires),
                links.snapshotUntil(base, rtstreamId, frameAt.toEpochMilli(), boxes, expires));
    }

    /** One box in the snapshot's {@code boxes} parameter: {@code label:x,y,w,h} (relative, 3 decimals). */
    public static String box(String label, double x, double y, double w, double h) {
        return String.format(Locale.ROOT, "%s:%.3f,%.3f,%.3f,%.3f", label.replaceAll("[^A-Za-z0-9_ -]", ""), x, y, w, h);
    }
}
