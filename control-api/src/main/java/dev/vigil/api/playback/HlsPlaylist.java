package dev.vigil.api.playback;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Writes an HLS VOD media playlist (RFC 8216) over recorded MPEG-TS segments: whole segments, since a
 * remuxed segment can only be cut at a key frame. {@link #select} picks the segments of a range so the
 * playlist covers it to within half a segment at each end; an {@code EXT-X-DISCONTINUITY} precedes every
 * segment that starts a new ingest session (new timestamps, possibly new codec parameters) or follows a
 * gap in the recording, so players reset their decoders there instead of stalling.
 */
public final class HlsPlaylist {

    /** A gap longer than this between two segments of one session is a discontinuity too (lost segments). */
    static final long GAP_MS = 1_000;

    private HlsPlaylist() {
    }

    /**
     * The segments that make up [fromMs, toMs): those with at least half of their duration inside the range,
     * or, when none qualifies (a range shorter than half a segment), the one overlapping it most.
     */
    public static List<Segment> select(List<Segment> overlapping, long fromMs, long toMs) {
        List<Segment> chosen = new ArrayList<>();
        Segment best = null;
        for (Segment s : overlapping) {
            long inside = s.overlapMs(fromMs, toMs);
            if (inside * 2 >= s.durationMs() && inside > 0) {
                chosen.add(s);
            }
            if (best == null || inside > best.overlapMs(fromMs, toMs)) {
                best = s;
            }
        }
        if (chosen.isEmpty() && best != null && best.overlapMs(fromMs, toMs) > 0) {
            chosen.add(best);
        }
        return chosen;
    }

    /** Total media time of {@code segments}, seconds. */
    public static double durationSeconds(List<Segment> segments) {
        return segments.stream().mapToLong(Segment::durationMs).sum() / 1000.0;
    }

    /** The playlist text; {@code uri} gives each segment's URL (absolute, or relative to the playlist). */
    public static String write(List<Segment> segments, Function<Segment, String> uri) {
        long target = 1;
        for (Segment s : segments) {
            // EXT-X-TARGETDURATION: every EXTINF rounded to the nearest integer must be <= it.
            target = Math.max(target, Math.round(s.durationMs() / 1000.0));
        }
        StringBuilder m3u8 = new StringBuilder(256 + segments.size() * 200)
                .append("#EXTM3U\n")
                .append("#EXT-X-VERSION:3\n")
                .append("#EXT-X-PLAYLIST-TYPE:VOD\n")
                .append("#EXT-X-TARGETDURATION:").append(target).append('\n')
                .append("#EXT-X-MEDIA-SEQUENCE:0\n");
        Segment previous = null;
        for (Segment s : segments) {
            if (previous != null && startsDiscontinuity(previous, s)) {
                m3u8.append("#EXT-X-DISCONTINUITY\n");
            }
            if (previous == null || startsDiscontinuity(previous, s)) {
                // Wall-clock time of the segment: players show it, and the dashboard maps alerts onto the timeline.
                m3u8.append("#EXT-X-PROGRAM-DATE-TIME:").append(Instant.ofEpochMilli(s.startMs())).append('\n');
            }
            m3u8.append(String.format(Locale.ROOT, "#EXTINF:%.3f,", s.durationMs() / 1000.0)).append('\n')
                    .append(uri.apply(s)).append('\n');
            previous = s;
        }
        return m3u8.append("#EXT-X-ENDLIST\n").toString();
    }

    static boolean startsDiscontinuity(Segment previous, Segment next) {
        return next.discontinuity() || !next.sessionId().equals(previous.sessionId())
                || next.startMs() - previous.endMs() > GAP_MS;
    }
}
