package dev.vigil.indexer;

import dev.vigil.indexer.scene.FrameAnalyzer;
import dev.vigil.indexer.scene.OpenAiVisionEngine;
import dev.vigil.indexer.speech.SpeechEngines;
import dev.vigil.indexer.work.Lanes;
import java.time.Duration;

/**
 * What {@link IndexerTopology#build} needs: the topic prefix, the engines and their lanes, metrics and
 * the timing settings; {@code visionModel} is null unless an OpenAI-compatible endpoint is configured. Built by {@link IndexerService} from the config, by tests with direct lanes.
 */
public record TopologyDeps(
        String topicPrefix,
        Lanes visionLanes,
        Lanes speechLanes,
        FrameAnalyzer frameAnalyzer,
        OpenAiVisionEngine visionModel,
        Lanes visionModelLanes,
        SpeechEngines speechEngines,
        IndexerMetrics metrics,
        Duration maxLag,
        Duration sceneCloseGrace,
        Duration maxUtterance,
        Duration transcriptWait) {

    /** Deps from a config with the given engines, lanes and metrics. */
    public static TopologyDeps of(String prefix, IndexerConfig config, Lanes vision, Lanes speech, FrameAnalyzer analyzer,
            OpenAiVisionEngine visionModel, Lanes visionModelLanes, SpeechEngines engines, IndexerMetrics metrics) {
        return new TopologyDeps(prefix, vision, speech, analyzer, visionModel, visionModelLanes, engines, metrics, config.maxLag(),
                config.sceneCloseGrace(), config.maxUtterance(), config.transcriptWait());
    }
}
