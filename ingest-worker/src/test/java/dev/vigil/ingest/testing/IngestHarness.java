package dev.vigil.ingest.testing;

import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.ids.Ids;
import dev.vigil.common.ops.MeterRegistries;
import dev.vigil.ingest.IngestWorkerConfig;
import dev.vigil.ingest.IngestWorkerService;
import dev.vigil.ingest.record.RecordingConfig;
import dev.vigil.storage.StorageConfig;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.DesiredState;
import dev.vigil.schemas.control.IngestState;
import dev.vigil.schemas.control.MediaType;
import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.schemas.control.StreamStatus;
import dev.vigil.schemas.media.AudioChunk;
import dev.vigil.schemas.media.MediaFrame;
import dev.vigil.testkit.Eventually;
import dev.vigil.testkit.TestKafka;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ingest workers on the shared test broker: their own topics (unique prefix), a spec writer standing
 * in for control-api, and tails of the status, frame and audio topics. Test settings: files allowed,
 * no pacing, short timeouts and back-off, so failures show within seconds.
 */
public final class IngestHarness implements AutoCloseable {

    /** Settings every test worker gets unless a test overrides them. */
    public static final Map<String, String> TEST_SETTINGS = Map.of(
            "VIGIL_INGEST_ALLOW_FILES", "true",
            "VIGIL_SOURCES_ALLOW_PRIVATE", "true",
            "VIGIL_INGEST_PACING", "none",
            "VIGIL_INGEST_IO_TIMEOUT", "2s",
            "VIGIL_INGEST_WATCHDOG", "2s",
            "VIGIL_INGEST_BACKOFF_MIN", "200ms",
            "VIGIL_INGEST_BACKOFF_MAX", "1s",
            "VIGIL_INGEST_MAX_RETRIES", "3");

    public final TestKafka kafka;
    public final String prefix;
    public final TopicTail<StreamStatus> statuses;
    public final TopicTail<MediaFrame> frames;
    public final TopicTail<AudioChunk> audio;
    private final Map<String, String> settings;
    private final List<IngestWorkerService> workers = new ArrayList<>();
    private final Map<String, PrometheusMeterRegistry> registries = new HashMap<>();

    private IngestHarness(TestKafka kafka, String prefix, Map<String, String> settings) {
        this.kafka = kafka;
        this.prefix = prefix;
        this.settings = settings;
        this.statuses = new TopicTail<>(kafka.bootstrapServers(), prefix, Topics.RTSTREAM_STATUS);
        this.frames = new TopicTail<>(kafka.bootstrapServers(), prefix, Topics.MEDIA_FRAMES);
        this.audio = new TopicTail<>(kafka.bootstrapServers(), prefix, Topics.MEDIA_AUDIO);
    }

    /** New topics with {@code partitions} each; {@code overrides} replace {@link #TEST_SETTINGS}. */
    public static IngestHarness create(TestKafka kafka, int partitions, Map<String, String> overrides) {
        String prefix = kafka.uniquePrefix();
        kafka.createTopics(prefix, IngestWorkerService.topics(), partitions);
        Map<String, String> settings = new HashMap<>(TEST_SETTINGS);
        settings.putAll(overrides);
        return new IngestHarness(kafka, prefix, settings);
    }

    /** Starts a worker named {@code instanceId}; returns once it has joined the group. */
    public IngestWorkerService startWorker(String instanceId) throws Exception {
        return startWorker(instanceId, Map.of());
    }

    public IngestWorkerService startWorker(String instanceId, Map<String, String> overrides) throws Exception {
        Map<String, String> env = new HashMap<>(settings);
        env.putAll(overrides);
        env.put("VIGIL_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("VIGIL_TOPIC_PREFIX", prefix);
        env.put("VIGIL_INSTANCE_ID", instanceId);
        ConfigValues values = ConfigValues.read(env, IngestWorkerConfig.allSettings());
        IngestWorkerService worker = new IngestWorkerService(CommonConfig.from(values, env), IngestWorkerConfig.from(values),
                MeterRegistries.prometheus(instanceId));
        worker.start();
        workers.add(worker);
        return worker;
    }

    /**
     * Starts a worker that also records ({@code VIGIL_RECORDING_*}, {@code VIGIL_STORAGE_*} from the
     * settings and {@code overrides}); returns once it has joined the group and read the segment index.
     */
    public IngestWorkerService startRecordingWorker(String instanceId, Map<String, String> overrides) throws Exception {
        Map<String, String> env = new HashMap<>(settings);
        env.putAll(overrides);
        env.put("VIGIL_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("VIGIL_TOPIC_PREFIX", prefix);
        env.put("VIGIL_INSTANCE_ID", instanceId);
        ConfigValues values = ConfigValues.read(env, IngestWorkerConfig.allSettings());
        PrometheusMeterRegistry registry = MeterRegistries.prometheus(instanceId);
        registries.put(instanceId, registry);
        IngestWorkerService worker = new IngestWorkerService(CommonConfig.from(values, env), IngestWorkerConfig.from(values),
                RecordingConfig.from(values), StorageConfig.from(values), registry);
        worker.start();
        workers.add(worker);
        return worker;
    }

    /** The meters of a worker started by {@link #startRecordingWorker}. */
    public PrometheusMeterRegistry registry(String instanceId) {
        return registries.get(instanceId);
    }

    /** A started spec (not yet written) for {@code url}. */
    public static RtStreamSpec spec(String url, int sampleRate, MediaType... types) {
        Instant now = Instant.now();
        return RtStreamSpec.newBuilder()
                .setId(Ids.rtstreamId())
                .setCollectionId("default")
                .setName("test stream")
                .setUrl(url)
                .setMediaTypes(types.length == 0 ? List.of(MediaType.VIDEO, MediaType.AUDIO) : List.of(types))
                .setSampleRate(sampleRate)
                .setDesiredState(DesiredState.STARTED)
                .setCreatedAt(now)
                .setUpdatedAt(now)
                .build();
    }

    /** Writes {@code spec} to the specs topic, as control-api does. */
    public RtStreamSpec put(RtStreamSpec spec) {
        kafka.send(prefix, Topics.RTSTREAMS, spec.getId(), spec);
        return spec;
    }

    /** Writes a copy of {@code spec} in {@code state} with a new update time. */
    public RtStreamSpec put(RtStreamSpec spec, DesiredState state) {
        return put(RtStreamSpec.newBuilder(spec).setDesiredState(state).setUpdatedAt(Instant.now()).build());
    }

    /** Writes the spec's tombstone, as control-api does on DELETE. */
    public void delete(String rtstreamId) {
        kafka.send(prefix, Topics.RTSTREAMS, rtstreamId, null);
    }

    /** The latest status of the stream, or null. */
    public StreamStatus status(String rtstreamId) {
        return statuses.current(rtstreamId);
    }

    /** Waits until the stream's latest status is {@code state}, and returns it. */
    public StreamStatus awaitState(String rtstreamId, IngestState state, Duration timeout) {
        Eventually.within(timeout).alias(rtstreamId + " reaches " + state + " (statuses so far: "
                        + statuses.values(rtstreamId).stream().map(s -> s.getState() + ":" + s.getReason()).toList() + ")")
                .until(() -> status(rtstreamId) != null && status(rtstreamId).getState() == state);
        return status(rtstreamId);
    }

    public StreamStatus awaitState(String rtstreamId, IngestState state) {
        return awaitState(rtstreamId, state, Eventually.DEFAULT_TIMEOUT);
    }

    /** States the stream went through so far, in order. */
    public List<IngestState> states(String rtstreamId) {
        return statuses.values(rtstreamId).stream().map(StreamStatus::getState).toList();
    }

    @Override
    public void close() {
        for (IngestWorkerService worker : workers) {
            worker.close();
        }
        statuses.close();
        frames.close();
        audio.close();
    }
}
