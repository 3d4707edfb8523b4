/**
 * The life of an owned stream: one named thread per stream ({@code StreamIngest}) that runs source
 * sessions ({@code SourceSession}: connect, read, sample, pace) and reconnects with back-off (its status
 * transitions on {@code rtstreams.status}), and the supervisor that starts, restarts and stops those
 * threads as the stream specs and the worker's partitions change.
 */
package dev.vigil.ingest.session;
