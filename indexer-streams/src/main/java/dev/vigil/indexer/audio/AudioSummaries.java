package dev.vigil.indexer.audio;

import dev.vigil.indexer.IndexerMetrics;
import dev.vigil.indexer.models.IndexModels;
import dev.vigil.indexer.work.Lanes;
import dev.vigil.models.ModelResult;
import dev.vigil.schemas.control.IndexSpec;
import dev.vigil.schemas.index.AudioRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audio windows summarised by a text model ({@code VIGIL_MODEL_TEXT} or the index's tier) per the index
 * prompt, VideoDB's audio-index semantics: the window's transcript, sound labels and levels go to the model
 * on a model lane, and its answer replaces the sentence ({@code engine} = the model); labels, levels and the
 * quoted transcript stay, so rules keep working. No answer: the DSP record goes out as it is, counted.
 *
 * <p>A window with nothing heard (silence, no transcript) is not sent: there is nothing to summarise and
 * it would spend the collection's budget. Used on the Streams thread; {@link #drain} hands back the
 * summarised records there.
 */
final class AudioSummaries {

    private static final Logger log = LoggerFactory.getLogger(AudioSummaries.class);
    static final String DEFAULT_PROMPT = "Summarise what is heard.";

    private final IndexModels models;
    private final Lanes lanes;
    private final IndexerMetrics metrics;
    private final Map<String, IndexSpec> specs = new HashMap<>();
    private final Queue<AudioRecord> done = new ConcurrentLinkedQueue<>();

    AudioSummaries(IndexModels models, Lanes lanes, IndexerMetrics metrics) {
        this.models = models;
        this.lanes = lanes;
        this.metrics = metrics;
    }

    /** Remembers the specs of the audio indexes a chunk met (their prompt and model tier). */
    void seen(List<IndexSpec> audioIndexes) {
        audioIndexes.forEach(spec -> specs.put(spec.getId(), spec));
    }

    /**
     * The records to forward now: those without a model (or with nothing to summarise) at once; the
     * others are handed to a model lane and come back through {@link #drain}.
     */
    List<AudioRecord> offer(List<AudioRecord> records) {
        List<AudioRecord> now = new ArrayList<>();
        for (AudioRecord r : records) {
            IndexSpec spec = specs.get(r.getIndexId());
            Optional<String> model = spec == null ? Optional.empty() : models.text(spec);
            if (model.isEmpty() || nothingHeard(r)) {
                now.add(r);
            } else if (!lanes.submit(r.getRtstreamId(), () -> done.add(summarise(r, spec, model.get())))) {
                metrics.dropped(lanes.name());
                metrics.modelFallback("audio", "lane_full");
                now.add(r);
            }
        }
        return now;
    }

    /** Summarised (or fallen-back) records since the last call, stamped with {@code now} as emit time. */
    List<AudioRecord> drain(long now) {
        List<AudioRecord> out = new ArrayList<>();
        AudioRecord r;
        while ((r = done.poll()) != null) {
            out.add(AudioRecord.newBuilder(r).setEmitTs(Instant.ofEpochMilli(now)).build());
        }
        return out;
    }

    private static boolean nothingHeard(AudioRecord r) {
        return r.getLabels().contains("silence") && (r.getTranscript() == null || r.getTranscript().isBlank());
    }

    /** Runs on a model lane. */
    private AudioRecord summarise(AudioRecord r, IndexSpec spec, String model) {
        String prompt = spec.getPrompt() == null || spec.getPrompt().isBlank() ? DEFAULT_PROMPT : spec.getPrompt();
        String material = "Audio window of " + (r.getEnd().toEpochMilli() - r.getStart().toEpochMilli()) / 1000.0 + " s.\n"
                + "Sound labels: " + String.join(", ", r.getLabels()) + "\n"
                + "Loudness: " + r.getLoudnessDbfs() + " dBFS, peak " + r.getPeakDbfs() + " dBFS\n"
                + "Transcript: " + (r.getTranscript() == null ? "(no speech recognised)" : "\"" + r.getTranscript() + "\"");
        try {
            ModelResult<String> result = models.client().summarise(spec.getCollectionId(), model, prompt, material);
            if (result instanceof ModelResult.Answer<String> a) {
                metrics.engineLatency(model, a.latency());
                return AudioRecord.newBuilder(r).setText(a.value()).setEngine(model).build();
            }
            ModelResult.Failure<String> f = (ModelResult.Failure<String>) result;
            metrics.modelFallback("audio", f.kind().tag());
            log.warn("Text model {} gave no summary for index {} ({}: {}); emitting the DSP record",
                    model, spec.getId(), f.kind().tag(), f.message());
        } catch (RuntimeException e) {
            metrics.modelFallback("audio", "error");
            log.error("Summarising a window of index {} failed; emitting the DSP record", spec.getId(), e);
        }
        return r;
    }
}
