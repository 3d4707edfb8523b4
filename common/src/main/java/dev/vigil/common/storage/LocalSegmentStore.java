package dev.vigil.common.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;

/**
 * A segment store in a local directory, the standalone default. Objects appear atomically (written to a
 * temporary file beside the target, then moved), so a reader never sees half a segment.
 */
public final class LocalSegmentStore implements SegmentStore {

    private final Path root;

    public LocalSegmentStore(Path root) throws IOException {
        this.root = Files.createDirectories(root).toAbsolutePath().normalize();
    }

    @Override
    public void put(String key, Path file, String contentType) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public InputStream open(String key) throws IOException {
        return Files.newInputStream(resolve(key));
    }

    @Override
    public long size(String key) throws IOException {
        return Files.size(resolve(key));
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(resolve(key));
    }

    @Override
    public Optional<URI> presignedGet(String key, Duration ttl) {
        return Optional.empty();
    }

    @Override
    public String describe() {
        return "local directory " + root;
    }

    @Override
    public void close() {
        // nothing held open
    }

    /** The file of {@code key}, refusing keys that would leave the root. */
    Path resolve(String key) {
        return root.resolve(SegmentKeys.check(key));
    }
}
