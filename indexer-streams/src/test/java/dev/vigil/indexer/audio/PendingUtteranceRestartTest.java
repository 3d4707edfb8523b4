package dev.vigil.indexer.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.indexer.IndexerDriver;
import dev.vigil.indexer.IndexerMetrics;
import dev.vigil.indexer.Speech;
import dev.vigil.indexer.speech.Pcm;
import dev.vigil.indexer.speech.SpeechEngines;
import dev.vigil.indexer.work.Lanes;
import dev.vigil.schemas.index.TranscriptRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * At-least-once for utterances: one parked in {@code transcript-pending} before a crash (as restored
 * from its changelog) is recognised when the processor starts again and its record forwarded.
 */
class PendingUtteranceRestartTest {

    @Test
    void aParkedUtteranceIsRecognisedAfterARestart() {
        MockProcessorContext<String, SpecificRecord> context = new MockProcessorContext<>();
        KeyValueStore<String, PendingUtterance> pending = store(TranscriptIndexer.PENDING_STORE, PendingUtterance.SERDE, context);
        store(TranscriptIndexer.VAD_STORE, VadState.SERDE, context);
        store(TranscriptIndexer.CHUNK_STORE, Serdes.ByteArray(), context);
        store(SoundIndexer.STORE, AudioIndexState.SERDE, context);
        short[] speech = Pcm.dither(Speech.padded(Speech.say("call the police", "en-us"), 250, 250), 1);
        pending.put(PendingUtterance.key("idx", 1_000), new PendingUtterance("rts-1", "default", "idx", null, List.of(),
                1_000, 1_000 + speech.length / 16 - 500, speech.length / 16 - 500, 2_500, Pcm.bytes(speech)));

        AudioProcessor processor = new AudioProcessor(Lanes.direct("speech"),
                new SpeechEngines(Map.of("sphinx4-grammar", IndexerDriver.SPHINX), "sphinx4-grammar"),
                dev.vigil.indexer.models.IndexModels.offline(), Lanes.direct("model"), new IndexerMetrics(new SimpleMeterRegistry()), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(3));
        processor.init(context);
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(5_000);

        assertThat(context.forwarded()).singleElement().satisfies(f -> {
            assertThat(f.record().key()).isEqualTo("rts-1");
            assertThat(((TranscriptRecord) f.record().value()).getText()).isEqualTo("call the police");
        });
        assertThat(pending.approximateNumEntries()).isZero();
    }

    private static <V> KeyValueStore<String, V> store(String name, org.apache.kafka.common.serialization.Serde<V> serde,
            MockProcessorContext<String, SpecificRecord> context) {
        KeyValueStore<String, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), serde)
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }
}
