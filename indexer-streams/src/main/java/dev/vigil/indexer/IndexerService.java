package dev.vigil.indexer;

import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.kafka.streams.SupervisedStreams;
import dev.vigil.common.lifecycle.Service;
import dev.vigil.common.supervision.RestartPolicy;
import dev.vigil.indexer.scene.FrameAnalyzer;
import dev.vigil.indexer.models.IndexModels;
import dev.vigil.indexer.speech.SpeechEngine;
import dev.vigil.indexer.speech.SpeechEngines;
import dev.vigil.indexer.speech.SphinxFreeFormEngine;
import dev.vigil.indexer.speech.SphinxGrammarEngine;
import dev.vigil.indexer.work.Lanes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import dev.vigil.indexer.spec.ActiveIndexes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indexer as a {@link Service}: the worker lanes, the engines and one Kafka Streams application
 * ({@code <prefix>vigil-indexer} by default, {@code VIGIL_INDEXER_APPLICATION_ID}) running {@link IndexerTopology} under {@link SupervisedStreams}
 * (dead stream threads replaced with back-off, liveness and readiness). {@link #start()} returns once
 * Streams is RUNNING (or throws after {@code VIGIL_INDEXER_START_TIMEOUT}); {@link #close()} stops Streams first,
 * then the lanes and engines.
 *
 * <p>Reads {@code vigil.indexes}, {@code vigil.media.frames}, {@code vigil.media.audio}; writes
 * {@code vigil.index.transcript}, {@code vigil.index.scene}, {@code vigil.index.audio}.
 */
public final class IndexerService implements Service {

    private static final Logger log = LoggerFactory.getLogger(IndexerService.class);

    private final CommonConfig common;
    private final IndexerConfig config;
    private final PrometheusMeterRegistry registry;
    private final IndexerMetrics metrics;
    private Lanes vision;
    private Lanes speech;
    private Lanes modelLanes;
    private IndexModels models;
    private SpeechEngines engines;
    private KafkaStreams streams;
    private SupervisedStreams supervision;
    private KafkaStreamsMetrics streamsMetrics;
    private volatile boolean closed;

    public IndexerService(CommonConfig common, IndexerConfig config, PrometheusMeterRegistry registry) {
        this.common = common;
        this.config = config;
        this.registry = registry;
        this.metrics = new IndexerMetrics(registry);
    }

    @Override
    public String name() {
        return "indexer";
    }

    @Override
    public void start() throws Exception {
        vision = Lanes.threads("vision", config.visionThreads(), config.visionQueue());
        speech = Lanes.threads("speech", config.speechThreads(), config.laneQueue());
        Gauge.builder("vigil_indexer_lane_backlog", vision, Lanes::backlog).tag("lane", "vision").register(registry);
        Gauge.builder("vigil_indexer_lane_backlog", speech, Lanes::backlog).tag("lane", "speech").register(registry);
        engines = speechEngines(config);
        FrameAnalyzer analyzer = new FrameAnalyzer(config.detectInterval(), config.detectMaxAge());
        CompletableFuture<Void> visionWarmUp = warmUp(analyzer);
        // Model calls (scene descriptions, audio summaries) take seconds: their own lanes, so they never hold
        // up frame analysis or speech; as many as calls may be in flight (VIGIL_MODEL_CONCURRENCY).
        models = IndexModels.of(config.models(), registry);
        modelLanes = Lanes.threads("model", config.models().concurrency(), config.laneQueue());
        Gauge.builder("vigil_indexer_lane_backlog", modelLanes, Lanes::backlog).tag("lane", "model").register(registry);
        log.info("Models: {}", config.models());
        modelLanes.submit("model-check", models::check);

        Topology topology = IndexerTopology.build(TopologyDeps.of(common.topicPrefix(), config, vision, speech, analyzer,
                models, modelLanes, engines, metrics));
        Properties props = new Properties();
        props.putAll(IndexerStreamsConfig.of(common, config, metrics));
        log.debug("Indexer topology:\n{}", topology.describe());

        streams = new KafkaStreams(topology, props);
        supervision = new SupervisedStreams("indexer", streams, RestartPolicy.DEFAULT).bindTo(registry);
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        try {
            awaitVisionWarmUp(visionWarmUp);
            supervision.start(config.startTimeout());
        } catch (InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
        log.info("Indexer running: speech engines {}, default transcript engine {}, {} vision and {} speech lane(s)",
                engines.names(), config.transcriptEngine(), config.visionThreads(), config.speechThreads());
    }

    /**
     * The offline engines an index may name (the transcription model, {@code VIGIL_MODEL_TRANSCRIBE}, is
     * not one of them: it is chosen by {@link IndexModels} and falls back to these). Vosk: no model ships here.
     */
    static SpeechEngines speechEngines(IndexerConfig config) {
        Map<String, SpeechEngine> all = new LinkedHashMap<>();
        all.put(SphinxGrammarEngine.NAME, new SphinxGrammarEngine());
        all.put(SphinxFreeFormEngine.NAME, new SphinxFreeFormEngine());
        return new SpeechEngines(all, config.transcriptEngine());
    }

    /**
     * Loads the default grammar recogniser on every speech lane in the background, and on every vision
     * lane OpenCV, the detectors and a few synthetic frames through the whole analysis, so the first
     * utterance and frame do not pay seconds of model loading and compilation. The vision warm-up is
     * waited for before Streams starts (it takes about a second): a lane still loading when every
     * stream's first window opens at once would let that burst pile up.
     */
    private CompletableFuture<Void> warmUp(FrameAnalyzer analyzer) {
        SpeechEngine engine = engines.forIndex("warm-up", null);
        // On every lane (a recogniser per lane thread): keys hashed to lanes could miss some.
        speech.onEveryLane(() -> {
            try {
                engine.warmUp();
            } catch (Exception e) {
                log.warn("Speech engine warm-up failed: {}", e.toString());
            }
        });
        return vision.onEveryLane(analyzer::warmUp);
    }

    private void awaitVisionWarmUp(CompletableFuture<Void> warmUp) throws InterruptedException {
        try {
            warmUp.get(config.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
            log.info("Vision lanes warmed up");
        } catch (ExecutionException e) {
            log.warn("Vision warm-up failed; the first frames will pay for loading OpenCV", e.getCause());
        } catch (TimeoutException e) {
            log.warn("Vision warm-up did not finish within {}; starting anyway", config.startTimeout());
        }
    }

    /** The running indexes of a stream as this instance's table holds them (empty when another instance owns the stream). */
    public ActiveIndexes activeIndexes(String rtstreamId) {
        KafkaStreams s = streams;
        if (s == null) {
            return ActiveIndexes.EMPTY;
        }
        ReadOnlyKeyValueStore<String, ActiveIndexes> store = s.store(StoreQueryParameters.fromNameAndType(
                IndexerTopology.ACTIVE_INDEXES_STORE, QueryableStoreTypes.keyValueStore()));
        ActiveIndexes set = store.get(rtstreamId);
        return set == null ? ActiveIndexes.EMPTY : set;
    }

    public IndexerMetrics metrics() {
        return metrics;
    }

    @Override
    public boolean isReady() {
        SupervisedStreams s = supervision;
        return !closed && s != null && s.isReady();
    }

    @Override
    public boolean isAlive() {
        SupervisedStreams s = supervision;
        return closed || s == null || s.isAlive();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (streams != null) {
            supervision.stopping();
            if (!streams.close(config.closeTimeout())) {
                log.warn("Indexer stream threads did not stop within {}", config.closeTimeout());
            }
            if (streamsMetrics != null) {
                streamsMetrics.close();
            }
        }
        if (vision != null) {
            vision.close();
        }
        if (speech != null) {
            speech.close();
        }
        if (modelLanes != null) {
            modelLanes.close();
        }
        if (models != null) {
            models.close();
        }
        if (engines != null) {
            engines.close();
        }
        log.info("Indexer stopped");
    }
}
