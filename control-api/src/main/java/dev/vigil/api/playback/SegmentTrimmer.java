package dev.vigil.api.playback;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FFmpegLogCallback;

/**
 * Cuts an MPEG-TS segment down to part of its time, so a clip's first and last segments hold the asked range
 * and not a whole segment (playback/DESIGN.md, "Clip precision"). Packets are copied, never decoded: the
 * video starts at the key frame nearest the wanted start (before or after it; a decoder needs a key frame
 * first), so the cut is exact when the source has a key frame there and within half a key-frame interval
 * otherwise; the end is cut at the last packet that decodes before it (in decode order, so no kept frame
 * refers to a dropped one); audio follows the video's cut. Timestamps are kept as they are, so the cut segment
 * plays on seamlessly into the next untouched one of the playlist. Blocking: run it on a worker thread.
 */
final class SegmentTrimmer {

    static {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        FFmpegLogCallback.set();
    }

    /** One packet read from the segment, cloned (the grabber reuses its own), with its times in µs from the segment start. */
    private record Packet(AVPacket packet, boolean video, boolean key, long ptsUs, long dtsUs) {
    }

    private SegmentTrimmer() {
    }

    /**
     * Writes to {@code out} the part of the segment {@code ts} between {@code fromMs} and {@code toMs}, in
     * milliseconds from the segment's first timestamp.
     *
     * @return the media time written, milliseconds (from the video cut to the end)
     */
    static long trim(Path ts, Path out, long fromMs, long toMs) throws IOException {
        List<Packet> packets = new ArrayList<>();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(ts.toFile())) {
            grabber.setFormat("mpegts");
            grabber.start();
            AVFormatContext input = grabber.getFormatContext();
            long start = input.start_time() == avutil.AV_NOPTS_VALUE ? 0 : input.start_time();
            try {
                AVPacket read;
                while ((read = grabber.grabPacket()) != null) {
                    var stream = input.streams(read.stream_index());
                    boolean video = stream.codecpar().codec_type() == avutil.AVMEDIA_TYPE_VIDEO;
                    long pts = read.pts() != avutil.AV_NOPTS_VALUE ? read.pts() : read.dts();
                    long dts = read.dts() != avutil.AV_NOPTS_VALUE ? read.dts() : pts;
                    if (pts == avutil.AV_NOPTS_VALUE) {
                        continue;
                    }
                    packets.add(new Packet(avcodec.av_packet_clone(read), video,
                            (read.flags() & avcodec.AV_PKT_FLAG_KEY) != 0,
                            avutil.av_rescale_q(pts, stream.time_base(), avutil.av_get_time_base_q()) - start,
                            avutil.av_rescale_q(dts, stream.time_base(), avutil.av_get_time_base_q()) - start));
                }
                long cutUs = cutStart(packets, fromMs * 1000);
                long endUs = toMs * 1000;
                for (int i = 0; i < input.nb_streams(); i++) {
                    input.streams(i).codecpar().codec_tag(0);
                }
                try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(out.toFile(), grabber.getImageWidth(),
                        grabber.getImageHeight(), grabber.getAudioChannels())) {
                    recorder.setFormat("mpegts");
                    recorder.start(input);
                    boolean videoStarted = false;
                    long lastUs = cutUs;
                    for (Packet p : packets) {
                        boolean keep;
                        if (p.video()) {
                            videoStarted |= p.key() && p.ptsUs() == cutUs;
                            keep = videoStarted && p.dtsUs() < endUs;
                        } else {
                            keep = p.ptsUs() >= cutUs && p.ptsUs() < endUs;
                        }
                        if (keep) {
                            lastUs = Math.max(lastUs, p.ptsUs() + avutil.av_rescale_q(p.packet().duration(),
                                    input.streams(p.packet().stream_index()).time_base(), avutil.av_get_time_base_q()));
                            recorder.recordPacket(p.packet());
                        }
                    }
                    recorder.stop();
                    return Math.max(0, (Math.min(lastUs, endUs) - cutUs) / 1000);
                }
            } finally {
                for (Packet p : packets) {
                    avcodec.av_packet_free(p.packet());
                }
                grabber.stop();
            }
        } catch (FFmpegFrameGrabber.Exception | FFmpegFrameRecorder.Exception e) {
            throw new IOException("cannot cut segment " + ts.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where the copy starts, µs from the segment start: the video key frame nearest {@code fromUs}; without
     * video, {@code fromUs} itself (every audio packet is a key frame).
     */
    static long cutStart(List<Packet> packets, long fromUs) {
        long best = Long.MIN_VALUE;
        for (Packet p : packets) {
            if (p.video() && p.key() && (best == Long.MIN_VALUE || Math.abs(p.ptsUs() - fromUs) < Math.abs(best - fromUs))) {
                best = p.ptsUs();
            }
        }
        return best == Long.MIN_VALUE ? fromUs : best;
    }
}
