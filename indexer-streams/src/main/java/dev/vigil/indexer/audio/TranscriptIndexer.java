package dev.vigil.indexer.audio;

import dev.vigil.indexer.IndexerMetrics;
import dev.vigil.indexer.models.IndexModels;
import dev.vigil.indexer.spec.TranscriptSettings;
import dev.vigil.indexer.speech.Pcm;
import dev.vigil.indexer.speech.Recognition;
import dev.vigil.indexer.speech.SpeechEngine;
import dev.vigil.indexer.speech.SpeechEngines;
import dev.vigil.indexer.speech.SpeechException;
import dev.vigil.indexer.speech.Utterance;
import dev.vigil.indexer.work.Lanes;
import dev.vigil.models.ModelResult;
import dev.vigil.models.Transcript;
import dev.vigil.schemas.control.IndexSpec;
import dev.vigil.schemas.index.TranscriptRecord;
import dev.vigil.schemas.index.TranscriptWord;
import dev.vigil.schemas.media.AudioChunk;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transcript half of the audio processor, on its Streams thread: per transcript index, run the
 * VAD over each chunk, keep the chunks of the utterance in progress in the {@code transcript-chunks}
 * store (one entry per chunk, so appending never rewrites the buffer in the changelog), and when the
 * VAD closes an utterance cut it out, dither it, park it in {@code transcript-pending} and hand it to
 * the speech lane of the stream. Answers come back through a queue that {@link #drain} turns into
 * {@link TranscriptRecord}s; an utterance without a hit yields no record (counted).
 *
 * <p>With a transcription model ({@code VIGIL_MODEL_TRANSCRIBE}) the lane sends the utterance to it
 * (Whisper-compatible {@code /audio/transcriptions}): free-form text with word timestamps, the record's
 * {@code engine} the model. When the model gives no answer the index's offline engine recognises the
 * same utterance on the same lane job (counted as a model fallback): a failing model never leaves a gap.
 */
final class TranscriptIndexer {

    static final String VAD_STORE = "transcript-vad";
    static final String CHUNK_STORE = "transcript-chunks";
    static final String PENDING_STORE = "transcript-pending";
    private static final Logger log = LoggerFactory.getLogger(TranscriptIndexer.class);
    /** Audio kept before the VAD's onset and after its end: word edges are quieter than the threshold. */
    static final long LEAD_MS = 250;
    /** Chunks older than this behind the newest audio are dropped while nobody speaks. */
    static final long KEEP_MS = 600;
    /** A chunk that does not start within this of where the previous one ended is a gap (ingest restart, skipped stale audio). */
    static final long GAP_MS = 100;

    private final Lanes lanes;
    private final SpeechEngines engines;
    private final IndexModels models;
    private final IndexerMetrics metrics;
    private final long maxUtteranceMs;
    private final Queue<Done> done = new ConcurrentLinkedQueue<>();
    /** Start of each pending utterance by stream, to tell audio windows whether a transcript may still come. */
    private final Map<String, Map<String, Long>> pendingByStream = new HashMap<>();
    private KeyValueStore<String, VadState> vad;
    private KeyValueStore<String, byte[]> chunks;
    private KeyValueStore<String, PendingUtterance> pending;

    /** An engine's answer; {@code words} with absolute times, empty unless a model gave them. */
    private record Done(String key, Recognition recognition, String engine, List<TranscriptWord> words, long finishedAt) {
    }

    TranscriptIndexer(Lanes lanes, SpeechEngines engines, IndexModels models, IndexerMetrics metrics, Duration maxUtterance) {
        this.lanes = lanes;
        this.engines = engines;
        this.models = models;
        this.metrics = metrics;
        this.maxUtteranceMs = maxUtterance.toMillis();
    }

    void init(KeyValueStore<String, VadState> vad, KeyValueStore<String, byte[]> chunks,
            KeyValueStore<String, PendingUtterance> pending) {
        this.vad = vad;
        this.chunks = chunks;
        this.pending = pending;
        // Utterances parked before a crash or a rebalance: recognise them again (at-least-once).
        List<PendingUtterance> parked = new ArrayList<>();
        try (KeyValueIterator<String, PendingUtterance> all = pending.all()) {
            all.forEachRemaining(kv -> parked.add(kv.value));
        }
        parked.forEach(this::submit);
        if (!parked.isEmpty()) {
            log.info("Resubmitted {} utterance(s) parked before a restart", parked.size());
        }
    }

    void onChunk(AudioChunk chunk, short[] samples, List<IndexSpec> indexes) {
        long start = chunk.getStartTs().toEpochMilli();
        long end = start + samples.length * 1000L / Utterance.SAMPLE_RATE;
        for (IndexSpec spec : indexes) {
            VadState s = vad.get(spec.getId());
            if (s == null) {
                s = new VadState(chunk.getRtstreamId(), spec.getCollectionId(), spec.getId());
            }
            if (s.nextChunkTs != Long.MIN_VALUE && Math.abs(start - s.nextChunkTs) > GAP_MS) {
                // Audio is missing: what was said before the gap is one utterance, what follows another.
                Vad.Cut cut = Vad.close(s);
                if (cut != null) {
                    cutOut(s, spec, cut, s.nextChunkTs);
                }
                deleteChunks(spec.getId(), Long.MAX_VALUE);
            }
            s.nextChunkTs = end;
            chunks.put(chunkKey(spec.getId(), start), Pcm.bytes(samples));
            for (Vad.Cut cut : Vad.feed(s, samples, start, maxUtteranceMs)) {
                cutOut(s, spec, cut, end);
            }
            // Nobody speaks: keep only a lead-in. Someone speaks: never more than the longest utterance.
            deleteChunks(spec.getId(), !s.inSpeech && s.voicedRun == 0 ? end - KEEP_MS : end - maxUtteranceMs - 2 * KEEP_MS);
            vad.put(spec.getId(), s);
        }
    }

    /** Builds the utterance from the stored chunks, parks it and submits it. */
    private void cutOut(VadState s, IndexSpec spec, Vad.Cut cut, long captureTs) {
        long from = cut.start() - LEAD_MS;
        long to = cut.end() + LEAD_MS;
        short[] samples = collect(spec.getId(), from, to);
        deleteChunks(spec.getId(), cut.end() - LEAD_MS);
        if (samples.length == 0) {
            return;
        }
        short[] dithered = Pcm.dither(samples, cut.start());
        TranscriptSettings settings = TranscriptSettings.of(spec);
        PendingUtterance u = new PendingUtterance(s.rtstreamId, s.collectionId, s.indexId, settings.engine(),
                settings.vocabulary(), cut.start(), cut.end(), cut.voicedMs(), captureTs, Pcm.bytes(dithered));
        pending.put(u.key(), u);
        submit(u);
    }

    private void submit(PendingUtterance u) {
        pendingByStream.computeIfAbsent(u.rtstreamId(), k -> new HashMap<>()).put(u.key(), u.start());
        SpeechEngine engine = engines.forIndex(u.indexId(), u.engine());
        TranscriptSettings settings = new TranscriptSettings(u.engine(), u.vocabulary());
        short[] samples = Pcm.samples(ByteBuffer.wrap(u.pcm()));
        Optional<String> model = models.transcribe(u.engine());
        boolean queued = lanes.submit(u.rtstreamId(), () -> {
            Done answer = model.map(m -> transcribe(u, m, samples)).orElse(null);
            if (answer == null) {
                answer = recognise(u, engine, settings, samples);
            }
            done.add(answer);
        });
        if (!queued) {
            metrics.dropped(lanes.name());
            forget(u);
        }
    }

    /** Runs on a speech lane: the offline engine's answer ({@code recognition} null when it failed). */
    private Done recognise(PendingUtterance u, SpeechEngine engine, TranscriptSettings settings, short[] samples) {
        long started = System.nanoTime();
        Recognition r;
        try {
            r = engine.recognise(new Utterance(samples, u.voicedMs()), settings);
            metrics.engineLatency(engine.name(), Duration.ofNanos(System.nanoTime() - started));
        } catch (SpeechException | RuntimeException e) {
            metrics.engineFailure(engine.name());
            log.warn("{} failed on an utterance of {} at {}", engine.name(), u.rtstreamId(), u.start(), e);
            r = null;
        }
        return new Done(u.key(), r, engine.name(), List.of(), System.currentTimeMillis());
    }

    /**
     * Runs on a speech lane: the transcription model's answer (blank text: it heard no words, no record),
     * or null when it gave none, so that the offline engine takes over.
     */
    private Done transcribe(PendingUtterance u, String model, short[] samples) {
        String prompt = u.vocabulary().isEmpty() ? null : String.join(", ", u.vocabulary());
        ModelResult<Transcript> result;
        try {
            result = models.client().transcribe(u.collectionId(), model, Pcm.wav(samples, Utterance.SAMPLE_RATE), prompt);
        } catch (RuntimeException e) {
            metrics.modelFallback("transcript", "error");
            log.error("Transcription model {} failed on an utterance of {}; using the offline engine", model, u.rtstreamId(), e);
            return null;
        }
        if (result instanceof ModelResult.Failure<Transcript> f) {
            metrics.modelFallback("transcript", f.kind().tag());
            log.warn("Transcription model {} gave no answer for {} ({}: {}); using the offline engine",
                    model, u.rtstreamId(), f.kind().tag(), f.message());
            return null;
        }
        ModelResult.Answer<Transcript> a = (ModelResult.Answer<Transcript>) result;
        metrics.engineLatency(model, a.latency());
        List<TranscriptWord> words = a.value().words().stream()
                .map(w -> new TranscriptWord(w.word(), Instant.ofEpochMilli(u.start() + Math.round(w.start() * 1000)),
                        Instant.ofEpochMilli(u.start() + Math.round(w.end() * 1000))))
                .toList();
        // Whisper-style servers give no calibrated utterance confidence; 0.9 as for grammar hits.
        Recognition r = a.value().text().isBlank() ? Recognition.NONE : new Recognition(a.value().text(), 0.9);
        return new Done(u.key(), r, model, words, System.currentTimeMillis());
    }

    /** Records of the utterances the engines answered since the last call. */
    List<KeyValue<String, TranscriptRecord>> drain(long now) {
        List<KeyValue<String, TranscriptRecord>> out = new ArrayList<>();
        Done d;
        while ((d = done.poll()) != null) {
            PendingUtterance u = pending.get(d.key());
            if (u == null) {
                continue;
            }
            forget(u);
            if (d.recognition() == null) {
                continue;
            }
            if (!d.recognition().isHit()) {
                metrics.noHit(d.engine());
                continue;
            }
            out.add(KeyValue.pair(u.rtstreamId(), TranscriptRecord.newBuilder()
                    .setRtstreamId(u.rtstreamId())
                    .setCollectionId(u.collectionId())
                    .setIndexId(u.indexId())
                    .setStart(Instant.ofEpochMilli(u.start()))
                    .setEnd(Instant.ofEpochMilli(u.end()))
                    .setText(d.recognition().text())
                    .setIsFinal(true)
                    .setConfidence(d.recognition().confidence())
                    .setEngine(d.engine())
                    .setWords(d.words().isEmpty() ? null : d.words())
                    .setCaptureTs(Instant.ofEpochMilli(u.captureTs()))
                    .setEmitTs(Instant.ofEpochMilli(now))
                    .build()));
        }
        return out;
    }

    private void forget(PendingUtterance u) {
        pending.delete(u.key());
        Map<String, Long> starts = pendingByStream.get(u.rtstreamId());
        if (starts != null) {
            starts.remove(u.key());
            if (starts.isEmpty()) {
                pendingByStream.remove(u.rtstreamId());
            }
        }
    }

    /**
     * Whether a transcript covering audio before {@code ts} may still come for the stream: one of its
     * transcript indexes is inside an utterance that began before, or such an utterance awaits its engine.
     */
    boolean mayStillTranscribe(String rtstreamId, List<IndexSpec> indexes, long ts) {
        for (IndexSpec spec : indexes) {
            VadState s = vad.get(spec.getId());
            if (s != null && (s.inSpeech || s.voicedRun > 0) && (s.inSpeech ? s.speechStartTs : s.runStartTs) < ts) {
                return true;
            }
        }
        Map<String, Long> starts = pendingByStream.get(rtstreamId);
        return starts != null && starts.values().stream().anyMatch(start -> start < ts);
    }

    private static String chunkKey(String indexId, long start) {
        return indexId + '/' + String.format("%015d", start);
    }

    /** Samples of the stored chunks of an index between {@code from} and {@code to} (epoch ms). */
    private short[] collect(String indexId, long from, long to) {
        List<KeyValue<Long, byte[]>> parts = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = chunks.range(indexId + '/', indexId + "/~")) {
            it.forEachRemaining(kv -> parts.add(KeyValue.pair(Long.parseLong(kv.key.substring(indexId.length() + 1)), kv.value)));
        }
        if (parts.isEmpty()) {
            return new short[0];
        }
        long first = Math.max(from, parts.get(0).key);
        int total = (int) Math.max(0, (to - first) * Utterance.SAMPLE_RATE / 1000);
        ByteBuffer out = ByteBuffer.allocate(total * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (KeyValue<Long, byte[]> part : parts) {
            long chunkStart = part.key;
            int samples = part.value.length / 2;
            for (int i = 0; i < samples && out.hasRemaining(); i++) {
                long t = chunkStart + i * 1000L / Utterance.SAMPLE_RATE;
                if (t >= first && t < to) {
                    out.put(part.value[2 * i]).put(part.value[2 * i + 1]);
                }
            }
        }
        out.flip();
        short[] result = new short[out.remaining() / 2];
        out.asShortBuffer().get(result);
        return result;
    }

    /** Deletes an index's chunks that end before {@code before}. */
    private void deleteChunks(String indexId, long before) {
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = chunks.range(indexId + '/', indexId + "/~")) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                long start = Long.parseLong(kv.key.substring(indexId.length() + 1));
                if (start + kv.value.length / 2 * 1000L / Utterance.SAMPLE_RATE < before) {
                    old.add(kv.key);
                }
            }
        }
        old.forEach(chunks::delete);
    }
}
