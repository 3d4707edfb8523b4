/**
 * Writing to Kafka: the media records ({@code MediaRecords}) through one idempotent producer with
 * bounded buffering (frames are dropped, audio waits briefly, when Kafka falls behind), stream
 * statuses, and the per-stream meters.
 */
package dev.vigil.ingest.publish;
