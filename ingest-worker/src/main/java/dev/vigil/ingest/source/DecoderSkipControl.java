package dev.vigil.ingest.source;

import java.lang.reflect.Field;
import java.util.function.IntConsumer;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets {@code skip_frame} on a started grabber's video decoder while it runs. JavaCV takes decoder
 * options ({@code setVideoOption}) only before {@code start()}, when neither the frame rate nor the
 * key-frame interval is known, and does not expose the decoder's context. FFmpeg's decoders read
 * {@code AVCodecContext.skip_frame} for every packet (H.264: every slice), so a change between two reads
 * applies from the next picture on. The context is
 * JavaCV's private {@code video_c} (checked against JavaCV 1.5.13); if a later JavaCV renames it,
 * {@link #of} returns null and the session decodes everything, as before.
 */
public final class DecoderSkipControl {

    private static final Logger log = LoggerFactory.getLogger(DecoderSkipControl.class);
    private static final Field VIDEO_CONTEXT = videoContextField();

    private DecoderSkipControl() {
    }

    private static Field videoContextField() {
        try {
            Field f = FFmpegFrameGrabber.class.getDeclaredField("video_c");
            if (f.getType() != AVCodecContext.class) {
                throw new NoSuchFieldException("video_c is a " + f.getType());
            }
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("Cannot reach the video decoder of JavaCV's grabber ({}): every picture is decoded", e.toString());
            return null;
        }
    }

    /** Sets the started grabber's video decoder's {@code skip_frame}; null when there is none or it cannot be reached. */
    public static IntConsumer of(FFmpegFrameGrabber grabber) {
        if (VIDEO_CONTEXT == null) {
            return null;
        }
        try {
            AVCodecContext context = (AVCodecContext) VIDEO_CONTEXT.get(grabber);
            if (context == null || context.isNull()) {
                return null;
            }
            return context::skip_frame;
        } catch (IllegalAccessException e) {
            return null;
        }
    }
}
