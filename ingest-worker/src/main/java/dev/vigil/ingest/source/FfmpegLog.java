package dev.vigil.ingest.source;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes FFmpeg's log (process-wide, normally printed to stderr) to SLF4J at DEBUG, and remembers the
 * last warning or error per thread. FFmpeg logs on the thread that called it, so a stream's thread
 * finds there why its open or read failed ("moov atom not found", "Connection refused") and puts it
 * in the stream's status.
 *
 * <p>DEBUG, not WARN: a damaged stream makes the decoder log a line per frame; the stream's own
 * status transitions are what operators read. For the same reason decoder complaints are not kept as
 * a stream's reason: why a source failed is said by its demuxer or protocol.
 */
public final class FfmpegLog extends LogCallback {

    private static final Logger log = LoggerFactory.getLogger("dev.vigil.ingest.ffmpeg");
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();
    /** Held for the life of the process: FFmpeg keeps a raw pointer to the callback. */
    private static final FfmpegLog INSTANCE = new FfmpegLog();
    private static final ThreadLocal<String> LAST_PROBLEM = new ThreadLocal<>();
    private static final int MAX_LENGTH = 300;
    /** FFmpeg prefixes lines with their context, e.g. "[rtsp @ 0x7f39d0091780] ": noise in a status. */
    private static final Pattern CONTEXT = Pattern.compile("^\\[([^\\]@]*?) @ 0x[0-9a-fA-F]+\\]\\s*");
    private static final Map<String, Boolean> DECODERS = new ConcurrentHashMap<>();

    private FfmpegLog() {
    }

    /** Installs the callback once per process and keeps FFmpeg's own level at warnings. */
    public static void install() {
        if (INSTALLED.compareAndSet(false, true)) {
            avutil.av_log_set_level(avutil.AV_LOG_WARNING);
            avutil.setLogCallback(INSTANCE);
        }
    }

    /** The last warning or error FFmpeg logged on this thread since the last call, or null. */
    public static String takeLastProblem() {
        String last = LAST_PROBLEM.get();
        LAST_PROBLEM.remove();
        return last;
    }

    /** Forgets what this thread logged so far (before an attempt whose failure should be explained). */
    public static void clear() {
        LAST_PROBLEM.remove();
    }

    @Override
    public void call(int level, BytePointer message) {
        if (level > avutil.av_log_get_level()) {
            return;
        }
        String line = message.getString().strip();
        String text = line;
        boolean fromDecoder = false;
        Matcher context = CONTEXT.matcher(line);
        if (context.find()) {
            fromDecoder = isDecoder(context.group(1));
            text = line.substring(context.end());
        }
        if (text.isEmpty()) {
            return;
        }
        if (text.length() > MAX_LENGTH) {
            text = text.substring(0, MAX_LENGTH) + "...";
        }
        if (level <= avutil.AV_LOG_WARNING && !fromDecoder) {
            LAST_PROBLEM.set(text);
        }
        log.debug("{}", line);
    }

    /** Whether a log context is a decoder ("h264", "aac"), not a demuxer or protocol ("rtsp", "tcp", "hls"). */
    private static boolean isDecoder(String contextName) {
        return DECODERS.computeIfAbsent(contextName, name -> avcodec.avcodec_find_decoder_by_name(name) != null);
    }
}
