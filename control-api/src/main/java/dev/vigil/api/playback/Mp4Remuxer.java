package dev.vigil.api.playback;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FFmpegLogCallback;

/**
 * Remuxes an MPEG-TS file (a recording session's segments, concatenated: TS needs no container surgery to
 * join) into an MP4 with its index first ({@code movflags=+faststart}, so players and {@code ffprobe} can
 * read it over plain HTTP without range requests). Packets are copied, never decoded or encoded; FFmpeg's
 * MP4 muxer converts AAC from ADTS itself. Blocking and CPU-light: run it on a worker thread.
 */
final class Mp4Remuxer {

    static {
        // FFmpeg's own messages stay out of the service log below errors.
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        FFmpegLogCallback.set();
    }

    private Mp4Remuxer() {
    }

    /** Remuxes {@code ts} into {@code mp4}; returns the MP4's duration in seconds. */
    static double remux(Path ts, Path mp4) throws IOException {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(ts.toFile())) {
            grabber.start();
            try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(mp4.toFile(), grabber.getImageWidth(),
                    grabber.getImageHeight(), grabber.getAudioChannels())) {
                recorder.setFormat("mp4");
                recorder.setOption("movflags", "+faststart");
                AVFormatContext input = grabber.getFormatContext();
                for (int i = 0; i < input.nb_streams(); i++) {
                    // MPEG-TS stream tags (e.g. 0x1b for H.264) mean nothing in MP4: let the muxer choose its own (avc1, mp4a).
                    input.streams(i).codecpar().codec_tag(0);
                }
                recorder.start(input);
                // MPEG-TS timestamps start wherever the recording session's clock was (FFmpeg's TS muxer alone adds
                // 1.4 s); shifted to start at zero, the MP4 plays from its first frame instead of an empty lead-in.
                long start = input.start_time() == avutil.AV_NOPTS_VALUE ? 0 : input.start_time();
                long[] offsets = new long[input.nb_streams()];
                for (int i = 0; i < offsets.length; i++) {
                    offsets[i] = avutil.av_rescale_q(start, avutil.av_get_time_base_q(), input.streams(i).time_base());
                }
                AVPacket packet;
                while ((packet = grabber.grabPacket()) != null) {
                    long offset = offsets[packet.stream_index()];
                    if (packet.pts() != avutil.AV_NOPTS_VALUE) {
                        packet.pts(packet.pts() - offset);
                    }
                    if (packet.dts() != avutil.AV_NOPTS_VALUE) {
                        packet.dts(packet.dts() - offset);
                    }
                    recorder.recordPacket(packet);
                }
                recorder.stop();
            }
            grabber.stop();
        } catch (FFmpegFrameGrabber.Exception | FFmpegFrameRecorder.Exception e) {
            throw new IOException("cannot remux " + ts.getFileName() + " into MP4: " + e.getMessage(), e);
        }
        try (FFmpegFrameGrabber probe = new FFmpegFrameGrabber(mp4.toFile())) {
            probe.start();
            double seconds = probe.getLengthInTime() / 1_000_000.0;
            probe.stop();
            return seconds;
        } catch (FFmpegFrameGrabber.Exception e) {
            throw new IOException("the remuxed MP4 does not open: " + e.getMessage(), e);
        }
    }
}
