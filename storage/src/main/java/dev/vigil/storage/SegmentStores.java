package dev.vigil.storage;

import dev.vigil.common.storage.LocalSegmentStore;
import dev.vigil.common.storage.SegmentStore;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Opens the {@link SegmentStore} a {@link StorageConfig} names. */
public final class SegmentStores {

    private SegmentStores() {
    }

    /**
     * The local directory (created if missing) or the S3 client. Opening S3 does not contact the
     * service: an unreachable store shows on first use (recording degrades, it does not stop a service).
     *
     * @throws UncheckedIOException when the local directory cannot be created
     */
    public static SegmentStore open(StorageConfig config) {
        return switch (config.backend()) {
            case LOCAL -> {
                try {
                    yield new LocalSegmentStore(config.dir());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create the recordings directory " + config.dir(), e);
                }
            }
            case S3 -> new S3SegmentStore(config.s3().orElseThrow(() -> new IllegalArgumentException("no S3 settings")));
        };
    }
}
