package dev.vigil.ingest.source;

import static org.bytedeco.ffmpeg.global.avutil.AVERROR_DECODER_NOT_FOUND;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_DEMUXER_NOT_FOUND;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_HTTP_BAD_REQUEST;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_HTTP_FORBIDDEN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_HTTP_NOT_FOUND;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_HTTP_OTHER_4XX;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_INVALIDDATA;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_HTTP_UNAUTHORIZED;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_PROTOCOL_NOT_FOUND;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * Turns JavaCV's grabber exceptions into a {@link SourceException} with a readable reason: JavaCV
 * puts FFmpeg's error code in the message ({@code avformat_open_input() error -111: Could not open
 * input ...}); FFmpeg's own text for it ("Connection refused") and its last log line on this thread
 * ("moov atom not found") say much more.
 */
public final class FfmpegErrors {

    private static final Pattern CODE = Pattern.compile("error (-?\\d+)");
    private static final int EINVAL = -22;

    /** Errors no retry can fix: the URL, the credentials or the content itself is wrong. */
    private static final Set<Integer> PERMANENT = Set.of(AVERROR_PROTOCOL_NOT_FOUND, AVERROR_DEMUXER_NOT_FOUND,
            AVERROR_DECODER_NOT_FOUND, AVERROR_HTTP_BAD_REQUEST, AVERROR_HTTP_UNAUTHORIZED, AVERROR_HTTP_FORBIDDEN, EINVAL);

    private FfmpegErrors() {
    }

    /**
     * The failure of {@code action} ("cannot open", "cannot read") on {@code kind}: files fail for
     * good (they will not change by themselves), network sources unless the error is permanent.
     */
    public static SourceException classify(String action, SourceKind kind, Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String lastLog = FfmpegLog.takeLastProblem();
        OptionalInt code = code(message);
        StringBuilder reason = new StringBuilder(action).append(": ");
        boolean permanent = !kind.isNetwork();
        if (message.contains("Did not find a video or audio stream")) {
            reason.append("no decodable audio or video stream (none, or in an unknown codec)");
            permanent = true;
        } else if (message.contains("avcodec_find_decoder()")) {
            reason.append("unsupported codec (").append(afterColon(message)).append(')');
            permanent = true;
        } else if (code.isPresent()) {
            reason.append(describe(code.getAsInt()));
            permanent |= PERMANENT.contains(code.getAsInt());
        } else {
            reason.append(firstLine(message));
        }
        if (lastLog != null && !reason.toString().contains(lastLog)) {
            reason.append(" (ffmpeg: ").append(lastLog).append(')');
        }
        return new SourceException(reason.toString(), permanent, e, publicReason(action, message + (lastLog == null ? "" : "\n" + lastLog), code));
    }

    /**
     * The coarse reason the client sees: the detail (FFmpeg's line, "Connection refused" vs "timed
     * out") would let a client probe the network behind the worker.
     */
    static String publicReason(String action, String message, OptionalInt code) {
        String verb = action.startsWith("cannot read") ? "cannot read: " : "cannot open: ";
        if (message.contains("not on whitelist")) {
            return verb + SourceException.REFUSED_BY_POLICY;
        }
        if (message.contains("Did not find a video or audio stream") || message.contains("avcodec_find_decoder()")) {
            return verb + SourceException.UNSUPPORTED_MEDIA;
        }
        if (code.isPresent()) {
            int c = code.getAsInt();
            if (c == AVERROR_HTTP_BAD_REQUEST || c == AVERROR_HTTP_UNAUTHORIZED || c == AVERROR_HTTP_FORBIDDEN
                    || c == AVERROR_HTTP_NOT_FOUND || c == AVERROR_HTTP_OTHER_4XX) {
                return verb + SourceException.REJECTED;
            }
            if (c == AVERROR_INVALIDDATA || c == AVERROR_DEMUXER_NOT_FOUND || c == AVERROR_DECODER_NOT_FOUND
                    || c == EINVAL) {
                return verb + SourceException.UNSUPPORTED_MEDIA;
            }
            if (c == AVERROR_PROTOCOL_NOT_FOUND) {
                return verb + SourceException.REFUSED_BY_POLICY;
            }
        }
        return verb + SourceException.UNREACHABLE;
    }

    /** FFmpeg's text for an error code, e.g. {@code -111} → "Connection refused". */
    public static String describe(int code) {
        byte[] buffer = new byte[256];
        if (avutil.av_strerror(code, buffer, buffer.length) < 0) {
            return "FFmpeg error " + code;
        }
        int length = 0;
        while (length < buffer.length && buffer[length] != 0) {
            length++;
        }
        return new String(buffer, 0, length, StandardCharsets.UTF_8);
    }

    static OptionalInt code(String message) {
        Matcher m = CODE.matcher(message);
        if (m.find()) {
            try {
                return OptionalInt.of(Integer.parseInt(m.group(1)));
            } catch (NumberFormatException e) {
                return OptionalInt.empty();
            }
        }
        return OptionalInt.empty();
    }

    private static String afterColon(String message) {
        int colon = message.lastIndexOf(':');
        return colon >= 0 ? message.substring(colon + 1).trim() : message;
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline >= 0 ? message.substring(0, newline) : message;
    }
}
