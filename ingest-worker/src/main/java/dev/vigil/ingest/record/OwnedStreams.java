package dev.vigil.ingest.record;

import dev.vigil.schemas.control.RtStreamSpec;
import java.util.Collection;

/**
 * What the stream supervisor tells about the streams of this worker's partitions, beyond running their
 * ingest: the recording follows the same ownership.
 */
public interface OwnedStreams {

    /** No recording: the worker without {@code VIGIL_STORAGE_*} wiring (tests, tools). */
    OwnedStreams NONE = new OwnedStreams() {
        @Override
        public void apply(String rtstreamId, RtStreamSpec spec) {
        }

        @Override
        public void release(Collection<String> rtstreamIds) {
        }

        @Override
        public void halt() {
        }
    };

    /**
     * A stream of a newly owned partition that ended under its previous owner: it is owned (retention
     * looks after its recording) but not recorded until started again.
     */
    default void adoptEnded(String rtstreamId, RtStreamSpec spec) {
    }

    /** The latest spec of a stream in an owned partition; {@code null}: the stream was deleted. */
    void apply(String rtstreamId, RtStreamSpec spec);

    /** The streams moved to another worker (or this one stops). */
    void release(Collection<String> rtstreamIds);

    /** Stop at once without finishing anything (crash drill). */
    void halt();
}
