package dev.vigil.alerts.record;

import dev.vigil.alerts.metrics.RouterMetrics;
import dev.vigil.alerts.poison.PoisonRecords;
import dev.vigil.alerts.poison.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Drops index records that decoded but make no sense, before any join or condition sees them: a null
 * value (a tombstone on a data topic), a missing key, blank ids, missing times, a key that is not the
 * value's rtstream id (keys route records to the task that holds the stream's alerts), or an end
 * before the start. Each is reported to {@link PoisonRecords}; the others are counted per channel and
 * passed on unchanged.
 */
public final class IndexRecordGuard implements FixedKeyProcessor<String, IndexRecord, IndexRecord> {

    private final RouterMetrics metrics;
    private final PoisonRecords poison;
    private FixedKeyProcessorContext<String, IndexRecord> context;

    public IndexRecordGuard(RouterMetrics metrics, PoisonRecords poison) {
        this.metrics = metrics;
        this.poison = poison;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, IndexRecord> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, IndexRecord> record) {
        Optional<Problem> problem = problem(record.key(), record.value());
        if (problem.isPresent()) {
            Optional<RecordMetadata> source = context.recordMetadata();
            poison.skip(source.map(RecordMetadata::topic).orElse("index"),
                    source.map(m -> "partition " + m.partition() + ", offset " + m.offset() + ", key " + record.key())
                            .orElse("key " + record.key()),
                    problem.get().reason(), problem.get().detail());
            return;
        }
        metrics.recordRead(record.value().channel());
        context.forward(record);
    }

    /** What is wrong with the record, or empty when it is usable. */
    static Optional<Problem> problem(String key, IndexRecord r) {
        if (r == null) {
            return Optional.of(new Problem("null_value", "index topics hold no tombstones"));
        }
        if (key == null || key.isBlank()) {
            return Optional.of(new Problem("missing_key", "the key must be the rtstream id"));
        }
        List<String> missing = new ArrayList<>();
        if (blank(r.rtstreamId())) {
            missing.add("rtstream_id");
        }
        if (blank(r.collectionId())) {
            missing.add("collection_id");
        }
        if (blank(r.indexId())) {
            missing.add("index_id");
        }
        if (r.start() == null) {
            missing.add("start");
        }
        if (r.end() == null) {
            missing.add("end");
        }
        if (r.emitTs() == null) {
            missing.add("emit_ts");
        }
        if (r.text() == null) {
            missing.add("text");
        }
        if (!missing.isEmpty()) {
            return Optional.of(new Problem("missing_field", "no " + String.join(", ", missing)));
        }
        if (!key.equals(r.rtstreamId())) {
            return Optional.of(new Problem("key_mismatch",
                    "key " + key + " is not the record's rtstream_id " + r.rtstreamId()));
        }
        if (r.end().isBefore(r.start())) {
            return Optional.of(new Problem("bad_times", "end " + r.end() + " is before start " + r.start()));
        }
        return Optional.empty();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
