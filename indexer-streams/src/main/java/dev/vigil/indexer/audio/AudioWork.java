package dev.vigil.indexer.audio;

import dev.vigil.schemas.control.IndexSpec;
import dev.vigil.schemas.media.AudioChunk;
import java.util.List;

/** An audio chunk joined with the running transcript and audio indexes of its stream (never serialised). */
public record AudioWork(AudioChunk chunk, List<IndexSpec> transcriptIndexes, List<IndexSpec> audioIndexes) {
}
