package dev.vigil.indexer.audio;

import dev.vigil.indexer.spec.AudioSettings;
import dev.vigil.schemas.control.IndexSpec;
import dev.vigil.schemas.index.AudioRecord;
import dev.vigil.schemas.index.TranscriptRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The sound half of the audio processor, on its Streams thread: per audio index, fold each chunk's
 * 20 ms {@link SoundFrame}s into epoch-aligned windows of the index's length (the
 * {@code audio-windows} store), and turn each finished window into an {@link AudioRecord} with
 * level, labels, description and — when a transcript index runs on the same stream — the text of the
 * transcripts overlapping the window. A finished window is held while that stream's transcript may
 * still come (an utterance open or awaiting its engine), at most {@code transcriptWait}.
 *
 * <p>The recent transcripts are kept in memory only (the last {@value #RECENT} per stream): after a
 * restart, windows may miss the text of speech recognised before it.
 */
final class SoundIndexer {

    static final String STORE = "audio-windows";
    static final String ENGINE = "dsp";
    static final int RECENT = 32;
    /** A window of a stream that stopped sending audio is closed this long after its end (wall clock). */
    static final long SILENT_STREAM_CLOSE_MS = 2_000;

    private final long transcriptWaitMs;
    private final Map<String, Deque<TranscriptRecord>> recent = new HashMap<>();
    private final Map<String, List<IndexSpec>> transcriptIndexes = new HashMap<>();
    private final Map<String, KeyValue<Long, AudioSettings>> settings = new HashMap<>();
    private KeyValueStore<String, AudioIndexState> windows;

    SoundIndexer(Duration transcriptWait) {
        this.transcriptWaitMs = transcriptWait.toMillis();
    }

    void init(KeyValueStore<String, AudioIndexState> windows) {
        this.windows = windows;
    }

    /** A transcript record of a stream was emitted: audio windows overlapping it may quote it. */
    void transcribed(TranscriptRecord record) {
        Deque<TranscriptRecord> q = recent.computeIfAbsent(record.getRtstreamId(), k -> new ArrayDeque<>());
        q.addLast(record);
        while (q.size() > RECENT) {
            q.removeFirst();
        }
    }

    List<KeyValue<String, AudioRecord>> onFrames(String rtstreamId, List<SoundFrame> frames, long captureTs,
            List<IndexSpec> audioIndexes, List<IndexSpec> transcripts, TranscriptIndexer transcriber, long now) {
        transcriptIndexes.put(rtstreamId, transcripts);
        List<KeyValue<String, AudioRecord>> out = new ArrayList<>();
        for (IndexSpec spec : audioIndexes) {
            long windowMs = settingsOf(spec).windowMs();
            AudioIndexState s = windows.get(spec.getId());
            if (s == null) {
                s = new AudioIndexState(rtstreamId, spec.getCollectionId(), spec.getId());
            }
            for (SoundFrame f : frames) {
                if (s.current != null && f.ts() >= s.current.end) {
                    finish(s, now);
                }
                if (s.current == null) {
                    long start = Math.floorDiv(f.ts(), windowMs) * windowMs;
                    s.current = new SoundWindow(start, start + windowMs);
                }
                s.current.add(f);
                s.current.captureTs = captureTs;
            }
            release(s, transcriber, now, out);
            windows.put(spec.getId(), s);
        }
        return out;
    }

    /** Wall-clock check: releases held windows whose wait is over, closes windows of silent streams. */
    List<KeyValue<String, AudioRecord>> punctuate(TranscriptIndexer transcriber, long now) {
        List<KeyValue<String, AudioRecord>> out = new ArrayList<>();
        List<AudioIndexState> changed = new ArrayList<>();
        try (KeyValueIterator<String, AudioIndexState> all = windows.all()) {
            while (all.hasNext()) {
                AudioIndexState s = all.next().value;
                boolean dirty = false;
                if (s.current != null && now >= s.current.end + SILENT_STREAM_CLOSE_MS) {
                    finish(s, now);
                    dirty = true;
                }
                int before = s.held.size();
                release(s, transcriber, now, out);
                if (dirty || s.held.size() != before) {
                    changed.add(s);
                }
            }
        }
        changed.forEach(s -> windows.put(s.indexId, s));
        return out;
    }

    private static void finish(AudioIndexState s, long now) {
        s.current.heldSince = now;
        s.held.add(s.current);
        s.current = null;
    }

    private void release(AudioIndexState s, TranscriptIndexer transcriber, long now, List<KeyValue<String, AudioRecord>> out) {
        List<IndexSpec> transcripts = transcriptIndexes.getOrDefault(s.rtstreamId, List.of());
        while (!s.held.isEmpty()) {
            SoundWindow w = s.held.get(0);
            boolean waiting = !transcripts.isEmpty() && now < w.heldSince + transcriptWaitMs
                    && transcriber.mayStillTranscribe(s.rtstreamId, transcripts, w.end);
            if (waiting) {
                return;
            }
            s.held.remove(0);
            out.add(KeyValue.pair(s.rtstreamId, record(s, w, transcripts.isEmpty() ? null : transcriptOf(s.rtstreamId, w), now)));
        }
    }

    private String transcriptOf(String rtstreamId, SoundWindow w) {
        String text = recent.getOrDefault(rtstreamId, new ArrayDeque<>()).stream()
                .filter(t -> t.getStart().toEpochMilli() < w.end && t.getEnd().toEpochMilli() > w.start)
                .map(TranscriptRecord::getText)
                .collect(Collectors.joining(" "));
        return text.isBlank() ? null : text;
    }

    private static AudioRecord record(AudioIndexState s, SoundWindow w, String transcript, long now) {
        SoundLabels.Result r = SoundLabels.of(w, transcript);
        // A silent window only touches an utterance's padded edges: no words were heard in it, so it
        // quotes none (a rule on the words must not fire on a record that says "Silence.").
        String quoted = r.labels().contains("silence") ? null : transcript;
        return AudioRecord.newBuilder()
                .setRtstreamId(s.rtstreamId)
                .setCollectionId(s.collectionId)
                .setIndexId(s.indexId)
                .setStart(Instant.ofEpochMilli(w.start))
                .setEnd(Instant.ofEpochMilli(w.end))
                .setText(r.text())
                .setLabels(r.labels())
                .setLoudnessDbfs(Math.round(w.loudnessDb() * 10) / 10.0)
                .setPeakDbfs(Math.round(w.peakDb() * 10) / 10.0)
                .setTranscript(quoted)
                .setConfidence(r.confidence())
                .setEngine(ENGINE)
                .setCaptureTs(Instant.ofEpochMilli(w.captureTs))
                .setEmitTs(Instant.ofEpochMilli(now))
                .build();
    }

    private AudioSettings settingsOf(IndexSpec spec) {
        long version = spec.getUpdatedAt().toEpochMilli();
        KeyValue<Long, AudioSettings> cached = settings.get(spec.getId());
        if (cached == null || cached.key != version) {
            cached = KeyValue.pair(version, AudioSettings.of(spec));
            settings.put(spec.getId(), cached);
        }
        return cached.value;
    }
}
