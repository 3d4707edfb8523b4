package dev.vigil.api.playback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HlsPlaylistTest {

    private static Segment seg(String session, long seq, long start, long end) {
        return new Segment("c/rts/" + start + "-" + session + "-" + seq + ".ts", "rts", "c", session, seq, start, end, 1000,
                seq == 0);
    }

    private static final List<Segment> FOUR = List.of(seg("a", 0, 0, 2000), seg("a", 1, 2000, 4000), seg("a", 2, 4000, 6000),
            seg("a", 3, 6000, 8000));

    @Test
    void selectsTheOverlappingSegmentsCuttingTheFirstAndLastToTheRange() {
        assertThat(HlsPlaylist.select(FOUR, 900, 5100)).containsExactly(new ClipPart(FOUR.get(0), 900, 2000),
                ClipPart.whole(FOUR.get(1)), new ClipPart(FOUR.get(2), 4000, 5100));
        assertThat(HlsPlaylist.select(FOUR, 2100, 2500)).as("a range inside one segment")
                .containsExactly(new ClipPart(FOUR.get(1), 2100, 2500));
        assertThat(HlsPlaylist.select(FOUR, 9000, 9500)).isEmpty();
        assertThat(HlsPlaylist.durationSeconds(HlsPlaylist.select(FOUR, 900, 5100))).isEqualTo(4.2);
    }

    @Test
    void leavesOutSliversAndKeepsEdgesWithinTolerance() {
        // 100 ms of segment 0 and 200 ms of segment 2: left out (cut from a key frame they would add more than they hold).
        assertThat(HlsPlaylist.select(FOUR, 1900, 4200)).containsExactly(ClipPart.whole(FOUR.get(1)));
        // Cuts within 40 ms of a segment's edge keep the whole segment (presignable, no cutting).
        List<ClipPart> parts = HlsPlaylist.select(FOUR, 1970, 6030);
        assertThat(parts).containsExactly(ClipPart.whole(FOUR.get(1)), ClipPart.whole(FOUR.get(2)));
        assertThat(parts).noneMatch(ClipPart::trimmed);
        // A short range in a sliver only is still answered with what overlaps it most.
        assertThat(HlsPlaylist.select(FOUR, 1950, 2100)).containsExactly(new ClipPart(FOUR.get(1), 2000, 2100));
    }

    @Test
    void writesAVodPlaylistWithDiscontinuitiesAtSessionsAndGaps() {
        List<Segment> segments = List.of(seg("a", 0, 0, 2000), seg("a", 1, 2000, 4000), seg("b", 0, 9000, 11_000),
                seg("b", 1, 11_000, 13_500), seg("b", 2, 16_000, 18_000));
        String m3u8 = HlsPlaylist.write(segments.stream().map(ClipPart::whole).toList(), p -> "seg/" + p.segment().seq());
        assertThat(m3u8).isEqualTo("""
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-PLAYLIST-TYPE:VOD
                #EXT-X-TARGETDURATION:3
                #EXT-X-MEDIA-SEQUENCE:0
                #EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:00:00Z
                #EXTINF:2.000,
                seg/0
                #EXTINF:2.000,
                seg/1
                #EXT-X-DISCONTINUITY
                #EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:00:09Z
                #EXTINF:2.000,
                seg/0
                #EXTINF:2.500,
                seg/1
                #EXT-X-DISCONTINUITY
                #EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:00:16Z
                #EXTINF:2.000,
                seg/2
                #EXT-X-ENDLIST
                """);
        assertThat(HlsPlaylist.durationSeconds(segments.stream().map(ClipPart::whole).toList())).isEqualTo(10.5);
    }

    @Test
    void aCutPartStartsTheTimeAtItsOwnStart() {
        String m3u8 = HlsPlaylist.write(HlsPlaylist.select(FOUR, 1500, 3000), p -> p.trimmed() ? "cut" : "whole");
        assertThat(m3u8).contains("#EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:00:01.500Z\n#EXTINF:0.500,\ncut\n"
                + "#EXTINF:1.000,\ncut\n");
    }

    @Test
    void aLivePlaylistSlidesOverTheSessionsLastSegmentsWithoutAnEnd() {
        // Seven segments; a gap before seq 3 and before seq 6.
        List<Segment> session = List.of(seg("a", 0, 0, 2000), seg("a", 1, 2000, 4000), seg("a", 2, 4000, 6000),
                seg("a", 3, 9000, 11_000), seg("a", 4, 11_000, 13_000), seg("a", 5, 13_000, 15_000), seg("a", 6, 17_000, 18_500));
        String m3u8 = HlsPlaylist.writeLive(session, 3, false, p -> "seg/" + p.segment().seq());
        assertThat(m3u8).isEqualTo("""
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-TARGETDURATION:2
                #EXT-X-MEDIA-SEQUENCE:4
                #EXT-X-DISCONTINUITY-SEQUENCE:1
                #EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:00:11Z
                #EXTINF:2.000,
                seg/4
                #EXTINF:2.000,
                seg/5
                #EXT-X-DISCONTINUITY
                #EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:00:17Z
                #EXTINF:1.500,
                seg/6
                """);
        assertThat(HlsPlaylist.writeLive(session, 3, true, p -> "x")).endsWith("#EXT-X-ENDLIST\n");
        assertThat(HlsPlaylist.writeLive(session.subList(0, 2), 3, false, p -> "x")).contains("#EXT-X-MEDIA-SEQUENCE:0\n",
                "#EXT-X-DISCONTINUITY-SEQUENCE:0\n");
    }
}
