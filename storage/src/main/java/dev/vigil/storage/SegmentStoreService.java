package dev.vigil.storage;

import dev.vigil.common.lifecycle.Service;
import dev.vigil.common.storage.SegmentStore;

/**
 * The configured segment store as a part of a process: opened at start, closed at stop, so the services
 * that read or write recordings (the playback API, the recorder) can share one instance and stop before it
 * (a service group stops its parts in reverse order).
 */
public final class SegmentStoreService implements Service {

    private final StorageConfig config;
    private volatile SegmentStore store;

    public SegmentStoreService(StorageConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "segment-store";
    }

    @Override
    public void start() {
        store = SegmentStores.open(config);
    }

    /** The open store; only after {@link #start()}. */
    public SegmentStore store() {
        SegmentStore open = store;
        if (open == null) {
            throw new IllegalStateException("the segment store is not open");
        }
        return open;
    }

    @Override
    public boolean isReady() {
        return store != null;
    }

    @Override
    public void close() {
        SegmentStore open = store;
        store = null;
        if (open != null) {
            open.close();
        }
    }
}
