package dev.vigil.common.kafka.reader;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What a {@link TopicReader} does with what it reads; every method runs on the reader's thread. An
 * exception from any of them is a reader failure: the reader restarts (see {@code DESIGN.md}), so a
 * handler catches what is a property of one record (undecodable bytes) and skips it itself.
 */
@FunctionalInterface
public interface RecordHandler<K, V> {

    /** Applies one record. When it throws, the record is read again after the restart. */
    void apply(ConsumerRecord<K, V> record) throws Exception;

    /**
     * After each poll's records are applied, before waiters on these positions are released: the
     * place to publish a batch, commit a store, or notice having caught up. {@code positions}: the
     * next offset to read per partition (an immutable snapshot). When it throws, the poll's records
     * are not read again.
     */
    default void afterPoll(Map<TopicPartition, Long> positions) throws Exception {
    }

    /** On an orderly close, with the final positions (e.g. to commit). Must not throw. */
    default void beforeClose(Map<TopicPartition, Long> positions) {
    }
}
