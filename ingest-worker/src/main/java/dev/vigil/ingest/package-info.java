/**
 * Ingest worker: owns the started streams of its assigned {@code rtstreams} partitions (a consumer
 * group, so Kafka distributes the streams and moves them off dead workers), grabs each with
 * JavaCV/FFmpeg on its own thread, and writes sampled JPEG frames to {@code media.frames}, 16 kHz
 * mono PCM chunks to {@code media.audio} and its status transitions to {@code rtstreams.status}.
 * Entry points: {@link dev.vigil.ingest.IngestWorkerService} (the factory the launcher composes),
 * {@link dev.vigil.ingest.IngestWorkerConfig}, {@link dev.vigil.ingest.Main}. Flow and limits: DESIGN.md
 * in this folder.
 */
package dev.vigil.ingest;
