/**
 * Ingest worker: owns the started streams of its assigned vigil.rtstreams partitions, grabs them with JavaCV/FFmpeg and writes frames and audio chunks to vigil.media.*. Built with the ingest capability.
 */
package dev.vigil.ingest;
