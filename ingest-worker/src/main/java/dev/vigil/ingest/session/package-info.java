/**
 * The life of an owned stream: one named thread per stream that connects, reads and reconnects with
 * back-off (its status transitions on {@code rtstreams.status}), and the supervisor that starts,
 * restarts and stops those threads as the stream specs and the worker's partitions change.
 */
package dev.vigil.ingest.session;
