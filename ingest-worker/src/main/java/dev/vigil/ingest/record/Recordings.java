package dev.vigil.ingest.record;

import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.common.kafka.reader.TopicReader;
import dev.vigil.common.storage.SegmentStore;
import dev.vigil.ingest.IngestWorkerConfig;
import dev.vigil.ingest.publish.StatusReporter;
import dev.vigil.ingest.source.SourceGuard;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.DesiredState;
import dev.vigil.schemas.control.RecordingState;
import dev.vigil.schemas.control.RtStreamSpec;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recordings of a worker's streams: one {@link StreamRecorder} per owned, started stream with
 * {@code store=true} (or every stream with {@code VIGIL_RECORDING_DEFAULT}), the {@link SegmentShipper}
 * that stores and indexes their segments, the {@link SegmentIndex} of {@code recordings.segments}, and
 * retention: every {@link RecordingConfig#sweepInterval()} the owned streams' segments older than the
 * retention, or beyond the per-stream size, are deleted — object first, then the tombstone. A deleted
 * stream's recording is deleted with it. See {@code DESIGN.md} in this package.
 */
public final class Recordings implements OwnedStreams, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Recordings.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final IngestWorkerConfig ingest;
    private final RecordingConfig config;
    private final SegmentStore store;
    private final SourceGuard sources;
    private final StatusReporter status;
    private final MeterRegistry registry;
    private final String topic;
    private final String workerId;
    private final Path spool;
    private final Clock clock;
    private final SegmentIndex index = new SegmentIndex();
    private final Producer<byte[], byte[]> producer;
    private final TopicReader<String, byte[]> reader;
    private final SegmentShipper shipper;
    private final ScheduledExecutorService retention;
    /** Owned streams (started or stopped) by id: retention looks after their recordings. */
    private final Map<String, RtStreamSpec> owned = new HashMap<>();
    private final Map<String, StreamRecorder> recorders = new HashMap<>();
    private final Set<String> purges = new HashSet<>();
    private final List<StreamRecorder> retiring = new ArrayList<>();
    private RecordingMetrics metrics;
    private boolean closed;

    public Recordings(IngestWorkerConfig ingest, RecordingConfig config, SegmentStore store, SourceGuard sources,
            KafkaClients clients, String topicPrefix, String workerId, StatusReporter status, MeterRegistry registry) {
        this.ingest = ingest;
        this.config = config;
        this.store = store;
        this.sources = sources;
        this.status = status;
        this.registry = registry;
        this.topic = Topics.RECORDING_SEGMENTS.name(topicPrefix);
        this.workerId = workerId;
        this.clock = Clock.systemUTC();
        this.spool = Path.of(System.getProperty("java.io.tmpdir"), "vigil-recording-spool",
                workerId.replaceAll("[^A-Za-z0-9._-]", "_"));
        Map<String, Object> props = clients.producer("vigil-ingest-recordings");
        // Segment index entries are few and small; a send may wait for metadata on the upload thread.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.reader = TopicReader.builder("recording-index", clients.consumer("vigil-ingest-recording-index", "unused"),
                        new StringDeserializer(), new ByteArrayDeserializer())
                .threadName("vigil-recording-index")
                .topic(topic)
                .handler(index::apply)
                .meterRegistry(registry)
                .build();
        this.shipper = new SegmentShipper(store, producer, topicPrefix, config.pendingBytes(), this::changed, index::put);
        this.retention = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigil-recording-retention");
            t.setDaemon(true);
            return t;
        });
    }

    /** Reads the segment index to its end, empties the spool, starts uploads and retention. */
    public void start() throws Exception {
        clearSpool();
        reader.startCaughtUp(START_TIMEOUT);
        metrics = new RecordingMetrics(registry, shipper::pendingBytes);
        shipper.start(metrics);
        long every = config.sweepInterval().toMillis();
        retention.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
        log.info("Recording to {}: segments of {}, retention {}, max {} per stream, default {}", store.describe(),
                config.segment(), config.retention(),
                config.maxBytesPerStream() == 0 ? "unlimited" : config.maxBytesPerStream() + " bytes",
                config.defaultOn() ? "on" : "store=true only");
    }

    /** Segments of a previous run that were never stored: their times are unknown now, so they go. */
    private void clearSpool() throws IOException {
        if (!Files.isDirectory(spool)) {
            return;
        }
        try (Stream<Path> files = Files.list(spool)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    @Override
    public synchronized void adoptEnded(String rtstreamId, RtStreamSpec spec) {
        if (!closed) {
            owned.put(rtstreamId, spec);
        }
    }

    @Override
    public synchronized void apply(String rtstreamId, RtStreamSpec spec) {
        if (closed) {
            return;
        }
        retiring.removeIf(r -> !r.isAlive());
        if (spec == null) {
            owned.remove(rtstreamId);
            stop(rtstreamId, true);
            // Deleting a stream deletes its recording (nobody can play a deleted stream's recording).
            purges.add(rtstreamId);
            retention.execute(this::sweep);
            return;
        }
        owned.put(rtstreamId, spec);
        boolean wanted = spec.getDesiredState() == DesiredState.STARTED && (spec.getStore() || config.defaultOn());
        StreamRecorder current = recorders.get(rtstreamId);
        if (!wanted) {
            stop(rtstreamId, true);
            return;
        }
        if (current != null) {
            boolean sameSource = Objects.equals(current.spec().getUrl(), spec.getUrl())
                    && Objects.equals(current.spec().getMediaTypes(), spec.getMediaTypes());
            boolean restartRequested = !current.isAlive() && !spec.getUpdatedAt().equals(current.spec().getUpdatedAt());
            if (sameSource && !restartRequested) {
                return;
            }
            stop(rtstreamId, true);
        }
        StreamRecorder recorder = new StreamRecorder(spec, ingest, config, sources, spool, workerId,
                index.lastEndMs(rtstreamId), shipper::submit, this::changed);
        recorders.put(rtstreamId, recorder);
        recorder.start();
    }

    private void stop(String rtstreamId, boolean flush) {
        StreamRecorder recorder = recorders.remove(rtstreamId);
        if (recorder != null) {
            recorder.stop(flush);
            retiring.add(recorder);
            status.forgetRecording(rtstreamId);
        }
    }

    /** A recorder's or the shipper's news, passed on to the status only while the stream records here. */
    private void changed(String rtstreamId, RecordingState state, String reason) {
        synchronized (this) {
            if (!recorders.containsKey(rtstreamId)) {
                return;
            }
        }
        status.recording(rtstreamId, state, reason);
    }

    @Override
    public synchronized void release(Collection<String> rtstreamIds) {
        for (String id : rtstreamIds) {
            owned.remove(id);
            stop(id, true);
        }
    }

    @Override
    public void halt() {
        synchronized (this) {
            closed = true;
            for (String id : List.copyOf(recorders.keySet())) {
                stop(id, false);
            }
        }
        shipper.halt();
        shutdown();
    }

    /** Stops the recorders (their last segments are closed), stores what waits (up to 10 s), stops retention. */
    @Override
    public void close() {
        List<StreamRecorder> waiting;
        synchronized (this) {
            closed = true;
            for (String id : List.copyOf(recorders.keySet())) {
                stop(id, true);
            }
            waiting = List.copyOf(retiring);
        }
        for (StreamRecorder r : waiting) {
            try {
                if (!r.join(ingest.ioTimeout().multipliedBy(2).plusSeconds(5))) {
                    log.warn("Recording of {}: thread still running after stop", r.spec().getId());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        shipper.close(Duration.ofSeconds(10));
        shutdown();
    }

    private void shutdown() {
        retention.shutdownNow();
        try {
            retention.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reader.close();
        producer.close(Duration.ofSeconds(5));
        if (metrics != null) {
            metrics.close();
        }
        store.close();
    }

    /** The segments of a stream this worker knows of, oldest first (for tests and tools). */
    List<SegmentIndex.Entry> segments(String rtstreamId) {
        return index.segments(rtstreamId);
    }

    /**
     * One retention pass, on the retention thread: deleted streams lose every segment; owned streams
     * those past the age or size limit. A store failure ends the pass (the next one retries).
     */
    void sweep() {
        try {
            List<String> purging;
            List<String> streams;
            synchronized (this) {
                purging = List.copyOf(purges);
                streams = List.copyOf(owned.keySet());
            }
            for (String id : purging) {
                for (SegmentIndex.Entry e : index.segments(id)) {
                    delete(e);
                }
                synchronized (this) {
                    purges.remove(id);
                }
                log.info("Recording of deleted stream {} deleted", id);
            }
            long cutoff = clock.millis() - config.retention().toMillis();
            for (String id : streams) {
                List<SegmentIndex.Entry> segments = index.segments(id);
                long total = segments.stream().mapToLong(SegmentIndex.Entry::bytes).sum();
                for (SegmentIndex.Entry e : segments) {
                    boolean tooOld = e.endMs() < cutoff;
                    boolean tooBig = config.maxBytesPerStream() > 0 && total > config.maxBytesPerStream();
                    if (!tooOld && !tooBig) {
                        break;
                    }
                    delete(e);
                    total -= e.bytes();
                }
            }
        } catch (IOException e) {
            metrics.storeFailures.increment();
            log.warn("Retention pass stopped: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.error("Retention pass failed", e);
        }
    }

    /** Deletes the object, then writes its tombstone (an index entry never names a missing object for long). */
    private void delete(SegmentIndex.Entry e) throws IOException {
        store.delete(e.key());
        try {
            producer.send(new ProducerRecord<>(topic, Topics.RECORDING_SEGMENTS.keySerde().serializer().serialize(topic, e.key()),
                    null)).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException ex) {
            throw new IOException("tombstone of " + e.key() + " not written: " + ex, ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", ex);
        }
        index.remove(e.key());
        metrics.deleted.increment();
        log.debug("Segment {} deleted", e.key());
    }
}
