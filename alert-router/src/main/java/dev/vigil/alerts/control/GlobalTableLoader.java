package dev.vigil.alerts.control;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps a global store equal to a compacted control topic ({@code vigil.events}, {@code vigil.rtstreams}):
 * a value is put under its key, a tombstone deletes the key.
 *
 * <p>Why a global store with this processor rather than {@code StreamsBuilder.globalTable}: Kafka
 * Streams loads a global <em>table</em> at start-up by copying the topic's raw bytes into the store,
 * bypassing the deserialization handler, so a garbage value would sit in the store and fail every
 * lookup of its key. A global store with a processor is loaded through the processor
 * ({@code reprocessOnRestore}): garbage is skipped and counted at start-up exactly as later on.
 */
public final class GlobalTableLoader<V> implements Processor<String, V, Void, Void> {

    private final String storeName;
    private KeyValueStore<String, V> store;

    private GlobalTableLoader(String storeName) {
        this.storeName = storeName;
    }

    public static <V> ProcessorSupplier<String, V, Void, Void> supplier(String storeName) {
        return () -> new GlobalTableLoader<>(storeName);
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, V> record) {
        if (record.key() == null) {
            return; // a compacted topic's record without key updates nothing
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
    }
}
