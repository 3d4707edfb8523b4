package dev.vigil.indexer;

import dev.vigil.indexer.audio.AudioProcessor;
import dev.vigil.indexer.audio.AudioWork;
import dev.vigil.indexer.audio.AudioStores;
import dev.vigil.indexer.scene.FrameWork;
import dev.vigil.indexer.scene.SceneProcessor;
import dev.vigil.indexer.scene.SceneWindowSerde;
import dev.vigil.indexer.spec.ActiveIndexes;
import dev.vigil.indexer.spec.ActiveIndexesSerde;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.IndexSpec;
import dev.vigil.schemas.control.IndexType;
import dev.vigil.schemas.index.AudioRecord;
import dev.vigil.schemas.index.TranscriptRecord;
import dev.vigil.schemas.media.AudioChunk;
import dev.vigil.schemas.media.MediaFrame;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The indexer's topology, one application with three branches (see DESIGN.md in this package):
 *
 * <pre>
 * vigil.indexes ──table──► group by rtstream id ──aggregate──► active indexes per stream (KTable)
 *                                                                   │ join (inner, lookup at media time)
 * vigil.media.frames ──────────────────────────────────────────────►┤──► SceneProcessor ──► vigil.index.scene
 * vigil.media.audio  ──────────────────────────────────────────────►┘──► AudioProcessor ──┬► vigil.index.transcript
 *                                                                                          └► vigil.index.audio
 * </pre>
 *
 * Reads {@code vigil.indexes}, {@code vigil.media.frames}, {@code vigil.media.audio}; writes
 * {@code vigil.index.scene}, {@code vigil.index.transcript}, {@code vigil.index.audio}. All stores
 * are in memory with changelogs (small state; see DESIGN.md).
 */
public final class IndexerTopology {

    /** Running indexes per rtstream id. */
    public static final String ACTIVE_INDEXES_STORE = "active-indexes";
    static final String INDEXES_STORE = "indexes";

    private IndexerTopology() {
    }

    public static Topology build(TopologyDeps deps) {
        String prefix = deps.topicPrefix();
        StreamsBuilder builder = new StreamsBuilder();

        // The latest spec of every index (tombstone = deleted), re-keyed by its stream and folded into
        // the set of RUNNING indexes per stream. groupBy/aggregate gets the old spec of an index as a
        // subtraction and the new one as an addition, so an index that stops, moves or is deleted
        // leaves its old stream's set. The repartition topic is co-partitioned with the media topics.
        KTable<String, IndexSpec> specs = builder.table(Topics.INDEXES.name(prefix),
                Consumed.with(Topics.INDEXES.keySerde(), Topics.INDEXES.valueSerde()),
                Materialized.<String, IndexSpec>as(Stores.inMemoryKeyValueStore(INDEXES_STORE))
                        .withKeySerde(Serdes.String()).withValueSerde(Topics.INDEXES.valueSerde()));
        KTable<String, ActiveIndexes> active = specs
                .groupBy((indexId, spec) -> KeyValue.pair(spec.getRtstreamId(), spec),
                        Grouped.with("indexes-by-stream", Serdes.String(), Topics.INDEXES.valueSerde()))
                .aggregate(() -> ActiveIndexes.EMPTY,
                        (stream, spec, set) -> set.with(spec),
                        (stream, spec, set) -> set.without(spec),
                        Materialized.<String, ActiveIndexes>as(Stores.inMemoryKeyValueStore(ACTIVE_INDEXES_STORE))
                                .withKeySerde(Serdes.String()).withValueSerde(new ActiveIndexesSerde()));

        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SceneProcessor.STORE),
                Serdes.String(), new SceneWindowSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SceneProcessor.EMITTED_STORE),
                Serdes.String(), Serdes.Long()));
        AudioStores.addTo(builder);

        // Stream-table inner join: each frame meets the stream's running indexes as the table holds
        // them when the frame is processed (no re-join when an index starts later: live media only
        // matters now). A stream without running indexes, or with none of the type, drops its media here.
        builder.stream(Topics.MEDIA_FRAMES.name(prefix), Consumed.with(Topics.MEDIA_FRAMES.keySerde(), Topics.MEDIA_FRAMES.valueSerde()))
                .join(active, (MediaFrame frame, ActiveIndexes set) -> new FrameWork(frame, set.ofType(IndexType.SCENE)))
                .filter((stream, work) -> !work.indexes().isEmpty(), Named.as("frames-with-scene-indexes"))
                .process(() -> new SceneProcessor(deps.visionLanes(), deps.frameAnalyzer(), deps.models(),
                        deps.modelLanes(), deps.metrics(), deps.maxLag(), deps.sceneCloseGrace()), Named.as("scene-indexer"),
                        SceneProcessor.STORE, SceneProcessor.EMITTED_STORE)
                .to(Topics.INDEX_SCENE.name(prefix), Produced.with(Topics.INDEX_SCENE.keySerde(), Topics.INDEX_SCENE.valueSerde()));

        KStream<String, SpecificRecord> audioOut = builder.stream(Topics.MEDIA_AUDIO.name(prefix),
                        Consumed.with(Topics.MEDIA_AUDIO.keySerde(), Topics.MEDIA_AUDIO.valueSerde()))
                .join(active, (AudioChunk chunk, ActiveIndexes set) ->
                        new AudioWork(chunk, set.ofType(IndexType.TRANSCRIPT), set.ofType(IndexType.AUDIO)))
                .filter((stream, work) -> !work.transcriptIndexes().isEmpty() || !work.audioIndexes().isEmpty(),
                        Named.as("audio-with-indexes"))
                .process(() -> new AudioProcessor(deps.speechLanes(), deps.speechEngines(), deps.models(),
                        deps.modelLanes(), deps.metrics(), deps.maxLag(), deps.maxUtterance(), deps.transcriptWait()), Named.as("audio-indexer"),
                        AudioProcessor.STORES.toArray(String[]::new));
        audioOut.filter((stream, r) -> r instanceof TranscriptRecord, Named.as("transcripts"))
                .mapValues(r -> (TranscriptRecord) r)
                .to(Topics.INDEX_TRANSCRIPT.name(prefix),
                        Produced.with(Topics.INDEX_TRANSCRIPT.keySerde(), Topics.INDEX_TRANSCRIPT.valueSerde()));
        audioOut.filter((stream, r) -> r instanceof AudioRecord, Named.as("sounds"))
                .mapValues(r -> (AudioRecord) r)
                .to(Topics.INDEX_AUDIO.name(prefix), Produced.with(Topics.INDEX_AUDIO.keySerde(), Topics.INDEX_AUDIO.valueSerde()));
        return builder.build();
    }
}
