package dev.vigil.testkit.media;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What {@code ffprobe} makes of a media URL or file, the way a player reads it (no API key: signed URLs
 * alone). Two durations, because they can disagree: the container's ({@code format.duration}, for HLS the
 * sum of the playlist's {@code EXTINF}s) and the span of the video frames actually decoded (first frame's
 * time to the last one's end), which is what a viewer sees.
 */
public final class MediaProbe {

    /**
     * @param formatName   ffprobe's format name ({@code hls}, {@code mov,mp4,m4a,3gp,3g2,mj2}, ...)
     * @param duration     the container's duration, seconds
     * @param codecs       codec names of the streams
     * @param videoFrames  video frames decoded
     * @param videoSeconds span of the decoded video frames, seconds
     * @param firstVideoPts time of the first decoded video frame, seconds (the stream's own clock)
     */
    public record Probe(String formatName, double duration, List<String> codecs, int videoFrames, double videoSeconds,
            double firstVideoPts) {
    }

    private MediaProbe() {
    }

    /** Probes {@code url} (decoding its video); fails with ffprobe's output when it cannot read it. */
    public static Probe probe(String url) throws IOException, InterruptedException {
        JsonObject format = run("ffprobe", "-v", "error", "-show_entries", "format=duration,format_name:stream=codec_name",
                "-of", "json", url);
        JsonObject frames = run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                "frame=best_effort_timestamp_time,duration_time", "-of", "json", url);
        List<String> codecs = new ArrayList<>();
        for (Object s : format.getJsonArray("streams", new JsonArray())) {
            codecs.add(((JsonObject) s).getString("codec_name"));
        }
        double first = Double.MAX_VALUE;
        double last = -Double.MAX_VALUE;
        double end = -Double.MAX_VALUE;
        int count = 0;
        for (Object f : frames.getJsonArray("frames", new JsonArray())) {
            JsonObject frame = (JsonObject) f;
            String pts = frame.getString("best_effort_timestamp_time");
            if (pts == null) {
                continue;
            }
            double t = Double.parseDouble(pts);
            double d = frame.getString("duration_time") == null ? 0 : Double.parseDouble(frame.getString("duration_time"));
            first = Math.min(first, t);
            last = Math.max(last, t);
            end = Math.max(end, t + d);
            count++;
        }
        if (count > 1 && end <= last) {
            // Frames without a duration (MP4): the last one lasts the average frame interval.
            end = last + (last - first) / (count - 1);
        }
        JsonObject fmt = format.getJsonObject("format");
        return new Probe(fmt.getString("format_name"), Double.parseDouble(fmt.getString("duration", "0")), codecs, count,
                count == 0 ? 0 : end - first, count == 0 ? 0 : first);
    }

    private static JsonObject run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("ffprobe did not finish: " + String.join(" ", command));
        }
        if (p.exitValue() != 0) {
            throw new IOException("ffprobe failed (exit " + p.exitValue() + ") on " + command[command.length - 1] + ": " + out);
        }
        return new JsonObject(out);
    }
}
