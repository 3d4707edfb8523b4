package dev.vigil.ingest.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real media made for a test with the FFmpeg command line (Debian package {@code ffmpeg}): a moving
 * test pattern with a 440 Hz tone, a few seconds long, in a temporary folder. Nothing is committed.
 */
public final class MediaFiles {

    private MediaFiles() {
    }

    /** Skips the calling test when the {@code ffmpeg} command is missing. */
    public static void assumeFfmpeg() {
        assumeTrue(available(), "the ffmpeg command line is needed to generate test media: apt-get install ffmpeg");
    }

    private static boolean available() {
        try {
            Process p = new ProcessBuilder("ffmpeg", "-version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * An H.264 + AAC clip of {@code seconds} at {@code width}x{@code height}, 25 fps, one key frame per
     * second; the container follows the file name ({@code .mp4}, {@code .ts}, ...).
     */
    public static Path clip(Path dir, String name, int seconds, int width, int height) {
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of(
                "-f", "lavfi", "-i", "testsrc=size=" + width + "x" + height + ":rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", Integer.toString(seconds),
                "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "64k"));
        if (name.endsWith(".mp4")) {
            args.addAll(List.of("-movflags", "+faststart"));
        }
        args.add(out.toString());
        return ffmpeg(args, out);
    }

    /**
     * An H.264 (+ AAC) clip, 25 fps, with a fixed pattern of {@code bframes} B-frames between reference
     * pictures, none of which is a reference ({@code b-pyramid=none}, no adaptive B-frames, no scene
     * cuts), and an IDR frame every {@code gop} frames exactly: decoded pictures with non-reference
     * skipping on are the I and P frames (with 3 B-frames every 4th frame, 160 ms apart); with key-only,
     * every {@code gop}th.
     */
    public static Path bFrameClip(Path dir, String name, int seconds, int gop, int bframes, boolean audio) {
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25"));
        if (audio) {
            args.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"));
        }
        args.addAll(List.of("-t", Integer.toString(seconds), "-c:v", "libx264", "-preset", "fast", "-pix_fmt", "yuv420p",
                "-bf", Integer.toString(bframes), "-g", Integer.toString(gop), "-keyint_min", Integer.toString(gop),
                "-x264-params", "b-pyramid=none:b-adapt=0:scenecut=0:open-gop=0"));
        if (audio) {
            args.addAll(List.of("-c:a", "aac", "-b:a", "64k"));
        }
        args.add(out.toString());
        return ffmpeg(args, out);
    }

    /** An audio-only MP3 of {@code seconds}. */
    public static Path audioOnly(Path dir, String name, int seconds) {
        Path out = dir.resolve(name);
        return ffmpeg(List.of("-f", "lavfi", "-i", "sine=frequency=880:sample_rate=44100", "-t", Integer.toString(seconds),
                "-c:a", "libmp3lame", out.toString()), out);
    }

    /**
     * {@code segments} HLS segments of one second each ({@code seg0.ts}, ...) with their VOD playlist
     * {@code index.m3u8}, in {@code dir}.
     */
    public static Path hlsSegments(Path dir, int segments) {
        Path playlist = dir.resolve("index.m3u8");
        return ffmpeg(List.of("-f", "lavfi", "-i", "testsrc=size=640x360:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", Integer.toString(segments),
                "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "64k",
                "-f", "hls", "-hls_time", "1", "-hls_list_size", "0", "-hls_playlist_type", "vod",
                "-hls_segment_filename", dir.resolve("seg%d.ts").toString(), playlist.toString()), playlist);
    }

    /** The first {@code bytes} of {@code source}: a file cut off mid-way. */
    public static Path truncated(Path source, Path out, int bytes) throws IOException {
        byte[] all = Files.readAllBytes(source);
        return Files.write(out, java.util.Arrays.copyOf(all, Math.min(bytes, all.length)));
    }

    /** A WAV file whose audio uses a format tag no decoder knows. */
    public static Path unknownCodecWav(Path out) throws IOException {
        byte[] data = new byte[64_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + data.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + data.length).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 0x9999).putShort((short) 1)
                .putInt(16_000).putInt(32_000).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data.length).put(data);
        return Files.write(out, b.array());
    }

    private static Path ffmpeg(List<String> args, Path out) {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y"));
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("ffmpeg failed: " + String.join(" ", command) + "\n" + output);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run ffmpeg", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
