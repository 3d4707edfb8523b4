package dev.vigil.indexer.scene;

import dev.vigil.indexer.IndexerMetrics;
import dev.vigil.indexer.models.IndexModels;
import dev.vigil.indexer.spec.SceneSettings;
import dev.vigil.indexer.work.Lanes;
import dev.vigil.models.ModelResult;
import dev.vigil.schemas.control.IndexSpec;
import dev.vigil.schemas.index.SceneRecord;
import dev.vigil.schemas.media.MediaFrame;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scene indexing of {@code vigil.media.frames} joined with the stream's running scene indexes;
 * forwards {@link SceneRecord}s (to {@code vigil.index.scene}).
 *
 * <p>On the Streams thread: skip stale frames, let every scene index of the stream accept the frame
 * into its current window (at most {@code frame_count} per window, spread over the window), and hand
 * accepted frames to the vision lane of the stream — analysed once, whatever the number of indexes.
 * Analyses come back through a queue that this processor drains on the Streams thread (after each
 * record and on a 25 ms wall-clock punctuation) into the {@code scene-windows} store; a window is
 * emitted once the wall clock is past its end plus a grace and its analyses are in (or a maximum
 * wait has passed). Windows are aligned to the epoch, so the same frames always make the same window.
 * Media captured a few seconds ago (a backlog within the max lag) still fills its windows: a frame is
 * only late when its window was already emitted.
 */
public final class SceneProcessor implements Processor<String, FrameWork, String, SceneRecord> {

    public static final String STORE = "scene-windows";
    /**
     * End of the last emitted window per index id. Kept in a changelogged store, not only in memory: a
     * task that restarts (rebalance, revived after a producer error) reprocesses its uncommitted frames,
     * and without this it would rebuild and emit windows it had already emitted.
     */
    public static final String EMITTED_STORE = "scene-emitted-until";
    private static final Logger log = LoggerFactory.getLogger(SceneProcessor.class);
    private static final Duration PUNCTUATE_EVERY = Duration.ofMillis(25);
    /** A window whose analyses are stuck (lost in a crash, a slow lane) is emitted anyway after this. */
    private static final long MAX_PENDING_WAIT_MS = 3_000;

    private final Lanes lanes;
    private final FrameAnalyzer analyzer;
    private final IndexModels models;
    private final Lanes modelLanes;
    /** Images of the windows of indexes described by a vision model, in memory only (see DESIGN.md), by window key. */
    private final Map<String, List<byte[]>> images = new HashMap<>();
    private final Map<String, IndexSpec> specs = new HashMap<>();
    private final Queue<SceneRecord> described = new ConcurrentLinkedQueue<>();
    private final IndexerMetrics metrics;
    private final long maxLagMs;
    private final long graceMs;
    private final Queue<Done> done = new ConcurrentLinkedQueue<>();
    private final Map<String, KeyValue<Long, SceneSettings>> settings = new HashMap<>();
    /** Wall-clock time each window became due, for the pending-analysis timeout. */
    private final Map<String, Long> dueSince = new HashMap<>();
    private ProcessorContext<String, SceneRecord> context;
    private KeyValueStore<String, SceneWindow> windows;
    private KeyValueStore<String, Long> emittedUntil;

    /** An analysis back from a lane, for the windows that accepted its frame; null analysis when it failed. */
    private record Done(List<String> windowKeys, FrameAnalysis analysis, long captureTs) {
    }

    /**
     * @param models     which vision model describes which index ({@link IndexModels#offline()}: none)
     * @param modelLanes where the blocking model calls run
     */
    public SceneProcessor(Lanes lanes, FrameAnalyzer analyzer, IndexModels models, Lanes modelLanes,
            IndexerMetrics metrics, Duration maxLag, Duration grace) {
        this.lanes = lanes;
        this.analyzer = analyzer;
        this.models = models;
        this.modelLanes = modelLanes;
        this.metrics = metrics;
        this.maxLagMs = maxLag.toMillis();
        this.graceMs = grace.toMillis();
    }

    @Override
    public void init(ProcessorContext<String, SceneRecord> context) {
        this.context = context;
        this.windows = context.getStateStore(STORE);
        this.emittedUntil = context.getStateStore(EMITTED_STORE);
        log.debug("Scene indexer task {} initialised", context.taskId());
        context.schedule(PUNCTUATE_EVERY, PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void process(Record<String, FrameWork> record) {
        MediaFrame frame = record.value().frame();
        long now = context.currentSystemTimeMs();
        long capture = frame.getCaptureTs().toEpochMilli();
        if (now - capture > maxLagMs) {
            metrics.stale("frame");
            log.trace("Skipping frame {} of {}: {} ms old", frame.getSeq(), frame.getRtstreamId(), now - capture);
            return;
        }
        List<SceneWindow> accepting = new ArrayList<>();
        for (IndexSpec spec : record.value().indexes()) {
            specs.put(spec.getId(), spec);
            SceneSettings s = settingsOf(spec);
            long start = Math.floorDiv(capture, s.windowMs()) * s.windowMs();
            long end = start + s.windowMs();
            Long emitted = emittedUntil.get(spec.getId());
            if (emitted != null && end <= emitted) {
                metrics.lateFrame(); // its window has been emitted: never emit a window twice
                continue;
            }
            String key = SceneWindow.key(spec.getId(), start);
            SceneWindow w = windows.get(key);
            if (w == null) {
                w = SceneWindow.open(frame.getRtstreamId(), spec.getCollectionId(), spec.getId(), start, end);
            }
            // Spread the frame_count frames over the window rather than taking the first ones.
            long spacing = s.windowMs() / s.frameCount() / 2;
            if (w.accepted >= s.frameCount() || (w.lastAcceptedTs != Long.MIN_VALUE && capture < w.lastAcceptedTs + spacing)) {
                continue;
            }
            w.accepted++;
            w.pending++;
            w.lastAcceptedTs = capture;
            accepting.add(w);
        }
        if (accepting.isEmpty()) {
            return;
        }
        List<String> keys = accepting.stream().map(SceneWindow::key).toList();
        accepting.forEach(w -> windows.put(w.key(), w));
        byte[] jpeg = bytes(frame.getData());
        for (SceneWindow w : accepting) {
            if (narrated(w.indexId)) {
                images.computeIfAbsent(w.key(), k -> new ArrayList<>()).add(jpeg);
            }
        }
        String stream = frame.getRtstreamId();
        // Useful until the earliest window waiting for it is emitted without it: due at its end plus the
        // grace (at once for a backlog window), then held at most MAX_PENDING_WAIT_MS for its analyses. A
        // lane that cannot start the job by then drops it; a burst it can still serve is queued.
        long due = Math.max(accepting.stream().mapToLong(w -> w.end).min().orElseThrow() + graceMs, now);
        long deadline = due + MAX_PENDING_WAIT_MS;
        boolean queued = lanes.submit(stream, deadline, () -> analyse(stream, capture, jpeg, keys), () -> {
            metrics.dropped(lanes.name()); // picked up too late for its window
            done.add(new Done(keys, null, capture));
        });
        if (!queued) {
            metrics.dropped(lanes.name());
            for (SceneWindow w : accepting) {
                w.accepted--;
                w.pending--;
                windows.put(w.key(), w);
            }
        }
        drain();
    }

    /** Runs on a vision lane. */
    private void analyse(String stream, long capture, byte[] jpeg, List<String> keys) {
        long started = System.nanoTime();
        FrameAnalysis analysis = null;
        try {
            if (System.currentTimeMillis() - capture > maxLagMs) {
                metrics.stale("frame"); // waited too long in the lane
            } else {
                analysis = analyzer.analyse(stream, capture, jpeg);
                metrics.engineLatency(SceneSummary.ENGINE, Duration.ofNanos(System.nanoTime() - started));
            }
        } catch (FrameAnalyzer.UndecodableFrameException e) {
            metrics.undecodable("frame");
            log.warn("Skipping undecodable frame of {} captured at {}: {}", stream, capture, e.getMessage());
        } catch (RuntimeException e) {
            metrics.engineFailure(SceneSummary.ENGINE);
            log.error("Frame analysis failed for {} at {}", stream, capture, e);
        }
        done.add(new Done(keys, analysis, capture));
    }

    private void punctuate(long now) {
        drain();
        List<SceneWindow> due = new ArrayList<>();
        try (KeyValueIterator<String, SceneWindow> all = windows.all()) {
            while (all.hasNext()) {
                SceneWindow w = all.next().value;
                if (now < w.end + graceMs) {
                    continue;
                }
                // Measured from when the window became due, not from its end: a backlog window is due at
                // once but its frames still need their analyses.
                long dueSince = this.dueSince.computeIfAbsent(w.key(), k -> now);
                if (w.pending <= 0 || now - dueSince >= MAX_PENDING_WAIT_MS) {
                    due.add(w);
                }
            }
        }
        for (SceneWindow w : due) {
            windows.delete(w.key());
            dueSince.remove(w.key());
            Long emitted = emittedUntil.get(w.indexId);
            if (emitted == null || emitted < w.end) {
                emittedUntil.put(w.indexId, w.end);
            }
            if (w.analyses.isEmpty()) {
                images.remove(w.key());
                continue; // every frame failed, was dropped or went stale: nothing was measured, say nothing
            }
            SceneSettings s = lastSettings(w.indexId);
            long newest = w.analyses.stream().mapToLong(FrameAnalysis::captureTs).max().orElse(w.end);
            SceneRecord out = SceneSummary.summarise(w, s, newest, now);
            List<byte[]> frames = images.remove(w.key());
            Optional<String> model = visionModel(w.indexId);
            if (frames != null && !frames.isEmpty() && model.isPresent()) {
                describe(out, specs.get(w.indexId), model.get(), frames);
            } else {
                forward(out);
            }
        }
        SceneRecord r;
        while ((r = described.poll()) != null) {
            forward(SceneRecord.newBuilder(r).setEmitTs(java.time.Instant.ofEpochMilli(now)).build());
        }
    }

    private void forward(SceneRecord out) {
        context.forward(new Record<>(out.getRtstreamId(), out, out.getEnd().toEpochMilli()));
        metrics.emitted("scene");
    }

    private boolean narrated(String indexId) {
        return visionModel(indexId).isPresent();
    }

    private Optional<String> visionModel(String indexId) {
        IndexSpec spec = specs.get(indexId);
        return spec == null ? Optional.empty() : models.vision(spec);
    }

    /**
     * Replaces the OpenCV sentence with the vision model's, which read the window's frames and the index
     * prompt; the record's {@code engine} becomes the model. Counts, labels, motion and zones stay
     * OpenCV's, so rules keep working. No answer (failure, timeout, budget): the OpenCV record goes out
     * as it is, counted — never a gap.
     */
    private void describe(SceneRecord out, IndexSpec spec, String model, List<byte[]> frames) {
        boolean queued = modelLanes.submit(out.getRtstreamId(), () -> {
            SceneRecord result = out;
            try {
                ModelResult<String> answer = models.client().describe(spec.getCollectionId(), model, spec.getPrompt(), frames);
                if (answer instanceof ModelResult.Answer<String> a) {
                    metrics.engineLatency(model, a.latency());
                    result = SceneRecord.newBuilder(out).setText(a.value()).setEngine(model).build();
                } else if (answer instanceof ModelResult.Failure<String> f) {
                    metrics.modelFallback("scene", f.kind().tag());
                    log.warn("Vision model {} gave no answer for index {} ({}: {}); emitting the OpenCV record",
                            model, spec.getId(), f.kind().tag(), f.message());
                }
            } catch (RuntimeException e) {
                metrics.modelFallback("scene", "error");
                log.error("Describing a window of index {} failed; emitting the OpenCV record", spec.getId(), e);
            }
            described.add(result);
        });
        if (!queued) {
            metrics.dropped(modelLanes.name());
            metrics.modelFallback("scene", "lane_full");
            forward(out);
        }
    }

    private void drain() {
        Done d;
        while ((d = done.poll()) != null) {
            for (String key : d.windowKeys()) {
                SceneWindow w = windows.get(key);
                if (w == null) {
                    metrics.lateFrame();
                    continue;
                }
                w.pending--;
                if (d.analysis() != null) {
                    w.analyses.add(d.analysis());
                }
                windows.put(key, w);
            }
        }
    }

    private SceneSettings settingsOf(IndexSpec spec) {
        long version = spec.getUpdatedAt().toEpochMilli();
        KeyValue<Long, SceneSettings> cached = settings.get(spec.getId());
        if (cached == null || cached.key != version) {
            cached = KeyValue.pair(version, SceneSettings.of(spec));
            settings.put(spec.getId(), cached);
        }
        return cached.value;
    }

    /** Settings of a window's index as last seen (after a restart before any frame: no zones). */
    private SceneSettings lastSettings(String indexId) {
        KeyValue<Long, SceneSettings> cached = settings.get(indexId);
        return cached != null ? cached.value : new SceneSettings(0, 0, List.of());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
