package dev.vigil.ingest.record;

import dev.vigil.schemas.control.RecordingState;

/** Told when a stream's recording changes state (written to the stream's status). */
@FunctionalInterface
interface RecordingListener {

    void recording(String rtstreamId, RecordingState state, String reason);
}
