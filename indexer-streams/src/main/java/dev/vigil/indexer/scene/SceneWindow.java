package dev.vigil.indexer.scene;

import java.util.ArrayList;
import java.util.List;

/**
 * One scene index's batch window in the {@code scene-windows} store (key: index id and window start):
 * which frames it accepted, how many analyses are still running on a lane, and the analyses done.
 * Mutable: the processor loads, changes and puts it back on its Streams thread.
 */
public final class SceneWindow {

    final String rtstreamId;
    final String collectionId;
    final String indexId;
    final long start;
    final long end;
    int accepted;
    int pending;
    long lastAcceptedTs = Long.MIN_VALUE;
    final List<FrameAnalysis> analyses;

    SceneWindow(String rtstreamId, String collectionId, String indexId, long start, long end, int accepted,
            int pending, long lastAcceptedTs, List<FrameAnalysis> analyses) {
        this.rtstreamId = rtstreamId;
        this.collectionId = collectionId;
        this.indexId = indexId;
        this.start = start;
        this.end = end;
        this.accepted = accepted;
        this.pending = pending;
        this.lastAcceptedTs = lastAcceptedTs;
        this.analyses = new ArrayList<>(analyses);
    }

    static SceneWindow open(String rtstreamId, String collectionId, String indexId, long start, long end) {
        return new SceneWindow(rtstreamId, collectionId, indexId, start, end, 0, 0, Long.MIN_VALUE, List.of());
    }

    /** Store key: windows of one index sort by start. */
    static String key(String indexId, long start) {
        return indexId + '@' + String.format("%015d", start);
    }

    String key() {
        return key(indexId, start);
    }

    public List<FrameAnalysis> analyses() {
        return analyses;
    }

    public long start() {
        return start;
    }

    public long end() {
        return end;
    }
}
