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
    void selectsTheSegmentsHalfOrMoreInsideTheRange() {
        assertThat(HlsPlaylist.select(FOUR, 900, 5100)).extracting(Segment::seq).containsExactly(0L, 1L, 2L);
        assertThat(HlsPlaylist.select(FOUR, 1100, 4900)).extracting(Segment::seq).containsExactly(1L);
        assertThat(HlsPlaylist.select(FOUR, 2100, 2500)).as("a range shorter than half a segment").extracting(Segment::seq)
                .containsExactly(1L);
        assertThat(HlsPlaylist.select(FOUR, 9000, 9500)).isEmpty();
    }

    @Test
    void writesAVodPlaylistWithDiscontinuitiesAtSessionsAndGaps() {
        List<Segment> segments = List.of(seg("a", 0, 0, 2000), seg("a", 1, 2000, 4000), seg("b", 0, 9000, 11_000),
                seg("b", 1, 11_000, 13_500), seg("b", 2, 16_000, 18_000));
        String m3u8 = HlsPlaylist.write(segments, s -> "seg/" + s.seq());
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
        assertThat(HlsPlaylist.durationSeconds(segments)).isEqualTo(10.5);
    }
}
