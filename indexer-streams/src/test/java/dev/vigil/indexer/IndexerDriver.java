package dev.vigil.indexer;

import dev.vigil.indexer.models.IndexModels;
import dev.vigil.indexer.scene.FrameAnalyzer;
import dev.vigil.indexer.speech.SpeechEngine;
import dev.vigil.indexer.speech.SpeechEngines;
import dev.vigil.indexer.speech.SphinxGrammarEngine;
import dev.vigil.indexer.work.Lanes;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.IndexSpec;
import dev.vigil.schemas.index.AudioRecord;
import dev.vigil.schemas.index.SceneRecord;
import dev.vigil.schemas.index.TranscriptRecord;
import dev.vigil.schemas.media.AudioChunk;
import dev.vigil.schemas.media.MediaFrame;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The indexer topology in a TopologyTestDriver with direct lanes (engines run inline, so outputs are
 * deterministic) and a wall clock that starts at {@link #T0} and moves only with {@link #advance}.
 */
public final class IndexerDriver implements AutoCloseable {

    /** A wall-clock start aligned to 10 s, so windows of 1, 2 and 5 s start on it. */
    public static final long T0 = 1_800_000_000_000L;
    public static final String PREFIX = "vigil.";

    /** One Sphinx engine for all tests: its recognisers live in the test thread and take seconds to load. */
    public static final SphinxGrammarEngine SPHINX = new SphinxGrammarEngine();

    public final IndexerMetrics metrics = new IndexerMetrics(new SimpleMeterRegistry());
    public final TopologyTestDriver driver;
    public final TestInputTopic<String, IndexSpec> indexes;
    public final TestInputTopic<String, MediaFrame> frames;
    public final TestInputTopic<String, AudioChunk> audio;
    public final TestInputTopic<String, byte[]> rawFrames;
    public final TestOutputTopic<String, SceneRecord> scene;
    public final TestOutputTopic<String, TranscriptRecord> transcripts;
    public final TestOutputTopic<String, AudioRecord> sounds;
    private long now = T0;

    public IndexerDriver() {
        this(new FrameAnalyzer(Duration.ZERO), Map.of(SphinxGrammarEngine.NAME, SPHINX));
    }

    public IndexerDriver(FrameAnalyzer analyzer, Map<String, SpeechEngine> engines) {
        this(analyzer, IndexModels.offline(), engines);
    }

    /** With models (their calls also run inline, on the test thread). */
    public IndexerDriver(FrameAnalyzer analyzer, IndexModels models, Map<String, SpeechEngine> engines) {
        TopologyDeps deps = new TopologyDeps(PREFIX, Lanes.direct("vision"), Lanes.direct("speech"), analyzer,
                models, Lanes.direct("model"), new SpeechEngines(engines, engines.keySet().iterator().next()), metrics, Duration.ofSeconds(10),
                Duration.ofMillis(150), Duration.ofSeconds(10), Duration.ofSeconds(3));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "indexer-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try {
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("indexer-driver").toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        props.putAll(IndexerStreamsConfig.topologyOverrides(metrics));
        driver = new TopologyTestDriver(IndexerTopology.build(deps), props, Instant.ofEpochMilli(T0));
        indexes = driver.createInputTopic(Topics.INDEXES.name(PREFIX), new StringSerializer(),
                Topics.INDEXES.valueSerde().serializer());
        frames = driver.createInputTopic(Topics.MEDIA_FRAMES.name(PREFIX), new StringSerializer(),
                Topics.MEDIA_FRAMES.valueSerde().serializer());
        rawFrames = driver.createInputTopic(Topics.MEDIA_FRAMES.name(PREFIX), new StringSerializer(), new ByteArraySerializer());
        audio = driver.createInputTopic(Topics.MEDIA_AUDIO.name(PREFIX), new StringSerializer(),
                Topics.MEDIA_AUDIO.valueSerde().serializer());
        scene = driver.createOutputTopic(Topics.INDEX_SCENE.name(PREFIX), Topics.INDEX_SCENE.keySerde().deserializer(),
                Topics.INDEX_SCENE.valueSerde().deserializer());
        transcripts = driver.createOutputTopic(Topics.INDEX_TRANSCRIPT.name(PREFIX),
                Topics.INDEX_TRANSCRIPT.keySerde().deserializer(), Topics.INDEX_TRANSCRIPT.valueSerde().deserializer());
        sounds = driver.createOutputTopic(Topics.INDEX_AUDIO.name(PREFIX), Topics.INDEX_AUDIO.keySerde().deserializer(),
                Topics.INDEX_AUDIO.valueSerde().deserializer());
    }

    /** Wall-clock now (ms). */
    public long now() {
        return now;
    }

    /** Moves the wall clock; punctuations due in between run. */
    public void advance(long ms) {
        now += ms;
        driver.advanceWallClockTime(Duration.ofMillis(ms));
    }

    public void index(IndexSpec spec) {
        indexes.pipeInput(spec.getId(), spec, now);
    }

    /** Frames captured now and every {@code everyMs} after, each followed by that much wall-clock time. */
    public void playFrames(String stream, List<byte[]> jpegs, long everyMs) {
        long seq = 0;
        for (byte[] jpeg : jpegs) {
            frames.pipeInput(stream, Media.frame(stream, seq++, now, jpeg), now);
            advance(everyMs);
        }
    }

    /** Audio in chunks of {@code chunkMs}, each delivered when it has been captured (real time). */
    public void playAudio(String stream, short[] samples, int chunkMs) {
        long seq = 0;
        for (short[] c : Speech.chunks(samples, chunkMs)) {
            long start = now;
            advance(c.length / 16);
            audio.pipeInput(stream, Media.chunk(stream, seq++, start, c), now);
        }
    }

    @Override
    public void close() {
        driver.close();
    }
}
