package dev.vigil.ingest;

import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.common.lifecycle.Service;
import dev.vigil.ingest.media.JpegEncoder;
import dev.vigil.ingest.ownership.StreamOwnership;
import dev.vigil.ingest.publish.MediaPublisher;
import dev.vigil.ingest.publish.ProducerSettings;
import dev.vigil.ingest.publish.StatusReporter;
import dev.vigil.ingest.record.RecordingConfig;
import dev.vigil.ingest.record.Recordings;
import dev.vigil.ingest.session.IngestContext;
import dev.vigil.ingest.session.StreamSupervisor;
import dev.vigil.ingest.source.FfmpegLog;
import dev.vigil.schemas.TopicDef;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.IngestState;
import dev.vigil.storage.SegmentStores;
import dev.vigil.storage.StorageConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.awt.image.BufferedImage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest worker as one {@link Service}: joins the consumer group {@code <prefix>ingest-worker} on
 * {@code rtstreams}, ingests the started streams of its partitions (one thread each) and writes
 * {@code media.frames}, {@code media.audio} and {@code rtstreams.status}.
 *
 * <p>{@link #start()} loads FFmpeg, opens the producer and returns once the worker has joined the
 * group (its first assignment, possibly empty when there are more workers than partitions).
 * {@link #close()} leaves the group: its streams are marked released and other workers take them
 * over at once. A worker that dies without leaving is noticed after the session timeout
 * ({@code VIGIL_INGEST_SESSION_TIMEOUT}, 6 s) and its streams move to the others about a second later
 * (heartbeat every 1/6 of the timeout, then a cooperative rebalance, a replay of the moved partitions
 * and a reconnect): within 10 s in the fail-over test.
 */
public final class IngestWorkerService implements Service {

    private static final Logger log = LoggerFactory.getLogger(IngestWorkerService.class);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);

    private final CommonConfig common;
    private final IngestWorkerConfig config;
    private final PrometheusMeterRegistry registry;
    /** Null: this worker records nothing (no storage configured). */
    private final RecordingConfig recording;
    private final StorageConfig storage;
    private MediaPublisher publisher;
    private Recordings recordings;
    private StreamSupervisor supervisor;
    private StreamOwnership ownership;
    private Gauge streamsGauge;
    private boolean closed;

    /** A worker that records nothing, whatever the streams' {@code store} says. */
    public IngestWorkerService(CommonConfig common, IngestWorkerConfig config, PrometheusMeterRegistry registry) {
        this(common, config, null, null, registry);
    }

    /**
     * A worker that records {@code store=true} streams (all with {@code VIGIL_RECORDING_DEFAULT}) into the
     * segment store {@code storage} names.
     */
    public IngestWorkerService(CommonConfig common, IngestWorkerConfig config, RecordingConfig recording,
            StorageConfig storage, PrometheusMeterRegistry registry) {
        this.common = common;
        this.config = config;
        this.recording = recording;
        this.storage = storage;
        this.registry = registry;
    }

    @Override
    public String name() {
        return "ingest-worker";
    }

    @Override
    public synchronized void start() throws Exception {
        if (ownership != null) {
            throw new IllegalStateException("already started");
        }
        FFmpegFrameGrabber.tryLoad();
        FfmpegLog.install();
        warmUpJpeg();
        KafkaClients clients = new KafkaClients(common);
        publisher = new MediaPublisher(
                new KafkaProducer<>(ProducerSettings.forMedia(clients, config.producerBufferBytes()),
                        new ByteArraySerializer(), new ByteArraySerializer()),
                new KafkaProducer<>(ProducerSettings.forStatus(clients), new ByteArraySerializer(), new ByteArraySerializer()),
                common.topicPrefix(), config.producerBufferBytes(), config.audioBlock());
        try {
            publisher.awaitMetadata(JOIN_TIMEOUT);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        StatusReporter status = new StatusReporter(publisher, common.instanceId(), Clock.systemUTC());
        IngestContext context = new IngestContext(config, publisher, status, registry);
        if (recording != null) {
            recordings = new Recordings(config, recording, SegmentStores.open(storage), context.sources(), clients,
                    common.topicPrefix(), common.instanceId(), status, registry);
            try {
                recordings.start();
            } catch (Exception | Error e) {
                close();
                throw e;
            }
        }
        supervisor = recordings == null ? new StreamSupervisor(context) : new StreamSupervisor(context, recordings);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig(clients), new StringDeserializer(),
                new ByteArrayDeserializer());
        Map<String, Object> readerConfig = clients.consumer("vigil-ingest-status-reader", groupId());
        readerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        KafkaConsumer<String, byte[]> statusReader = new KafkaConsumer<>(readerConfig, new StringDeserializer(),
                new ByteArrayDeserializer());
        ownership = new StreamOwnership(consumer, statusReader, common.topicPrefix(), supervisor);
        StreamSupervisor s = supervisor;
        streamsGauge = Gauge.builder("vigil.ingest.streams", s, StreamSupervisor::running)
                .description("Streams this worker is ingesting").register(registry);
        ownership.start();
        if (!ownership.awaitJoined(JOIN_TIMEOUT)) {
            close();
            throw new IllegalStateException("did not join the ingest group " + groupId() + " within " + JOIN_TIMEOUT);
        }
        log.info("Ingest worker {} joined group {}: partitions {}", common.instanceId(), groupId(),
                ownership.assignedPartitions());
    }

    /**
     * Loads the JDK's JPEG encoder once before any stream starts: its first use takes about half a
     * second, which would make every stream's first frames late.
     */
    private void warmUpJpeg() {
        try (JpegEncoder encoder = new JpegEncoder(config.jpegQuality())) {
            encoder.encode(new BufferedImage(16, 16, BufferedImage.TYPE_3BYTE_BGR));
        }
    }

    private Map<String, Object> consumerConfig(KafkaClients clients) {
        Map<String, Object> props = clients.consumer("vigil-ingest-ownership", groupId());
        // The classic protocol: with it the session timeout is the member's own setting (the new
        // consumer protocol takes it from the broker, 45 s by default), and that bounds fail-over.
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, GroupProtocol.CLASSIC.name().toLowerCase(Locale.ROOT));
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.sessionTimeout().toMillis());
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(100, config.sessionTimeout().toMillis() / 6));
        // Cooperative: a rebalance moves only the partitions that change owner; the others keep ingesting.
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        // Offsets are never committed: every owner re-reads its partitions from the beginning.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }

    /** The consumer group of the ingest workers of this topic prefix. */
    public String groupId() {
        return common.topicPrefix() + "ingest-worker";
    }

    @Override
    public boolean isReady() {
        StreamOwnership o = ownership;
        return o != null && !closed && o.isHealthy();
    }

    /** Streams this worker owns and the state each last reported (empty: not yet reported). */
    public Map<String, Optional<IngestState>> streams() {
        StreamSupervisor s = supervisor;
        return s == null ? Map.of() : s.states();
    }

    /** Partition numbers of {@code rtstreams} this worker owns. */
    public Set<Integer> assignedPartitions() {
        StreamOwnership o = ownership;
        return o == null ? Set.of() : o.assignedPartitions();
    }

    /**
     * Leaves the group (streams are released and marked so), waits for the stream threads (each ends
     * within about the I/O timeout) and flushes the producer.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ownership != null) {
            ownership.close(Duration.ofSeconds(30));
        }
        if (supervisor != null && !supervisor.awaitStopped(config.ioTimeout().multipliedBy(2).plusSeconds(5))) {
            log.warn("Some stream threads are still finishing a read; they end on their own");
        }
        if (recordings != null) {
            // After the streams are released: their recorders closed their last segments, stored here.
            recordings.close();
        }
        closeMeters();
        if (publisher != null) {
            publisher.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Stops at once as if the process had died: no group leave (the group notices after the session
     * timeout), no final statuses, unsent records dropped. For fail-over drills and tests.
     */
    public synchronized void halt() {
        if (closed) {
            return;
        }
        closed = true;
        // Ownership first: once its loop has stopped no new spec can start a stream behind our back.
        if (ownership != null) {
            ownership.halt(Duration.ofSeconds(10));
        }
        if (supervisor != null) {
            supervisor.halt();
        } else if (recordings != null) {
            recordings.halt();
        }
        if (publisher != null) {
            publisher.close(Duration.ZERO);
        }
        if (supervisor != null) {
            supervisor.awaitStopped(config.ioTimeout().multipliedBy(2).plusSeconds(5));
        }
        closeMeters();
    }

    private void closeMeters() {
        if (streamsGauge != null) {
            registry.remove(streamsGauge);
        }
    }

    /** The topics this service reads and writes, for the launcher's topic bootstrap. */
    public static List<TopicDef<String, ?>> topics() {
        return List.of(Topics.RTSTREAMS, Topics.RTSTREAM_STATUS, Topics.MEDIA_FRAMES, Topics.MEDIA_AUDIO,
                Topics.RECORDING_SEGMENTS);
    }
}
