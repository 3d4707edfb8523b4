package dev.vigil.indexer.audio;

import dev.vigil.indexer.IndexerMetrics;
import dev.vigil.indexer.models.IndexModels;
import dev.vigil.indexer.speech.Pcm;
import dev.vigil.indexer.speech.SpeechEngines;
import dev.vigil.indexer.speech.Utterance;
import dev.vigil.indexer.work.Lanes;
import dev.vigil.schemas.index.AudioRecord;
import dev.vigil.schemas.index.TranscriptRecord;
import dev.vigil.schemas.media.AudioChunk;
import dev.vigil.schemas.media.AudioEncoding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transcript and audio indexing of {@code vigil.media.audio} joined with the stream's running
 * transcript and audio indexes; forwards {@link TranscriptRecord}s and {@link AudioRecord}s (the
 * topology routes them to {@code vigil.index.transcript} and {@code vigil.index.audio}). One
 * processor for both, so audio windows can quote the transcripts of the same stream.
 *
 * <p>Skips chunks that are not 16 kHz mono s16le (counted as undecodable) or older than the max lag
 * (counted as stale). Cheap work — VAD, sound features (0.35 ms per second of audio) — runs here;
 * speech recognition runs on the speech lanes, and its answers are forwarded from this thread after
 * each chunk and on a 20 ms wall-clock punctuation. With a text model, audio windows are summarised on
 * the model lanes ({@link AudioSummaries}) and forwarded from this thread when the answer is back.
 */
public final class AudioProcessor implements Processor<String, AudioWork, String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(AudioProcessor.class);
    private static final Duration PUNCTUATE_EVERY = Duration.ofMillis(20);

    /** State stores this processor uses. */
    public static final List<String> STORES = List.of(TranscriptIndexer.VAD_STORE, TranscriptIndexer.CHUNK_STORE,
            TranscriptIndexer.PENDING_STORE, SoundIndexer.STORE);

    private final IndexerMetrics metrics;
    private final long maxLagMs;
    private final TranscriptIndexer transcriber;
    private final SoundIndexer sound;
    private final AudioSummaries summaries;
    private ProcessorContext<String, SpecificRecord> context;

    public AudioProcessor(Lanes speechLanes, SpeechEngines engines, IndexModels models, Lanes modelLanes,
            IndexerMetrics metrics, Duration maxLag, Duration maxUtterance, Duration transcriptWait) {
        this.metrics = metrics;
        this.maxLagMs = maxLag.toMillis();
        this.transcriber = new TranscriptIndexer(speechLanes, engines, models, metrics, maxUtterance);
        this.sound = new SoundIndexer(transcriptWait);
        this.summaries = new AudioSummaries(models, modelLanes, metrics);
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        transcriber.init(context.getStateStore(TranscriptIndexer.VAD_STORE), context.getStateStore(TranscriptIndexer.CHUNK_STORE),
                context.getStateStore(TranscriptIndexer.PENDING_STORE));
        sound.init(context.getStateStore(SoundIndexer.STORE));
        context.schedule(PUNCTUATE_EVERY, PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void process(Record<String, AudioWork> record) {
        AudioChunk chunk = record.value().chunk();
        String problem = problem(chunk);
        if (problem != null) {
            metrics.undecodable("audio");
            log.warn("Skipping audio chunk {} of {}: {}", chunk.getSeq(), chunk.getRtstreamId(), problem);
            return;
        }
        short[] samples = Pcm.samples(chunk.getData());
        long start = chunk.getStartTs().toEpochMilli();
        long end = start + samples.length * 1000L / Utterance.SAMPLE_RATE;
        long now = context.currentSystemTimeMs();
        if (now - end > maxLagMs) {
            metrics.stale("audio");
            log.trace("Skipping audio chunk {} of {}: {} ms old", chunk.getSeq(), chunk.getRtstreamId(), now - end);
            return;
        }
        if (!record.value().transcriptIndexes().isEmpty()) {
            transcriber.onChunk(chunk, samples, record.value().transcriptIndexes());
        }
        forwardTranscripts(now);
        if (!record.value().audioIndexes().isEmpty()) {
            summaries.seen(record.value().audioIndexes());
            List<SoundFrame> frames = new ArrayList<>(samples.length / Vad.FRAME + 1);
            for (int off = 0; off < samples.length; off += Vad.FRAME) {
                frames.add(SoundFrame.of(samples, off, Math.min(Vad.FRAME, samples.length - off),
                        start + off * 1000L / Utterance.SAMPLE_RATE));
            }
            forwardAudio(sound.onFrames(chunk.getRtstreamId(), frames, end, record.value().audioIndexes(),
                    record.value().transcriptIndexes(), transcriber, now));
        }
    }

    private static String problem(AudioChunk chunk) {
        if (chunk.getEncoding() != AudioEncoding.PCM_S16LE) {
            return "encoding " + chunk.getEncoding() + " (expected PCM_S16LE)";
        }
        if (chunk.getSampleRate() != Utterance.SAMPLE_RATE || chunk.getChannels() != 1) {
            return chunk.getSampleRate() + " Hz, " + chunk.getChannels() + " channel(s) (expected 16000 Hz mono)";
        }
        int bytes = chunk.getData().remaining();
        if (bytes == 0 || bytes % 2 != 0) {
            return bytes + " bytes of data (expected a positive even number)";
        }
        return null;
    }

    private void punctuate(long now) {
        forwardTranscripts(now);
        forwardAudio(sound.punctuate(transcriber, now));
        for (AudioRecord r : summaries.drain(now)) {
            context.forward(new Record<>(r.getRtstreamId(), r, r.getEnd().toEpochMilli()));
            metrics.emitted("audio");
        }
    }

    private void forwardTranscripts(long now) {
        for (KeyValue<String, TranscriptRecord> kv : transcriber.drain(now)) {
            context.forward(new Record<>(kv.key, kv.value, kv.value.getEnd().toEpochMilli()));
            sound.transcribed(kv.value);
            metrics.emitted("transcript");
        }
    }

    private void forwardAudio(List<KeyValue<String, AudioRecord>> records) {
        if (records.isEmpty()) {
            return;
        }
        for (AudioRecord r : summaries.offer(records.stream().map(kv -> kv.value).toList())) {
            context.forward(new Record<>(r.getRtstreamId(), r, r.getEnd().toEpochMilli()));
            metrics.emitted("audio");
        }
    }
}
