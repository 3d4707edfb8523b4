package dev.vigil.api.playback;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Writes an HLS VOD media playlist (RFC 8216) over recorded MPEG-TS segments. {@link #select} makes a
 * range's parts: the segments inside it whole, the first and last cut to the range ({@link SegmentTrimmer}
 * serves those cut, from the nearest key frame), so the clip is the range and not whole segments around it.
 * An {@code EXT-X-DISCONTINUITY} precedes every segment that starts a new ingest session (new timestamps,
 * possibly new codec parameters) or follows a gap in the recording, so players reset their decoders there
 * instead of stalling.
 */
public final class HlsPlaylist {

    /** A gap longer than this between two segments of one session is a discontinuity too (lost segments). */
    static final long GAP_MS = 1_000;
    /**
     * A segment overlapping the range by less than this is left out, unless nothing else overlaps: cut from its
     * nearest key frame, such a sliver would add up to a key-frame interval of picture outside the range.
     */
    static final long MIN_PART_MS = 250;
    /** A cut this close to a segment's edge keeps the edge: the segment is served whole (and presignable). */
    static final long EDGE_MS = 40;

    private HlsPlaylist() {
    }

    /**
     * The parts that make up [fromMs, toMs): every segment overlapping it by at least {@link #MIN_PART_MS} (or,
     * when none does, the one overlapping most), the first and last cut to the range.
     */
    static List<ClipPart> select(List<Segment> overlapping, long fromMs, long toMs) {
        List<ClipPart> parts = new ArrayList<>();
        Segment best = null;
        for (Segment s : overlapping) {
            long inside = s.overlapMs(fromMs, toMs);
            if (inside >= MIN_PART_MS) {
                parts.add(part(s, fromMs, toMs));
            }
            if (best == null || inside > best.overlapMs(fromMs, toMs)) {
                best = s;
            }
        }
        if (parts.isEmpty() && best != null && best.overlapMs(fromMs, toMs) > 0) {
            parts.add(part(best, fromMs, toMs));
        }
        return parts;
    }

    private static ClipPart part(Segment s, long fromMs, long toMs) {
        long from = fromMs - s.startMs() <= EDGE_MS ? s.startMs() : fromMs;
        long to = s.endMs() - toMs <= EDGE_MS ? s.endMs() : toMs;
        return new ClipPart(s, from, to);
    }

    /** Total media time of {@code parts}, seconds. */
    static double durationSeconds(List<ClipPart> parts) {
        return parts.stream().mapToLong(ClipPart::durationMs).sum() / 1000.0;
    }

    /** The playlist text; {@code uri} gives each part's URL (absolute, or relative to the playlist). */
    static String write(List<ClipPart> parts, Function<ClipPart, String> uri) {
        long target = 1;
        for (ClipPart p : parts) {
            // EXT-X-TARGETDURATION: every EXTINF rounded to the nearest integer must be <= it.
            target = Math.max(target, Math.round(p.durationMs() / 1000.0));
        }
        StringBuilder m3u8 = new StringBuilder(256 + parts.size() * 200)
                .append("#EXTM3U\n")
                .append("#EXT-X-VERSION:3\n")
                .append("#EXT-X-PLAYLIST-TYPE:VOD\n")
                .append("#EXT-X-TARGETDURATION:").append(target).append('\n')
                .append("#EXT-X-MEDIA-SEQUENCE:0\n");
        Segment previous = null;
        for (ClipPart p : parts) {
            Segment s = p.segment();
            if (previous != null && startsDiscontinuity(previous, s)) {
                m3u8.append("#EXT-X-DISCONTINUITY\n");
            }
            if (previous == null || startsDiscontinuity(previous, s)) {
                // Wall-clock time of the part: players show it, and the dashboard maps alerts onto the timeline.
                m3u8.append("#EXT-X-PROGRAM-DATE-TIME:").append(Instant.ofEpochMilli(p.fromMs())).append('\n');
            }
            m3u8.append(String.format(Locale.ROOT, "#EXTINF:%.3f,", p.durationMs() / 1000.0)).append('\n')
                    .append(uri.apply(p)).append('\n');
            previous = s;
        }
        return m3u8.append("#EXT-X-ENDLIST\n").toString();
    }

    /**
     * A live media playlist (RFC 8216 §6.2.1, no {@code EXT-X-ENDLIST}) over the newest segments of one session,
     * a sliding window: {@code EXT-X-MEDIA-SEQUENCE} is the first segment's sequence number in its session (the
     * recorder numbers them 0, 1, 2, ...), {@code EXT-X-DISCONTINUITY-SEQUENCE} counts the gaps of the session
     * before the window, so a player polling it sees each segment once, in order. {@code ended}: the stream is
     * stopped, so the playlist is final ({@code EXT-X-ENDLIST}) and players stop polling.
     *
     * @param session the whole session, by start; the window is its last {@code window} segments
     */
    static String writeLive(List<Segment> session, int window, boolean ended, Function<ClipPart, String> uri) {
        List<Segment> live = session.subList(Math.max(0, session.size() - window), session.size());
        int gapsBefore = 0;
        for (int i = 1; i < session.size() - live.size() + 1 && i < session.size(); i++) {
            if (startsDiscontinuity(session.get(i - 1), session.get(i))) {
                gapsBefore++;
            }
        }
        long target = 1;
        for (Segment s : live) {
            // As for VOD: every EXTINF rounded to the nearest integer must be <= it (RFC 8216 §4.3.3.1).
            target = Math.max(target, Math.round(s.durationMs() / 1000.0));
        }
        StringBuilder m3u8 = new StringBuilder(256 + live.size() * 200)
                .append("#EXTM3U\n")
                .append("#EXT-X-VERSION:3\n")
                .append("#EXT-X-TARGETDURATION:").append(target).append('\n')
                .append("#EXT-X-MEDIA-SEQUENCE:").append(live.isEmpty() ? 0 : live.get(0).seq()).append('\n')
                .append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(gapsBefore).append('\n');
        Segment previous = null;
        for (Segment s : live) {
            if (previous != null && startsDiscontinuity(previous, s)) {
                m3u8.append("#EXT-X-DISCONTINUITY\n");
            }
            if (previous == null || startsDiscontinuity(previous, s)) {
                m3u8.append("#EXT-X-PROGRAM-DATE-TIME:").append(Instant.ofEpochMilli(s.startMs())).append('\n');
            }
            m3u8.append(String.format(Locale.ROOT, "#EXTINF:%.3f,", s.durationMs() / 1000.0)).append('\n')
                    .append(uri.apply(ClipPart.whole(s))).append('\n');
            previous = s;
        }
        if (ended) {
            m3u8.append("#EXT-X-ENDLIST\n");
        }
        return m3u8.toString();
    }

    static boolean startsDiscontinuity(Segment previous, Segment next) {
        return next.discontinuity() || !next.sessionId().equals(previous.sessionId())
                || next.startMs() - previous.endMs() > GAP_MS;
    }
}
