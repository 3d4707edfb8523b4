package dev.vigil.indexer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test speech made with espeak-ng and converted with sox to 16 kHz mono s16le (Debian packages
 * {@code espeak-ng} and {@code sox}). A missing tool fails the test with the install command: a test
 * that cannot hear speech must not pass.
 */
public final class Speech {

    /** espeak-ng voices the accuracy tests use: American, British, British RP, and two variants (en-029: see DESIGN.md). */
    public static final List<String> VOICES = List.of("en-us", "en", "en-gb-x-rp", "en+m3", "en-us+f2");

    private Speech() {
    }

    /** {@code text} spoken by {@code voice} at 150 words per minute, as 16 kHz samples. */
    public static short[] say(String text, String voice) {
        try {
            Path dir = Files.createTempDirectory("vigil-speech");
            try {
                Path wav = dir.resolve("say.wav");
                Path raw = dir.resolve("say.raw");
                run(List.of("espeak-ng", "-v", voice, "-s", "150", "-w", wav.toString(), text));
                run(List.of("sox", wav.toString(), "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer",
                        "-t", "raw", raw.toString()));
                byte[] bytes = Files.readAllBytes(raw);
                short[] samples = new short[bytes.length / 2];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
                return samples;
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot make test speech: " + e.getMessage(), e);
        }
    }

    private static void run(List<String> command) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(command.get(0) + " is not installed; the speech tests need it: "
                    + "apt-get install espeak-ng sox", e);
        }
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command.get(0) + " did not finish within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(command + " failed: " + new String(p.getInputStream().readAllBytes()));
        }
    }

    /** {@code samples} between {@code leadMs} and {@code trailMs} of silence (digital zeros, as espeak pads). */
    public static short[] padded(short[] samples, int leadMs, int trailMs) {
        short[] out = new short[samples.length + (leadMs + trailMs) * 16];
        System.arraycopy(samples, 0, out, leadMs * 16, samples.length);
        return out;
    }

    /** Concatenation. */
    public static short[] concat(short[]... parts) {
        int n = 0;
        for (short[] p : parts) {
            n += p.length;
        }
        short[] out = new short[n];
        int off = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    /** Splits samples into chunks of {@code chunkMs}. */
    public static List<short[]> chunks(short[] samples, int chunkMs) {
        List<short[]> out = new ArrayList<>();
        int n = chunkMs * 16;
        for (int off = 0; off < samples.length; off += n) {
            short[] c = new short[Math.min(n, samples.length - off)];
            System.arraycopy(samples, off, c, 0, c.length);
            out.add(c);
        }
        return out;
    }
}
