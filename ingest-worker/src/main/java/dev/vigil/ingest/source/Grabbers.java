package dev.vigil.ingest.source;

import java.time.Duration;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Creates FFmpeg grabbers whose every network wait is bounded (measured with FFmpeg 8):
 * <ul>
 *   <li>RTSP: {@code timeout} (µs) bounds connect and socket reads; without it {@code start()} on a dead
 *       server hangs forever ({@code stimeout}/{@code rw_timeout} are ignored). TCP transport (no UDP
 *       ports to open, no loss); small {@code analyzeduration}/{@code probesize} connect in ~0.6 s.</li>
 *   <li>RTMP: {@code rw_timeout} only; RTMP's own {@code timeout} means "listen for a publisher".</li>
 *   <li>HTTP and HLS: {@code rw_timeout} (passed on to the TCP connection and to every segment the HLS
 *       demuxer opens) and HTTP's {@code timeout}.</li>
 * </ul>
 * Every kind gets a {@code protocol_whitelist} ({@link #protocolWhitelist}); HTTP and HLS get
 * {@code max_redirects=0} (redirects are followed, checked, by {@link SourceGuard} first).
 * Audio is resampled by FFmpeg to 16 kHz mono signed 16-bit; video decodes on the stream's own thread
 * ({@code threads=1}): with dozens of streams per core, per-stream decoder thread pools only add
 * contention.
 */
public final class Grabbers {

    public static final int AUDIO_SAMPLE_RATE = 16_000;

    private Grabbers() {
    }

    /** FFmpeg's {@code protocol_whitelist} for {@code kind}. */
    static String protocolWhitelist(SourceKind kind) {
        return switch (kind) {
            case RTSP -> "rtsp,rtsps,rtp,srtp,udp,tcp,tls";
            case RTMP -> "rtmp,rtmps,tcp,tls";
            case HTTP -> "http,https,tcp,tls";
            case HLS -> "http,https,tcp,tls,crypto,hls";
            case FILE -> "file";
        };
    }

    /** An unstarted grabber for {@code source}; {@code audio}: whether to resample audio for chunks. */
    public static FFmpegFrameGrabber create(StreamSource source, boolean audio, Duration ioTimeout) {
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(source.input());
        String timeoutUs = Long.toString(ioTimeout.toNanos() / 1000);
        // Only the protocols the kind needs (FFmpeg passes the list on to every nested open: HLS
        // segments, keys), so a URL inside a playlist cannot reach file:, concat:, subfile: or pipe:.
        grabber.setOption("protocol_whitelist", protocolWhitelist(source.kind()));
        switch (source.kind()) {
            case RTSP -> {
                grabber.setOption("rtsp_transport", "tcp");
                grabber.setOption("timeout", timeoutUs);
                grabber.setOption("analyzeduration", "500000");
                grabber.setOption("probesize", "100000");
            }
            case RTMP -> {
                grabber.setOption("rw_timeout", timeoutUs);
                grabber.setOption("analyzeduration", "1000000");
            }
            case HTTP, HLS -> {
                grabber.setOption("rw_timeout", timeoutUs);
                grabber.setOption("timeout", timeoutUs);
                // SourceGuard followed and checked the redirects; FFmpeg gets the final URL and must not
                // follow one that appears afterwards (it has no hook to check it).
                grabber.setOption("max_redirects", "0");
            }
            case FILE -> {
                // Local reads do not block on the network.
            }
            default -> throw new IllegalStateException("unknown source kind " + source.kind());
        }
        grabber.setVideoOption("threads", "1");
        // RAW: the grabber hands over each decoded picture as is instead of converting every one to BGR;
        // the session converts only the frames it samples (see PictureScaler).
        grabber.setImageMode(FrameGrabber.ImageMode.RAW);
        if (audio) {
            grabber.setSampleRate(AUDIO_SAMPLE_RATE);
            grabber.setAudioChannels(1);
            grabber.setSampleFormat(avutil.AV_SAMPLE_FMT_S16);
        }
        return grabber;
    }
}
