package dev.vigil.alerts;

import dev.vigil.alerts.binding.AlertGuard;
import dev.vigil.alerts.binding.StreamAlerts;
import dev.vigil.alerts.binding.StreamAlertsSerde;
import dev.vigil.alerts.control.GlobalTableLoader;
import dev.vigil.alerts.evaluate.AlertEvaluator;
import dev.vigil.alerts.evaluate.AlertMatcher;
import dev.vigil.alerts.evaluate.Candidate;
import dev.vigil.alerts.evaluate.ConditionCache;
import dev.vigil.alerts.evaluate.ConditionErrors;
import dev.vigil.alerts.judge.JudgeRequests;
import dev.vigil.alerts.metrics.RouterMetrics;
import dev.vigil.alerts.poison.PoisonRecords;
import dev.vigil.alerts.record.IndexRecord;
import dev.vigil.alerts.record.IndexRecordGuard;
import dev.vigil.rules.cel.ConditionCompiler;
import dev.vigil.schemas.TopicDef;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.AlertBinding;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The alert-router's Kafka Streams topology: index records × alerts × events → notifications.
 *
 * <pre>
 *  vigil.alerts ─► guard ─► table (alert id) ─► groupBy rtstream id ─► aggregate: rtstream id → StreamAlerts
 *                                                 (repartition topic)                     │ (index id → alerts)
 *  vigil.index.transcript ┐                                                              │
 *  vigil.index.scene      ├► IndexRecord ─► guard ─────────────── join (key = rtstream id) ┘
 *  vigil.index.audio      ┘                                         │
 *                                        AlertEvaluator ◄───────────┘  ◄─ global stores of vigil.events, vigil.rtstreams
 *                                             │  (normalise once, match, cooldown store)
 *                                             ▼
 *                                   vigil.alerts.fired (key = alert id)
 * </pre>
 *
 * <p>With a judge ({@link AlertRouterTopologyDeps#judging()}), the joined records also go through
 * {@link JudgeRequests}: one request per record of an index with judged alerts to {@code vigil.alerts.judge}
 * (key rtstream id), which the {@code JudgeWorker} reads.
 *
 * <p>Reads {@code vigil.index.transcript}, {@code vigil.index.scene}, {@code vigil.index.audio} (key
 * rtstream id), {@code vigil.alerts} (compacted, key alert id), {@code vigil.events} (compacted, key
 * event id) and {@code vigil.rtstreams} (compacted, key rtstream id); writes
 * {@code vigil.alerts.fired} (key alert id). Internal topics: the {@code alerts-by-rtstream}
 * repartition topic and the changelogs of the stores below.
 *
 * <p>Alerts are grouped by <em>rtstream</em> id, and within a stream by index id, rather than keyed by
 * index id: the index topics are keyed by rtstream id, so the group is co-partitioned with them and the
 * join needs no repartitioning of the index records — the high-volume side — which saves a produce and
 * fetch round trip per record on the alert path. Every alert of an index belongs to its stream
 * (control-api derives {@code rtstream_id} from the index), so the evaluator takes the record's index
 * alerts from its stream's group.
 *
 * <p>Stores, all in memory (the state is small: a few hundred bytes per alert, per event and per stream;
 * restoring it from the compacted changelogs takes about a second): {@code alerts-by-id},
 * {@code alerts-by-rtstream}, {@code alert-cooldown}, and the global {@code events} and
 * {@code rtstreams}.
 *
 * <p>Pure: everything comes from {@link AlertRouterTopologyDeps}.
 */
public final class AlertRouterTopology {

    static final String ALERTS_BY_ID_STORE = "alerts-by-id";
    static final String ALERTS_BY_RTSTREAM = "alerts-by-rtstream";

    private AlertRouterTopology() {
    }

    public static Topology build(AlertRouterTopologyDeps deps) {
        String prefix = deps.topicPrefix();
        RouterMetrics metrics = deps.metrics();
        PoisonRecords poison = new PoisonRecords(metrics);
        StreamsBuilder builder = new StreamsBuilder();

        // Global tables: every instance holds all events and stream specs (a few KB), so the evaluator
        // can look up the event of any alert, whatever partition the alert and its record live in. Read
        // at processing time: an update applies from the next record on, never retroactively.
        globalTable(builder, Topics.EVENTS, prefix, AlertEvaluator.EVENTS_STORE);
        globalTable(builder, Topics.RTSTREAMS, prefix, AlertEvaluator.RTSTREAMS_STORE);

        KTable<String, StreamAlerts> alertsByStream = alertsByStream(builder, prefix, poison);

        // A new application (no committed offsets) starts the index topics at their end: alerting is
        // about now, and replaying days of retained records would notify last week's intruders. The
        // control topics are tables and are always read from the beginning.
        KStream<String, IndexRecord> transcript = builder
                .stream(Topics.INDEX_TRANSCRIPT.name(prefix), live(Topics.INDEX_TRANSCRIPT, "transcript-source"))
                .mapValues(IndexRecord::of, Named.as("transcript-record"));
        KStream<String, IndexRecord> scene = builder
                .stream(Topics.INDEX_SCENE.name(prefix), live(Topics.INDEX_SCENE, "scene-source"))
                .mapValues(IndexRecord::of, Named.as("scene-record"));
        KStream<String, IndexRecord> audio = builder
                .stream(Topics.INDEX_AUDIO.name(prefix), live(Topics.INDEX_AUDIO, "audio-source"))
                .mapValues(IndexRecord::of, Named.as("audio-record"));
        KStream<String, IndexRecord> records = transcript
                .merge(scene, Named.as("merge-scene"))
                .merge(audio, Named.as("merge-audio"))
                .processValues(() -> new IndexRecordGuard(metrics, poison), Named.as("index-record-guard"));

        AlertMatcher matcher = new AlertMatcher(
                new ConditionCache(new ConditionCompiler((condition, record, error) -> metrics.evaluationError(
                        ConditionErrors.kind(error))), metrics),
                metrics, deps.judging());

        // Stream-table inner join on the rtstream id (co-partitioned: the table's repartition topic gets
        // the index topics' partition count). Each record sees the stream's alerts as they are when the
        // record is processed: an alert created, changed or deleted after the record does not fire for
        // it, retroactively or otherwise, and table updates never emit anything by themselves. Streams
        // processes a task's inputs in timestamp order (max.task.idle.ms 0: it fetches data already on
        // the broker first), so an alert written before a record is in the table when the record
        // arrives, despite its repartition hop. A record of a stream without alerts finds no table row
        // and is dropped here, before any evaluation.
        KStream<String, Candidate> candidates = records.join(alertsByStream, Candidate::new,
                Joined.as("records-join-alerts"));
        candidates.process(AlertEvaluator.supplier(matcher, deps.clock(), deps.defaultCooldown(), metrics, poison,
                deps.clips()),
                        Named.as("alert-evaluator"))
                .to(Topics.ALERTS_FIRED.name(prefix), Produced.with(Topics.ALERTS_FIRED.keySerde(),
                        Topics.ALERTS_FIRED.valueSerde()).withName("alerts-fired-sink"));

        if (deps.judging()) {
            // Judged events: one request per record for all judged alerts of its index, keyed by rtstream id
            // (the record's key, so no repartition), for the judge worker, which asks the model off this
            // thread. See alert-router/DESIGN.md.
            candidates.processValues(() -> new JudgeRequests(deps.defaultCooldown(), deps.clock(), deps.clips()), Named.as("judge-requests"))
                    .to(Topics.ALERTS_JUDGE.name(prefix), Produced.with(Topics.ALERTS_JUDGE.keySerde(),
                            Topics.ALERTS_JUDGE.valueSerde()).withName("alerts-judge-sink"));
        }

        return builder.build();
    }

    /**
     * {@code vigil.alerts} → rtstream id → the stream's alerts. A KTable groupBy/aggregate rather than a
     * stream aggregation because a tombstone carries no index or stream id: the table remembers the
     * deleted alert, so the subtractor removes it from the right group (and an alert moved to another
     * stream would leave its old group the same way).
     */
    private static KTable<String, StreamAlerts> alertsByStream(StreamsBuilder builder, String prefix,
            PoisonRecords poison) {
        String topic = Topics.ALERTS.name(prefix);
        return builder.stream(topic, consumed(Topics.ALERTS, "alerts-source"))
                .processValues(() -> new AlertGuard(poison, topic), Named.as("alerts-guard"))
                .toTable(Named.as("alerts-table"),
                        Materialized.<String, AlertBinding>as(Stores.inMemoryKeyValueStore(ALERTS_BY_ID_STORE))
                                .withKeySerde(Topics.ALERTS.keySerde()).withValueSerde(Topics.ALERTS.valueSerde()))
                .groupBy((alertId, alert) -> KeyValue.pair(alert.getRtstreamId(), alert),
                        Grouped.with(ALERTS_BY_RTSTREAM, Serdes.String(), Topics.ALERTS.valueSerde()))
                .aggregate(StreamAlerts::empty,
                        (rtstreamId, alert, alerts) -> alerts.with(alert),
                        (rtstreamId, alert, alerts) -> {
                            StreamAlerts rest = alerts.without(alert.getId());
                            return rest.isEmpty() ? null : rest; // null deletes the stream's row
                        },
                        Named.as("alerts-aggregate"),
                        Materialized.<String, StreamAlerts>as(
                                        Stores.inMemoryKeyValueStore(ALERTS_BY_RTSTREAM))
                                .withKeySerde(Serdes.String()).withValueSerde(new StreamAlertsSerde()));
    }

    /** A global in-memory store mirroring a compacted control topic, loaded by {@link GlobalTableLoader}. */
    private static <V> void globalTable(StreamsBuilder builder, TopicDef<String, V> def, String prefix, String store) {
        // Global stores have no changelog: the topic itself is what they are restored from.
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(store), def.keySerde(),
                        def.valueSerde()).withLoggingDisabled(),
                def.name(prefix), consumed(def, store), GlobalTableLoader.supplier(store));
    }

    private static <V> Consumed<String, V> live(TopicDef<String, V> def, String name) {
        return consumed(def, name).withOffsetResetPolicy(AutoOffsetReset.latest());
    }

    private static <V> Consumed<String, V> consumed(TopicDef<String, V> def, String name) {
        return Consumed.with(def.keySerde(), def.valueSerde()).withName(name);
    }
}
