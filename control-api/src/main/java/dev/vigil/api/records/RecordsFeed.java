package dev.vigil.api.records;

import dev.vigil.schemas.TopicDef;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.index.AudioRecord;
import dev.vigil.schemas.index.SceneRecord;
import dev.vigil.schemas.index.TranscriptRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code index.transcript}, {@code index.scene} and {@code index.audio} into the records index
 * on its own thread ({@code vigil-records-feed}): one plain consumer, every partition assigned, no
 * group. Offsets live in the index's commits, not in Kafka: each partition starts at the offset the
 * last commit recorded, or at the beginning; an offset that retention deleted is reset to the
 * earliest one by the consumer ({@code auto.offset.reset=earliest}).
 *
 * <p>Undecodable records are logged, counted and skipped; interim transcript hypotheses
 * ({@code is_final=false}) and empty texts are skipped (a final record replaces them). The index is
 * committed every commit interval when something changed, and once more on close.
 */
final class RecordsFeed {

    private static final Logger log = LoggerFactory.getLogger(RecordsFeed.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Map<String, Object> consumerConfig;
    private final String prefix;
    private final RecordsIndex index;
    private final Duration commitInterval;
    private final AtomicLong indexed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private volatile Map<TopicPartition, Long> caughtUpTarget = Map.of();
    private volatile boolean caughtUp;
    private volatile boolean running;
    private volatile Throwable failure;
    private KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;
    private List<TopicPartition> partitions = List.of();

    RecordsFeed(Map<String, Object> consumerConfig, String prefix, RecordsIndex index, Duration commitInterval) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Retention may have deleted the committed offset: start again from what is left.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // A new record is fetched as soon as it is written, not after the default 500 ms fetch wait.
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        this.consumerConfig = config;
        this.prefix = prefix;
        this.index = index;
        this.commitInterval = commitInterval;
    }

    static List<TopicDef<String, ?>> topics() {
        return List.of(Topics.INDEX_TRANSCRIPT, Topics.INDEX_SCENE, Topics.INDEX_AUDIO);
    }

    /** Assigns the partitions, seeks to the committed offsets and starts the reader thread. */
    void start() {
        consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            List<TopicPartition> all = new ArrayList<>();
            for (TopicDef<String, ?> topic : topics()) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic.name(prefix), Duration.ofSeconds(30));
                if (infos == null || infos.isEmpty()) {
                    throw new IllegalStateException("topic " + topic.name(prefix) + " does not exist; run the topic bootstrap");
                }
                infos.forEach(i -> all.add(new TopicPartition(i.topic(), i.partition())));
            }
            partitions = List.copyOf(all);
            consumer.assign(partitions);
            Map<TopicPartition, Long> committed = index.committedOffsets();
            List<TopicPartition> fromStart = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                Long offset = committed.get(tp);
                if (offset == null) {
                    fromStart.add(tp);
                } else {
                    consumer.seek(tp, offset);
                }
            }
            if (!fromStart.isEmpty()) {
                // Never with an empty list: that seeks every assigned partition to the beginning.
                consumer.seekToBeginning(fromStart);
            }
            caughtUpTarget = Map.copyOf(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
        } catch (RuntimeException e) {
            consumer.close();
            consumer = null;
            throw e;
        }
        running = true;
        thread = new Thread(this::run, "vigil-records-feed");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        Map<TopicPartition, Long> positions = new HashMap<>();
        long lastCommit = System.nanoTime();
        boolean dirty = false;
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (apply(record)) {
                        dirty = true;
                    }
                }
                for (TopicPartition tp : partitions) {
                    long position = consumer.position(tp);
                    Long before = positions.put(tp, position);
                    if (before == null || before != position) {
                        dirty = true;
                    }
                }
                if (!caughtUp && reached(positions, caughtUpTarget)) {
                    // Ready means searchable: what was read so far is visible before readiness flips.
                    index.refreshBlocking();
                    caughtUp = true;
                    log.info("Records store caught up: {} records indexed, {} skipped", indexed.get(), skipped.get());
                }
                if (dirty && System.nanoTime() - lastCommit >= commitInterval.toNanos()) {
                    index.commit(positions);
                    lastCommit = System.nanoTime();
                    dirty = false;
                }
            }
            index.commit(positions);
        } catch (WakeupException e) {
            commitOnExit(positions);
        } catch (IOException | RuntimeException e) {
            failure = e;
            log.error("Records feed stopped reading the index topics", e);
        } finally {
            consumer.close();
        }
    }

    private void commitOnExit(Map<TopicPartition, Long> positions) {
        try {
            index.commit(positions);
        } catch (IOException | RuntimeException e) {
            log.warn("Records index not committed on close; the topics are read again from the last commit", e);
        }
    }

    private static boolean reached(Map<TopicPartition, Long> positions, Map<TopicPartition, Long> target) {
        for (Map.Entry<TopicPartition, Long> e : target.entrySet()) {
            Long position = positions.get(e.getKey());
            if (position == null || position < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Indexes one record; false when it was skipped. */
    private boolean apply(ConsumerRecord<byte[], byte[]> record) throws IOException {
        if (record.value() == null) {
            return false; // a tombstone: index topics are not compacted, nothing to delete
        }
        StoredRecord stored;
        try {
            stored = decode(record);
        } catch (SerializationException | NullPointerException e) {
            skipped.incrementAndGet();
            log.warn("Skipping undecodable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return false;
        }
        if (stored == null) {
            return false;
        }
        index.upsert(stored);
        indexed.incrementAndGet();
        log.trace("Indexed {}", stored.id());
        return true;
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

    boolean healthy() {
        return running && failure == null;
    }

    long indexedRecords() {
        return indexed.get();
    }

    long skippedRecords() {
        return skipped.get();
    }

    void close() {
        running = false;
        if (consumer != null && thread != null) {
            consumer.wakeup();
            try {
                thread.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (consumer != null) {
            consumer.close();
        }
        consumer = null;
        thread = null;
    }
}
