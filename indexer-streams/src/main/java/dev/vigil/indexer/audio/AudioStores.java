package dev.vigil.indexer.audio;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.state.Stores;

/** The audio processor's state stores: in memory, each with a changelog (fault-tolerant). */
public final class AudioStores {

    private AudioStores() {
    }

    public static void addTo(StreamsBuilder builder) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(TranscriptIndexer.VAD_STORE),
                Serdes.String(), VadState.SERDE));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(TranscriptIndexer.CHUNK_STORE),
                Serdes.String(), Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(TranscriptIndexer.PENDING_STORE),
                Serdes.String(), PendingUtterance.SERDE));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SoundIndexer.STORE),
                Serdes.String(), AudioIndexState.SERDE));
    }
}
