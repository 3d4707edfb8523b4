package dev.vigil.ingest.session;

import dev.vigil.ingest.publish.StreamMetrics;
import dev.vigil.ingest.record.OwnedStreams;
import dev.vigil.schemas.control.DesiredState;
import dev.vigil.schemas.control.IngestState;
import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.schemas.control.StreamStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams this worker owns: starts a {@link StreamIngest} for each started spec of an owned
 * partition, restarts it when the spec's URL, media types or sample rate change (or when a start
 * request arrives for a stream that ended or failed), and stops it on stop, delete and partition
 * release, writing the final status itself (a stopped stream writes nothing more):
 * <ul>
 *   <li>stop → STOPPED; delete → the status is removed (tombstone);</li>
 *   <li>partition revoked → RECONNECTING "released by worker ..." (the next owner reports next), written
 *       before the revocation completes so it cannot land after the new owner's first status;</li>
 *   <li>partition lost, or {@link #halt()} → nothing (another worker may already own the stream).</li>
 * </ul>
 * Thread-safe; in the worker it is driven by the ownership thread only.
 */
public final class StreamSupervisor {

    private static final Logger log = LoggerFactory.getLogger(StreamSupervisor.class);

    private final IngestContext context;
    /** The recordings follow the same ownership (see the record package). */
    private final OwnedStreams recordings;
    private final Map<String, Owned> streams = new HashMap<>();
    /** Stopped ingests whose thread may still be finishing a read; joined on close. */
    private final List<StreamIngest> retiring = new ArrayList<>();

    private record Owned(RtStreamSpec spec, int partition, StreamIngest ingest, StreamMetrics metrics) {
    }

    public StreamSupervisor(IngestContext context) {
        this(context, OwnedStreams.NONE);
    }

    public StreamSupervisor(IngestContext context, OwnedStreams recordings) {
        this.context = context;
        this.recordings = recordings;
    }

    /**
     * Takes over a stream of a newly assigned partition, given the last status any worker reported for
     * it: a stream that ENDED after its last start request stays ended (it is owned, and restarts on
     * the next start request) instead of being replayed from the beginning.
     */
    public synchronized void adopt(int partition, String rtstreamId, RtStreamSpec spec, StreamStatus lastStatus) {
        if (lastStatus != null && lastStatus.getState() == IngestState.ENDED && spec.getDesiredState() == DesiredState.STARTED
                && !lastStatus.getUpdatedAt().isBefore(spec.getUpdatedAt())) {
            log.info("Stream {} ended before (at {}); not replayed until started again", rtstreamId, lastStatus.getUpdatedAt());
            recordings.adoptEnded(rtstreamId, spec);
            streams.put(rtstreamId, new Owned(spec, partition, StreamIngest.ended(spec, context),
                    new StreamMetrics(context.registry(), rtstreamId)));
            return;
        }
        apply(partition, rtstreamId, spec);
    }

    /**
     * Applies the latest spec of a stream in an owned partition: {@code spec} null means deleted.
     */
    public synchronized void apply(int partition, String rtstreamId, RtStreamSpec spec) {
        pruneRetired();
        // First: a stopped or deleted stream's recording stops (and forgets its state) before the final status.
        recordings.apply(rtstreamId, spec);
        Owned current = streams.get(rtstreamId);
        if (spec == null) {
            if (current != null) {
                retire(rtstreamId, current);
                context.status().delete(rtstreamId);
            }
            return;
        }
        if (spec.getDesiredState() != DesiredState.STARTED) {
            if (current != null) {
                retire(rtstreamId, current);
                context.status().report(rtstreamId, spec.getCollectionId(), IngestState.STOPPED, "stopped by request",
                        0);
            }
            return;
        }
        if (current == null) {
            StreamMetrics metrics = new StreamMetrics(context.registry(), rtstreamId);
            streams.put(rtstreamId, start(spec, partition, metrics));
            return;
        }
        boolean changed = !sameSource(current.spec, spec);
        boolean restartRequested = !current.ingest.isAlive() && !spec.getUpdatedAt().equals(current.spec.getUpdatedAt());
        if (changed || restartRequested) {
            log.info("Stream {}: {}, restarting", rtstreamId, changed ? "source settings changed" : "start requested again");
            current.ingest.stop();
            retiring.add(current.ingest);
            streams.put(rtstreamId, start(spec, partition, current.metrics));
        } else {
            streams.put(rtstreamId, new Owned(spec, partition, current.ingest, current.metrics));
        }
    }

    private Owned start(RtStreamSpec spec, int partition, StreamMetrics metrics) {
        StreamIngest ingest = new StreamIngest(spec, context, metrics);
        ingest.start();
        return new Owned(spec, partition, ingest, metrics);
    }

    /** What ingest reads from a spec; a change of anything else (name, ...) needs no restart. */
    private static boolean sameSource(RtStreamSpec a, RtStreamSpec b) {
        return Objects.equals(a.getUrl(), b.getUrl())
                && Objects.equals(a.getMediaTypes(), b.getMediaTypes())
                && a.getSampleRate() == b.getSampleRate();
    }

    /**
     * Stops the streams of {@code partitions}. With {@code handOver}, writes RECONNECTING "released"
     * for each and waits up to {@code timeout} for Kafka to have those statuses.
     */
    public void release(Collection<Integer> partitions, String reason, boolean handOver, Duration timeout) {
        List<Future<RecordMetadata>> written = new ArrayList<>();
        synchronized (this) {
            Iterator<Map.Entry<String, Owned>> it = streams.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, Owned> e = it.next();
                Owned owned = e.getValue();
                if (!partitions.contains(owned.partition)) {
                    continue;
                }
                it.remove();
                recordings.release(List.of(e.getKey()));
                owned.ingest.stop();
                retiring.add(owned.ingest);
                owned.metrics.close();
                if (handOver && owned.ingest.state() != null && owned.ingest.state() != IngestState.ENDED
                        && owned.ingest.state() != IngestState.ERROR) {
                    written.add(context.status().report(e.getKey(), owned.spec.getCollectionId(),
                            IngestState.RECONNECTING, "released by worker " + context.status().workerId() + " (" + reason + ")", 0));
                }
            }
        }
        await(written, timeout);
    }

    /** Stops every stream without writing anything (a crash drill, or a fenced worker). */
    public synchronized void halt() {
        recordings.halt();
        for (Owned owned : streams.values()) {
            owned.ingest.stop();
            retiring.add(owned.ingest);
            owned.metrics.close();
        }
        streams.clear();
    }

    /** Waits up to {@code timeout} for every stopped stream's thread to end; whether all did. */
    public boolean awaitStopped(Duration timeout) {
        List<StreamIngest> waiting;
        synchronized (this) {
            waiting = new ArrayList<>(retiring);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean all = true;
        for (StreamIngest ingest : waiting) {
            try {
                if (!ingest.join(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())))) {
                    log.warn("Stream {}: thread still running {} after stop", ingest.spec().getId(), timeout);
                    all = false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        pruneRetired();
        return all;
    }

    private void retire(String rtstreamId, Owned owned) {
        streams.remove(rtstreamId);
        owned.ingest.stop();
        retiring.add(owned.ingest);
        owned.metrics.close();
    }

    private synchronized void pruneRetired() {
        retiring.removeIf(ingest -> !ingest.isAlive());
    }

    private static void await(List<Future<RecordMetadata>> futures, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Future<RecordMetadata> f : futures) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                log.warn("Hand-over status not confirmed by Kafka: {}", e.toString());
            }
        }
    }

    /** Owned streams and the state each last reported (null: not yet), by rtstream id. */
    public synchronized Map<String, Optional<IngestState>> states() {
        Map<String, Optional<IngestState>> states = new LinkedHashMap<>();
        streams.forEach((id, owned) -> states.put(id, Optional.ofNullable(owned.ingest.state())));
        return states;
    }

    /** Number of owned streams whose thread is running. */
    public synchronized int running() {
        return (int) streams.values().stream().filter(o -> o.ingest.isAlive()).count();
    }
}
