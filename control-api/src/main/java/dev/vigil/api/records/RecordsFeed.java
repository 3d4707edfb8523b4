package dev.vigil.api.records;

import dev.vigil.common.kafka.reader.AppliedPositions;
import dev.vigil.common.kafka.reader.RecordHandler;
import dev.vigil.common.kafka.reader.StartPosition;
import dev.vigil.common.kafka.reader.TopicReader;
import dev.vigil.schemas.TopicDef;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.index.AudioRecord;
import dev.vigil.schemas.index.SceneRecord;
import dev.vigil.schemas.index.TranscriptRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code index.transcript}, {@code index.scene} and {@code index.audio} into the records index
 * with a {@link TopicReader} on its own thread ({@code vigil-records-feed}): every partition
 * assigned, no group. Offsets live in the index's commits, not in Kafka: each partition starts at
 * the offset the last commit recorded, or at the beginning; an offset that retention deleted is reset
 * to the earliest one by the consumer ({@code auto.offset.reset=earliest}). After a failure the
 * reader resumes from the positions it applied, so nothing is indexed twice or skipped.
 *
 * <p>Undecodable records are logged, counted and skipped; interim transcript hypotheses
 * ({@code is_final=false}) and empty texts are skipped (a final record replaces them). The index is
 * committed every commit interval when something changed, and once more on close.
 */
final class RecordsFeed implements RecordHandler<byte[], byte[]> {

    private static final Logger log = LoggerFactory.getLogger(RecordsFeed.class);

    private final String prefix;
    private final RecordsIndex index;
    private final Duration commitInterval;
    private final AtomicLong indexed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final TopicReader<byte[], byte[]> reader;
    private volatile boolean caughtUp;
    /** Reader thread: the positions of the last commit, and when it was. */
    private Map<TopicPartition, Long> committed = Map.of();
    private long lastCommit = System.nanoTime();

    RecordsFeed(Map<String, Object> consumerConfig, String prefix, RecordsIndex index, Duration commitInterval) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        // Retention may have deleted the committed offset: start again from what is left.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // A new record is fetched as soon as it is written, not after the default 500 ms fetch wait.
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        this.prefix = prefix;
        this.index = index;
        this.commitInterval = commitInterval;
        this.reader = TopicReader.builder("records-feed", config, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .topics(topics().stream().map(t -> t.name(prefix)).toList())
                .startAt(StartPosition.stored(index::committedOffsets))
                .handler(this)
                .build();
    }

    static List<TopicDef<String, ?>> topics() {
        return List.of(Topics.INDEX_TRANSCRIPT, Topics.INDEX_SCENE, Topics.INDEX_AUDIO);
    }

    /** Assigns the partitions, seeks to the committed offsets and starts the reader thread. */
    void start() {
        try {
            reader.start();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("records feed did not start", e);
        }
    }

    /** Reader thread, after each poll: notice having caught up, commit every interval. */
    @Override
    public void afterPoll(Map<TopicPartition, Long> positions) throws IOException {
        if (!caughtUp && AppliedPositions.covers(positions, reader.endOffsetsAtStart())) {
            // Ready means searchable: what was read so far is visible before readiness flips.
            index.refreshBlocking();
            caughtUp = true;
            log.info("Records store caught up: {} records indexed, {} skipped", indexed.get(), skipped.get());
        }
        if (!positions.equals(committed) && System.nanoTime() - lastCommit >= commitInterval.toNanos()) {
            index.commit(positions);
            committed = positions;
            lastCommit = System.nanoTime();
        }
    }

    @Override
    public void beforeClose(Map<TopicPartition, Long> positions) {
        try {
            index.commit(positions);
        } catch (IOException | RuntimeException e) {
            log.warn("Records index not committed on close; the topics are read again from the last commit", e);
        }
    }

    /** Reader thread: indexes one record, or skips it. */
    @Override
    public void apply(ConsumerRecord<byte[], byte[]> record) throws IOException {
        if (record.value() == null) {
            return; // a tombstone: index topics are not compacted, nothing to delete
        }
        StoredRecord stored;
        try {
            stored = decode(record);
        } catch (SerializationException | NullPointerException e) {
            skipped.incrementAndGet();
            log.warn("Skipping undecodable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return;
        }
        if (stored == null) {
            return;
        }
        index.upsert(stored);
        indexed.incrementAndGet();
        log.trace("Indexed {}", stored.id());
    }

    private StoredRecord decode(ConsumerRecord<byte[], byte[]> record) {
        String suffix = record.topic().substring(prefix.length());
        if (suffix.equals(Topics.INDEX_TRANSCRIPT.name(""))) {
            TranscriptRecord r = Topics.INDEX_TRANSCRIPT.valueSerde().deserializer().deserialize(record.topic(), record.value());
            return r.getIsFinal() && !r.getText().isBlank() ? StoredRecord.of(r) : null;
        } else if (suffix.equals(Topics.INDEX_SCENE.name(""))) {
            SceneRecord r = Topics.INDEX_SCENE.valueSerde().deserializer().deserialize(record.topic(), record.value());
            return StoredRecord.of(r);
        } else if (suffix.equals(Topics.INDEX_AUDIO.name(""))) {
            AudioRecord r = Topics.INDEX_AUDIO.valueSerde().deserializer().deserialize(record.topic(), record.value());
            return StoredRecord.of(r);
        }
        log.warn("Record from unexpected topic {}", record.topic());
        return null;
    }

    /** Whether the feed has read every record that existed when it started. */
    boolean caughtUp() {
        return caughtUp;
    }

    /** Whether the reader reads now (not restarting or dead). */
    boolean healthy() {
        return reader.isRunning();
    }

    /** False once the reader spent its restart budget. */
    boolean alive() {
        return reader.isAlive();
    }

    long indexedRecords() {
        return indexed.get();
    }

    long skippedRecords() {
        return skipped.get();
    }

    void close() {
        reader.close();
    }
}
