package dev.vigil.indexer.scene;

import dev.vigil.schemas.control.IndexSpec;
import dev.vigil.schemas.media.MediaFrame;
import java.util.List;

/** A frame joined with the running scene indexes of its stream (never serialised: joined and processed in one sub-topology). */
public record FrameWork(MediaFrame frame, List<IndexSpec> indexes) {
}
