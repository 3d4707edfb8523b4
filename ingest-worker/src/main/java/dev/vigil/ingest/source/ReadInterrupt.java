package dev.vigil.ingest.source;

import java.util.function.BooleanSupplier;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacpp.Pointer;

/**
 * Lets a stream's thread interrupt FFmpeg while it waits inside a read: FFmpeg asks the format
 * context's interrupt callback while it waits (the HLS demuxer, for one, waits for new segments of a
 * live playlist forever, with no timeout of its own). JavaCV sets no callback, so one is installed
 * after the grabber has opened; it reaches the waits of the demuxer and every connection opened from
 * then on (a connection opened earlier, like RTSP's, keeps its own timeout).
 *
 * <p>FFmpeg reads on the thread that called it, so one shared native callback (JavaCPP callbacks are
 * costly native thunks) looks up the calling thread's condition.
 */
public final class ReadInterrupt {

    private static final ThreadLocal<BooleanSupplier> CONDITION = new ThreadLocal<>();
    private static final Callback CALLBACK = new Callback();

    private ReadInterrupt() {
    }

    /** Makes reads of {@code grabber} on this thread give up as soon as {@code interrupt} is true. */
    public static void install(FFmpegFrameGrabber grabber, BooleanSupplier interrupt) {
        CONDITION.set(interrupt);
        grabber.getFormatContext().interrupt_callback().callback(CALLBACK);
    }

    /** Forgets this thread's condition (after its grabber is closed). */
    public static void clear() {
        CONDITION.remove();
    }

    private static final class Callback extends AVIOInterruptCB.Callback_Pointer {
        @Override
        public int call(Pointer opaque) {
            BooleanSupplier interrupt = CONDITION.get();
            return interrupt != null && interrupt.getAsBoolean() ? 1 : 0;
        }
    }
}
