package dev.vigil.deploy.containers;

import dev.vigil.deploy.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A long recording made of the demo clip (20 s of pedestrians and a voice saying "There is an intruder in
 * the warehouse") played {@code loops} times, by FFmpeg's concat demuxer without re-encoding, with the
 * index at the front so FFmpeg can read it over HTTP. Served over HTTP it is a network source that
 * lasts long enough for a fail-over test (the demo's own looping works only for local files).
 */
public final class DemoClips {

    private DemoClips() {
    }

    /** {@code dir/warehouse-<loops>x.mp4}, made unless already there. */
    public static Path looped(Path dir, int loops) throws IOException, InterruptedException {
        Path clip = Tools.root().resolve("standalone/src/main/resources/demo/warehouse.mp4");
        Path out = dir.resolve("warehouse-" + loops + "x.mp4");
        if (Files.isRegularFile(out) && Files.size(out) > Files.size(clip)) {
            return out;
        }
        Files.createDirectories(dir);
        Path list = dir.resolve("concat-" + loops + ".txt");
        List<String> lines = new ArrayList<>(Collections.nCopies(loops, "file '" + clip.toAbsolutePath() + "'"));
        Files.write(list, lines);
        Path part = dir.resolve("warehouse-" + loops + "x.part.mp4");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "concat", "-safe", "0",
                "-i", list.toString(), "-c", "copy", "-movflags", "+faststart", part.toString())
                .redirectErrorStream(true).start();
        String output = new String(ffmpeg.getInputStream().readAllBytes());
        if (!ffmpeg.waitFor(2, TimeUnit.MINUTES) || ffmpeg.exitValue() != 0) {
            throw new IllegalStateException("ffmpeg could not make " + out + ": " + output);
        }
        Files.move(part, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return out;
    }
}
