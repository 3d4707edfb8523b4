package dev.vigil.common.playback;

import dev.vigil.common.secrets.SignedUrls;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The signed, expiring links to recorded media that control-api serves under {@value #PREFIX}: an HLS
 * playlist of a time range, a player page for it, one segment, a snapshot of a frame with detection
 * boxes, an exported MP4. Built here once so every service that hands out links (control-api's playback
 * API, the alert-router's notifications) spells them exactly as control-api verifies them. Times are
 * epoch milliseconds. Thread-safe.
 */
public final class PlaybackLinks {

    /** Path prefix of every media route; no API key needed there when the URL is signed. */
    public static final String PREFIX = "/play";

    private final SignedUrls signer;

    public PlaybackLinks(SignedUrls signer) {
        this.signer = Objects.requireNonNull(signer);
    }

    public SignedUrls signer() {
        return signer;
    }

    public static String playlistPath(String rtstreamId) {
        return PREFIX + "/" + rtstreamId + "/stream.m3u8";
    }

    public static String playerPath(String rtstreamId) {
        return PREFIX + "/" + rtstreamId + "/player";
    }

    public static String segmentPath(String rtstreamId) {
        return PREFIX + "/" + rtstreamId + "/segment.ts";
    }

    public static String snapshotPath(String rtstreamId) {
        return PREFIX + "/" + rtstreamId + "/snapshot.jpg";
    }

    public static String exportPath(String rtstreamId, String videoId) {
        return PREFIX + "/" + rtstreamId + "/export/" + videoId + ".mp4";
    }

    public static String exportPlayerPath(String rtstreamId, String videoId) {
        return PREFIX + "/" + rtstreamId + "/export/" + videoId + "/player";
    }

    /** {@code base} (scheme://host[:port][/path], no trailing slash) + the playlist of [fromMs, toMs). */
    public String playlist(String base, String rtstreamId, long fromMs, long toMs, Duration ttl) {
        return url(base, playlistPath(rtstreamId), range(fromMs, toMs), ttl);
    }

    /** The player page of [fromMs, toMs), titled {@code title} (may be null) with {@code description} (may be null). */
    public String player(String base, String rtstreamId, long fromMs, long toMs, String title, String description,
            Duration ttl) {
        return url(base, playerPath(rtstreamId), playerParams(fromMs, toMs, title, description), ttl);
    }

    /** One stored segment, valid until {@code expiresEpochSeconds} (the playlist's own expiry). */
    public String segment(String base, String rtstreamId, String key, long expiresEpochSeconds) {
        return base + segmentPath(rtstreamId) + "?" + signer.signUntil(segmentPath(rtstreamId), Map.of("key", key),
                expiresEpochSeconds);
    }

    /**
     * One stored segment cut to [fromOffsetMs, toOffsetMs) of its own time (milliseconds after its start), valid
     * until {@code expiresEpochSeconds}: the first or last part of a clip.
     */
    public String segmentPart(String base, String rtstreamId, String key, long fromOffsetMs, long toOffsetMs,
            long expiresEpochSeconds) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("key", key);
        params.put("from", Long.toString(fromOffsetMs));
        params.put("to", Long.toString(toOffsetMs));
        return base + segmentPath(rtstreamId) + "?" + signer.signUntil(segmentPath(rtstreamId), params, expiresEpochSeconds);
    }

    /**
     * The frame of {@code rtstreamId} captured at {@code atMs} (or the nearest one) with {@code boxes} drawn:
     * {@code label:x,y,w,h} in relative coordinates, ';'-separated (may be empty).
     */
    public String snapshot(String base, String rtstreamId, long atMs, String boxes, Duration ttl) {
        return url(base, snapshotPath(rtstreamId), snapshotParams(atMs, boxes), ttl);
    }

    public String export(String base, String rtstreamId, String videoId, Duration ttl) {
        return url(base, exportPath(rtstreamId, videoId), Map.of(), ttl);
    }

    public String exportPlayer(String base, String rtstreamId, String videoId, String title, Duration ttl) {
        Map<String, String> params = new LinkedHashMap<>();
        if (title != null) {
            params.put("title", title);
        }
        return url(base, exportPlayerPath(rtstreamId, videoId), params, ttl);
    }

    private String url(String base, String path, Map<String, String> params, Duration ttl) {
        return base + path + "?" + signer.sign(path, params, ttl);
    }

    private String url(String base, String path, Map<String, String> params, long expiresEpochSeconds) {
        return base + path + "?" + signer.signUntil(path, params, expiresEpochSeconds);
    }

    /** {@link #playlist} valid until {@code expiresEpochSeconds}: links computed from a record's time, reproducibly. */
    public String playlistUntil(String base, String rtstreamId, long fromMs, long toMs, long expiresEpochSeconds) {
        return url(base, playlistPath(rtstreamId), range(fromMs, toMs), expiresEpochSeconds);
    }

    /** {@link #player} valid until {@code expiresEpochSeconds}. */
    public String playerUntil(String base, String rtstreamId, long fromMs, long toMs, String title, String description,
            long expiresEpochSeconds) {
        return url(base, playerPath(rtstreamId), playerParams(fromMs, toMs, title, description), expiresEpochSeconds);
    }

    /** {@link #snapshot} valid until {@code expiresEpochSeconds}. */
    public String snapshotUntil(String base, String rtstreamId, long atMs, String boxes, long expiresEpochSeconds) {
        return url(base, snapshotPath(rtstreamId), snapshotParams(atMs, boxes), expiresEpochSeconds);
    }

    private static Map<String, String> playerParams(long fromMs, long toMs, String title, String description) {
        Map<String, String> params = range(fromMs, toMs);
        if (title != null) {
            params.put("title", title);
        }
        if (description != null) {
            params.put("description", description);
        }
        return params;
    }

    private static Map<String, String> snapshotParams(long atMs, String boxes) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("at", Long.toString(atMs));
        if (boxes != null && !boxes.isEmpty()) {
            params.put("boxes", boxes);
        }
        return params;
    }

    private static Map<String, String> range(long fromMs, long toMs) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("start", Long.toString(fromMs));
        params.put("end", Long.toString(toMs));
        return params;
    }
}
