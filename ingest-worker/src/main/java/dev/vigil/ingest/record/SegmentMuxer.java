package dev.vigil.ingest.record;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * One MPEG-TS segment file written from source packets without decoding (FFmpeg's mpegts muxer through
 * JavaCPP's FFmpeg API). The muxer inserts the bitstream filters TS needs by itself (H.264/HEVC from MP4
 * get Annex B start codes, AAC gets ADTS headers). Packets arrive with times already mapped to the
 * session's timeline in microseconds; they are converted to the TS time base (90 kHz) here.
 *
 * <p>Not thread-safe: used by one recorder thread. Always {@link #finish()} or {@link #abort()}: both
 * free the native context.
 */
final class SegmentMuxer {

    private static final AVRational MICROS = av_make_q(1, 1_000_000);

    private AVFormatContext out;
    private final AVRational[] timeBases;

    /**
     * Opens {@code file} for a segment holding copies of {@code inputs}' streams, in that order (the
     * {@code outIndex} of {@link #write}).
     */
    SegmentMuxer(Path file, List<AVStream> inputs) throws IOException {
        AVFormatContext oc = new AVFormatContext(null);
        check(avformat_alloc_output_context2(oc, null, "mpegts", file.toString()), "allocate the mpegts muxer");
        out = oc;
        try {
            for (AVStream in : inputs) {
                AVStream st = avformat_new_stream(oc, null);
                if (st == null) {
                    throw new IOException("cannot add a stream to the segment");
                }
                check(avcodec_parameters_copy(st.codecpar(), in.codecpar()), "copy the codec parameters");
                // The source container's tag (e.g. 'avc1' from MP4) means nothing in TS.
                st.codecpar().codec_tag(0);
                st.time_base(in.time_base());
            }
            AVIOContext pb = new AVIOContext(null);
            check(avio_open(pb, file.toString(), AVIO_FLAG_WRITE), "open " + file);
            oc.pb(pb);
            check(avformat_write_header(oc, (AVDictionary) null), "write the segment header");
            timeBases = new AVRational[inputs.size()];
            for (int i = 0; i < inputs.size(); i++) {
                timeBases[i] = oc.streams(i).time_base();
            }
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
    }

    /**
     * Writes {@code pkt} (the muxer takes its data; the packet is left blank) as stream {@code outIndex}
     * with the given times on the session timeline (µs; {@code dtsUs} must grow per stream).
     */
    void write(AVPacket pkt, int outIndex, long ptsUs, long dtsUs, long durationUs) throws IOException {
        AVRational tb = timeBases[outIndex];
        pkt.stream_index(outIndex);
        pkt.pts(av_rescale_q(ptsUs, MICROS, tb));
        pkt.dts(av_rescale_q(dtsUs, MICROS, tb));
        pkt.duration(durationUs <= 0 ? 0 : av_rescale_q(durationUs, MICROS, tb));
        pkt.pos(-1);
        int ret = av_interleaved_write_frame(out, pkt);
        if (ret < 0) {
            av_packet_unref(pkt);
            check(ret, "write a packet");
        }
    }

    /** Flushes the interleaving queue, writes the trailer and closes the file. */
    void finish() throws IOException {
        try {
            check(av_write_trailer(out), "write the segment trailer");
        } finally {
            abort();
        }
    }

    /** Closes the file and frees the muxer without a trailer (the file is then discarded). */
    void abort() {
        AVFormatContext oc = out;
        out = null;
        if (oc == null) {
            return;
        }
        if (oc.pb() != null && !oc.pb().isNull()) {
            avio_closep(oc.pb());
            oc.pb(null);
        }
        avformat_free_context(oc);
    }

    static void check(int ret, String what) throws IOException {
        if (ret < 0) {
            throw new IOException("cannot " + what + ": " + error(ret));
        }
    }

    static String error(int ret) {
        byte[] buf = new byte[256];
        av_strerror(ret, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8) + " (" + ret + ")";
    }
}
