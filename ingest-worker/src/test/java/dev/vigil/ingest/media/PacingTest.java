package dev.vigil.ingest.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.source.SourceKind;
import org.junit.jupiter.api.Test;

class PacingTest {

    private static final long THIRTY_SECONDS_US = 30_000_000L;

    @Test
    void recordedPacesFilesAndNetworkRecordingsButNotLiveSources() {
        assertThat(Pacing.RECORDED.paces(SourceKind.FILE, THIRTY_SECONDS_US, null)).isTrue();
        assertThat(Pacing.RECORDED.paces(SourceKind.HTTP, THIRTY_SECONDS_US, null)).as("an .mp4 over HTTP").isTrue();
        assertThat(Pacing.RECORDED.paces(SourceKind.HLS, THIRTY_SECONDS_US, null)).as("VOD HLS (#EXT-X-ENDLIST)").isTrue();
        assertThat(Pacing.RECORDED.paces(SourceKind.HLS, 0, null)).as("live HLS: no duration").isFalse();
        assertThat(Pacing.RECORDED.paces(SourceKind.HTTP, -1, null)).as("live HTTP stream: no length").isFalse();
        // RTSP and RTMP deliver at their own pace even when the server replays a recording.
        assertThat(Pacing.RECORDED.paces(SourceKind.RTSP, THIRTY_SECONDS_US, null)).isFalse();
        assertThat(Pacing.RECORDED.paces(SourceKind.RTMP, 0, null)).isFalse();
    }

    @Test
    void theOtherModesKeepTheirMeaning() {
        assertThat(Pacing.FILES.paces(SourceKind.FILE, THIRTY_SECONDS_US, null)).isTrue();
        assertThat(Pacing.FILES.paces(SourceKind.HTTP, THIRTY_SECONDS_US, null)).isFalse();
        assertThat(Pacing.ALL.paces(SourceKind.RTSP, 0, null)).isTrue();
        assertThat(Pacing.NONE.paces(SourceKind.FILE, THIRTY_SECONDS_US, null)).isFalse();
    }

    @Test
    void theStreamsOwnChoiceWins() {
        assertThat(Pacing.RECORDED.paces(SourceKind.HTTP, THIRTY_SECONDS_US, false)).isFalse();
        assertThat(Pacing.NONE.paces(SourceKind.FILE, THIRTY_SECONDS_US, true)).isTrue();
        assertThat(Pacing.RECORDED.paces(SourceKind.HLS, 0, true)).isTrue();
    }
}
