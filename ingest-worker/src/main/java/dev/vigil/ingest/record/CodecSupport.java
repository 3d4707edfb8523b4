package dev.vigil.ingest.record;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MP3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;

import java.util.Set;

/**
 * Which codecs a recording keeps as they are: what MPEG-TS carries and HLS players (hls.js, Safari)
 * play. Everything else (VP8/VP9, MJPEG, G.711, Opus, ...) would need re-encoding, which recording
 * does not do: such video makes the recording UNSUPPORTED, such audio is left out of it.
 */
final class CodecSupport {

    private static final Set<Integer> VIDEO = Set.of(AV_CODEC_ID_H264, AV_CODEC_ID_HEVC);
    private static final Set<Integer> AUDIO = Set.of(AV_CODEC_ID_AAC, AV_CODEC_ID_MP3);

    private CodecSupport() {
    }

    static boolean videoRemuxable(int codecId) {
        return VIDEO.contains(codecId);
    }

    static boolean audioRemuxable(int codecId) {
        return AUDIO.contains(codecId);
    }

    /** FFmpeg's short name of the codec (h264, hevc, aac, vp8, mjpeg, ...). */
    static String name(int codecId) {
        return avcodec_get_name(codecId).getString();
    }
}
