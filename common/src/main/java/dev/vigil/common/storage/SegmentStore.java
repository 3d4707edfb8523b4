package dev.vigil.common.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where recorded media segments and exports live: a local directory (standalone) or an S3-compatible
 * bucket (deployments). Keys are relative paths ({@code <collection>/<rtstream>/<name>}); the segment index
 * topic says which keys exist, the store only holds bytes. Calls block: never call them on an event loop.
 */
public interface SegmentStore extends AutoCloseable {

    /** Stores the file's bytes under {@code key}, replacing any object there. */
    void put(String key, Path file, String contentType) throws IOException;

    /** Opens the object for reading; {@link java.nio.file.NoSuchFileException} when there is none. */
    InputStream open(String key) throws IOException;

    /** Size of the object in bytes; {@link java.nio.file.NoSuchFileException} when there is none. */
    long size(String key) throws IOException;

    /** Deletes the object; deleting a missing key is not an error. */
    void delete(String key) throws IOException;

    /**
     * A URL that reads the object without Vigil's API key until {@code ttl} passes, when the backend can
     * sign one itself (S3 presigned GET); empty when Vigil must serve the bytes (local directory).
     */
    Optional<URI> presignedGet(String key, Duration ttl);

    /** A short description for logs and status, without credentials (e.g. "s3://bucket at http://minio:9000"). */
    String describe();

    @Override
    void close();
}
