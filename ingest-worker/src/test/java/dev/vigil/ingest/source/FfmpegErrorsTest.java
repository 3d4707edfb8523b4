package dev.vigil.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;

class FfmpegErrorsTest {

    private static FFmpegFrameGrabber.Exception javacv(String message) {
        return new FFmpegFrameGrabber.Exception(message);
    }

    @Test
    void namesTheErrorAndRetriesRefusedConnections() {
        SourceException e = FfmpegErrors.classify("cannot open rtsp://cam/x", SourceKind.RTSP,
                javacv("avformat_open_input() error -111: Could not open input \"rtsp://cam/x\". (Has setFormat() been called?)"));
        assertThat(e.getMessage()).isEqualTo("cannot open rtsp://cam/x: Connection refused");
        // The client sees only the coarse kind: "refused" vs "timed out" would make a port scanner.
        assertThat(e.publicReason()).isEqualTo("cannot open: source unreachable");
        assertThat(e.isPermanent()).isFalse();
    }

    @Test
    void forbiddenIsPermanentAndFilesAlwaysAre() {
        int forbidden = org.bytedeco.ffmpeg.global.avutil.AVERROR_HTTP_FORBIDDEN;
        SourceException http = FfmpegErrors.classify("cannot open", SourceKind.HTTP,
                javacv("avformat_open_input() error " + forbidden + ": Could not open input"));
        assertThat(http.getMessage()).contains("403");
        assertThat(http.publicReason()).isEqualTo("cannot open: " + SourceException.REJECTED);
        assertThat(http.isPermanent()).isTrue();
        SourceException file = FfmpegErrors.classify("cannot open", SourceKind.FILE,
                javacv("avformat_open_input() error -1094995529: Could not open input"));
        assertThat(file.getMessage()).isEqualTo("cannot open: Invalid data found when processing input");
        assertThat(file.publicReason()).isEqualTo("cannot open: unsupported media");
        assertThat(file.isPermanent()).isTrue();
    }

    @Test
    void sourcesWithoutDecodableStreamsArePermanent() {
        SourceException e = FfmpegErrors.classify("cannot open", SourceKind.RTSP,
                javacv("avcodec_find_decoder() error: Unsupported video format or codec not found: 12345."));
        assertThat(e.getMessage()).startsWith("cannot open: unsupported codec");
        assertThat(e.isPermanent()).isTrue();
    }
}
