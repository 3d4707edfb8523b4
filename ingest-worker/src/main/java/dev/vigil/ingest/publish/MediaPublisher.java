package dev.vigil.ingest.publish;

import dev.vigil.schemas.TopicDef;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.StreamStatus;
import dev.vigil.schemas.media.AudioChunk;
import dev.vigil.schemas.media.MediaFrame;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the worker's records, all keyed by rtstream id: {@code media.frames} and {@code media.audio}
 * through one idempotent producer shared by all streams, {@code rtstreams.status} through a second
 * one (see {@link ProducerSettings}: the media producer never waits, the status producer may).
 *
 * <p>Memory is bounded by the media producer's {@code buffer.memory}, and a slow or stuck Kafka never
 * stalls a grabber on frames: a frame is only handed over while at least half of the buffer is free
 * (what the producer's own pool reports, batches included), otherwise it is dropped and counted.
 * Audio may use the buffer down to its last tenth and, to stay gap-free, waits up to
 * {@code audioBlock} for room; if that runs out the chunk is dropped and counted, and until room
 * appears later chunks are dropped without waiting, so a stream's thread keeps up with its source.
 * With {@code max.block.ms=0} {@code send()} itself never blocks; a record Kafka cannot take (no
 * metadata, delivery timeout) is counted as {@code send_failed}.
 *
 * <p>Ordering: per stream the records of one kind are sent from one thread, and the idempotent
 * producer keeps their order through retries.
 */
public final class MediaPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MediaPublisher.class);
    /** Audio waiting for room re-checks the pool at least this often (frames free memory too). */
    private static final long AUDIO_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Producer<byte[], byte[]> producer;
    private final Producer<byte[], byte[]> statusProducer;
    private final LongSupplier availableBytes;
    private final String framesTopic;
    private final String audioTopic;
    private final String statusTopic;
    private final long bufferBytes;
    private final long frameReserve;
    private final long audioReserve;
    private final long audioBlockNanos;
    private final Object room = new Object();
    private volatile boolean audioStalled;

    /**
     * {@code bufferBytes}: the media producer's {@code buffer.memory}; {@code audioBlock}: how long an
     * audio chunk may wait for room.
     */
    public MediaPublisher(Producer<byte[], byte[]> producer, Producer<byte[], byte[]> statusProducer, String topicPrefix,
            long bufferBytes, Duration audioBlock) {
        this(producer, statusProducer, topicPrefix, bufferBytes, audioBlock, availableBytesOf(producer));
    }

    MediaPublisher(Producer<byte[], byte[]> producer, Producer<byte[], byte[]> statusProducer, String topicPrefix,
            long bufferBytes, Duration audioBlock, LongSupplier availableBytes) {
        this.producer = producer;
        this.statusProducer = statusProducer;
        this.availableBytes = availableBytes;
        this.framesTopic = Topics.MEDIA_FRAMES.name(topicPrefix);
        this.audioTopic = Topics.MEDIA_AUDIO.name(topicPrefix);
        this.statusTopic = Topics.RTSTREAM_STATUS.name(topicPrefix);
        this.bufferBytes = bufferBytes;
        this.frameReserve = bufferBytes / 2;
        this.audioReserve = bufferBytes / 10;
        this.audioBlockNanos = audioBlock.toNanos();
    }

    /** The producer's free buffer memory, batches included ({@code buffer-available-bytes}). */
    private static LongSupplier availableBytesOf(Producer<byte[], byte[]> producer) {
        Metric metric = producer.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("buffer-available-bytes") && e.getKey().group().equals("producer-metrics"))
                .map(java.util.Map.Entry::getValue)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the producer reports no buffer-available-bytes"));
        return () -> ((Number) metric.metricValue()).longValue();
    }

    /**
     * Sends a frame unless less than half of the buffer is free. Never blocks.
     *
     * @param captureNanos {@link System#nanoTime()} when the frame was read, for the lag metric
     * @return whether the frame was handed to the producer (false: dropped and counted)
     */
    public boolean sendFrame(MediaFrame frame, long captureNanos, StreamMetrics metrics) {
        String key = frame.getRtstreamId();
        ProducerRecord<byte[], byte[]> record = record(framesTopic, Topics.MEDIA_FRAMES, key, frame);
        if (availableBytes.getAsLong() - size(record) < frameReserve) {
            metrics.frameDropped(StreamMetrics.BACKPRESSURE);
            return false;
        }
        try {
            return handedOver(producer.send(record, (metadata, error) -> {
                freed();
                if (error == null) {
                    metrics.frameProduced(System.nanoTime() - captureNanos);
                } else {
                    metrics.frameDropped(StreamMetrics.SEND_FAILED);
                    log.debug("Frame {} of {} not written: {}", frame.getSeq(), key, error.toString());
                }
            }));
        } catch (RuntimeException e) {
            metrics.frameDropped(StreamMetrics.SEND_FAILED);
            log.debug("Frame {} of {} not written: {}", frame.getSeq(), key, e.toString());
            return false;
        }
    }

    /**
     * Sends an audio chunk, waiting up to the audio block time for room in the buffer.
     *
     * @return whether the chunk was handed to the producer (false: dropped and counted)
     */
    public boolean sendAudio(AudioChunk chunk, long captureNanos, StreamMetrics metrics) {
        String key = chunk.getRtstreamId();
        ProducerRecord<byte[], byte[]> record = record(audioTopic, Topics.MEDIA_AUDIO, key, chunk);
        if (!awaitAudioRoom(size(record))) {
            metrics.chunkDropped(StreamMetrics.BACKPRESSURE);
            return false;
        }
        try {
            return handedOver(producer.send(record, (metadata, error) -> {
                freed();
                if (error == null) {
                    metrics.chunkProduced(System.nanoTime() - captureNanos);
                } else {
                    metrics.chunkDropped(StreamMetrics.SEND_FAILED);
                    log.debug("Audio chunk {} of {} not written: {}", chunk.getSeq(), key, error.toString());
                }
            }));
        } catch (RuntimeException e) {
            metrics.chunkDropped(StreamMetrics.SEND_FAILED);
            log.debug("Audio chunk {} of {} not written: {}", chunk.getSeq(), key, e.toString());
            return false;
        }
    }

    /** Sends a status ({@code null}: tombstone) and returns the producer's future; never throws. */
    public Future<RecordMetadata> sendStatus(String rtstreamId, StreamStatus status) {
        try {
            return statusProducer.send(record(statusTopic, Topics.RTSTREAM_STATUS, rtstreamId, status), (metadata, error) -> {
                if (error != null) {
                    log.warn("Status of {} not written: {}", rtstreamId, error.toString());
                }
            });
        } catch (RuntimeException e) {
            log.warn("Status of {} not written: {}", rtstreamId, e.toString());
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Whether the producer took the record: a send that cannot even start (no metadata, with
     * {@code max.block.ms=0}) completes at once with the error, after its callback counted the drop.
     */
    private static boolean handedOver(Future<RecordMetadata> sent) {
        if (!sent.isDone()) {
            return true;
        }
        try {
            sent.get();
            return true;
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean awaitAudioRoom(long size) {
        if (availableBytes.getAsLong() - size >= audioReserve) {
            audioStalled = false;
            return true;
        }
        if (audioStalled) {
            // Kafka has not taken anything since the last chunk gave up waiting: do not wait again.
            return false;
        }
        long deadline = System.nanoTime() + audioBlockNanos;
        synchronized (room) {
            while (availableBytes.getAsLong() - size < audioReserve) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    audioStalled = true;
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(room, Math.min(left, AUDIO_RECHECK_NANOS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    private void freed() {
        synchronized (room) {
            room.notifyAll();
        }
    }

    private static <V> ProducerRecord<byte[], byte[]> record(String topic, TopicDef<String, V> def, String key, V value) {
        return new ProducerRecord<>(topic, def.keySerde().serializer().serialize(topic, key),
                def.valueSerde().serializer().serialize(topic, value));
    }

    private static long size(ProducerRecord<byte[], byte[]> record) {
        return record.key().length + (record.value() == null ? 0 : record.value().length);
    }

    /**
     * Fetches the metadata of the media and status topics, retrying until {@code timeout}: the media
     * producer never waits for it in a send.
     *
     * @throws TimeoutException if Kafka did not answer in time
     */
    public void awaitMetadata(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String topic : List.of(framesTopic, audioTopic)) {
            while (true) {
                try {
                    producer.partitionsFor(topic);
                    break;
                } catch (TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new TimeoutException("no metadata for topic " + topic + " within " + timeout
                                + ": is Kafka reachable and the topic created?", e);
                    }
                    // The failed call asked for the metadata; the producer's I/O thread fetches it meanwhile.
                    Thread.sleep(100);
                }
            }
        }
        statusProducer.partitionsFor(statusTopic);
    }

    /** Bytes of the media producer's buffer in use (records waiting for Kafka, with their batches). */
    public long bytesInUse() {
        return bufferBytes - availableBytes.getAsLong();
    }

    /** Waits up to 5 s for records in flight, then closes the producers. */
    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    public void close(Duration timeout) {
        try {
            producer.close(timeout);
        } finally {
            statusProducer.close(timeout);
        }
    }
}
