/**
 * Turning decoded media into what goes on Kafka: which frames to keep (by stream time), how big they
 * are, their JPEG encoding, 16 kHz PCM cut into contiguous chunks, and real-time pacing of files.
 * Pure Java, no Kafka and no FFmpeg state, so each piece is unit-tested on its own.
 */
package dev.vigil.ingest.media;
