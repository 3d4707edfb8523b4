/**
 * Indexer: one Kafka Streams application turning {@code vigil.media.frames} and {@code vigil.media.audio}
 * into {@code vigil.index.scene}, {@code vigil.index.transcript} and {@code vigil.index.audio} records for
 * every running index of {@code vigil.indexes}, with offline engines by default (OpenCV, Sphinx4, DSP) and
 * optional OpenAI-compatible ones. Entry points: {@link dev.vigil.indexer.IndexerTopology#build},
 * {@link dev.vigil.indexer.IndexerService}, {@link dev.vigil.indexer.Main}. See DESIGN.md in this package.
 */
package dev.vigil.indexer;
