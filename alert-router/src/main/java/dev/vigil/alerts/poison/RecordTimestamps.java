package dev.vigil.alerts.poison;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record time of every input: the Kafka timestamp, or — for a record whose timestamp is invalid
 * (negative, as a misbehaving producer can write) — the partition's time so far, or the wall clock on
 * a partition that has none yet. Kafka's default extractor would stop the application on such a
 * record, {@code UsePartitionTimeOnInvalidTimestamp} would too on a fresh partition, and skipping it
 * would lose a control update; this keeps the record.
 */
public final class RecordTimestamps implements TimestampExtractor {

    private static final Logger log = LoggerFactory.getLogger(RecordTimestamps.class);

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long timestamp = record.timestamp();
        if (timestamp >= 0) {
            return timestamp;
        }
        long fallback = partitionTime >= 0 ? partitionTime : System.currentTimeMillis();
        log.debug("Record {}-{}@{} has the invalid timestamp {}; using {}", record.topic(), record.partition(),
                record.offset(), timestamp, fallback);
        return fallback;
    }
}
