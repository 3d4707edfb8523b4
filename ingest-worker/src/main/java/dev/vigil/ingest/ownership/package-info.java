/**
 * Which streams this worker owns: a consumer-group member on {@code rtstreams} that rebuilds the specs
 * of its assigned partitions from the beginning on every assignment, and hands them to the
 * supervisor. Kafka does the distribution and the fail-over.
 */
package dev.vigil.ingest.ownership;
