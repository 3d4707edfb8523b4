package dev.vigil.indexer;

import dev.vigil.indexer.models.IndexModels;
import dev.vigil.indexer.scene.FrameAnalyzer;
import dev.vigil.indexer.speech.SpeechEngines;
import dev.vigil.indexer.work.Lanes;
import java.time.Duration;

/**
 * What {@link IndexerTopology#build} needs: the topic prefix, the engines and their lanes, the models
 * ({@link IndexModels#offline()} without a model server) and the lanes their calls run on, metrics and
 * the timing settings. Built by {@link IndexerService} from the config, by tests with direct lanes.
 */
public record TopologyDeps(
        String topicPrefix,
        Lanes visionLanes,
        Lanes speechLanes,
        FrameAnalyzer frameAnalyzer,
        IndexModels models,
        Lanes modelLanes,
        SpeechEngines speechEngines,
        IndexerMetrics metrics,
        Duration maxLag,
        Duration sceneCloseGrace,
        Duration maxUtterance,
        Duration transcriptWait) {

    /** Deps from a config with the given engines, models, lanes and metrics. */
    public static TopologyDeps of(String prefix, IndexerConfig config, Lanes vision, Lanes speech, FrameAnalyzer analyzer,
            IndexModels models, Lanes modelLanes, SpeechEngines engines, IndexerMetrics metrics) {
        return new TopologyDeps(prefix, vision, speech, analyzer, models, modelLanes, engines, metrics, config.maxLag(),
                config.sceneCloseGrace(), config.maxUtterance(), config.transcriptWait());
    }
}
