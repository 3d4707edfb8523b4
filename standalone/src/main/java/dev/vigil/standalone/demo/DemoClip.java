package dev.vigil.standalone.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The bundled sample clip (20 s of OpenCV's pedestrian video with a voice saying "There is an intruder
 * in the warehouse", made by {@code scripts/make-demo-clip.sh}), copied out of the jar to a file
 * FFmpeg can open.
 */
public final class DemoClip {

    static final String RESOURCE = "/demo/warehouse.mp4";

    private DemoClip() {
    }

    /** Writes the clip to {@code dir/warehouse.mp4} unless an identical copy is there; returns its path. */
    public static Path extractTo(Path dir) {
        try (InputStream in = DemoClip.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the demo clip " + RESOURCE + " is missing from the vigil jar");
            }
            byte[] clip = in.readAllBytes();
            Path file = dir.resolve("warehouse.mp4");
            if (Files.isRegularFile(file) && Files.size(file) == clip.length) {
                return file.toAbsolutePath();
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "warehouse", ".part");
            Files.write(tmp, clip);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo clip to " + dir, e);
        }
    }
}
