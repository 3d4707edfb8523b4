package dev.vigil.alerts.judge;

import dev.vigil.alerts.cooldown.Cooldown;
import dev.vigil.alerts.cooldown.CooldownEntry;
import dev.vigil.schemas.TopicDef;
import dev.vigil.schemas.alerts.AlertNotification;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last firing of each alert, as the judge worker sees it, in memory: {@link Cooldown}'s rule on the
 * same {@link CooldownEntry} as condition alerts, on record time.
 *
 * <p>Rebuilt from {@code vigil.alerts.fired} (its last {@link Cooldown#RETENTION_FLOOR}, the longest
 * cooldown control-api accepts) whenever the worker is given partitions: every notification the worker
 * wrote was acknowledged before its request's offset was committed, and it carries the record time as
 * its Kafka timestamp, so the topic is the state — no second topic, no changelog. Notifications of
 * condition alerts are read too and simply never looked up. Used by the worker's loop thread only.
 */
final class JudgeCooldowns {

    private static final Logger log = LoggerFactory.getLogger(JudgeCooldowns.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, CooldownEntry> last = new HashMap<>();

    /** What to do with a match of {@code alertId} on a record of {@code recordTime} notified as {@code id}. */
    Cooldown.Decision decide(String alertId, String id, long recordTime, Duration cooldown) {
        return Cooldown.decide(last.get(alertId), id, recordTime, cooldown);
    }

    /** {@code alertId} fired (decision FIRE) and its notification was written. */
    void fired(String alertId, String id, long recordTime, Duration cooldown) {
        remember(alertId, new CooldownEntry(recordTime, cooldown.toMillis(), id));
    }

    /** Forgets everything (after a failure: a firing whose write was not acknowledged must not count). */
    void clear() {
        last.clear();
    }

    int size() {
        return last.size();
    }

    /** Drops entries no cooldown can still need at {@code now} (record time). */
    void purge(long now) {
        last.values().removeIf(entry -> Cooldown.expired(entry, now));
    }

    /**
     * Reads {@code topic} from {@code since} to its end at the time of the call and keeps, per alert, the
     * latest firing. {@code undecodable} hears of records that do not decode (skipped).
     */
    void rebuild(KafkaConsumer<String, byte[]> reader, TopicDef<String, AlertNotification> def, String topic,
            Instant since, Consumer<ConsumerRecord<String, byte[]>> undecodable) {
        List<TopicPartition> partitions = reader.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        reader.assign(partitions);
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, since.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> starts = reader.offsetsForTimes(query);
        Map<TopicPartition, Long> ends = reader.endOffsets(partitions);
        for (TopicPartition p : partitions) {
            OffsetAndTimestamp start = starts.get(p);
            reader.seek(p, start == null ? ends.get(p) : start.offset());
        }
        long read = 0;
        while (partitions.stream().anyMatch(p -> reader.position(p) < ends.get(p))) {
            ConsumerRecords<String, byte[]> records = reader.poll(POLL);
            for (ConsumerRecord<String, byte[]> record : records) {
                AlertNotification n;
                try {
                    n = record.value() == null ? null : def.valueSerde().deserializer().deserialize(topic, record.value());
                } catch (RuntimeException e) {
                    undecodable.accept(record);
                    continue;
                }
                if (n != null) {
                    remember(n.getAlertId(), new CooldownEntry(record.timestamp(), Cooldown.RETENTION_FLOOR.toMillis(),
                            n.getId()));
                    read++;
                }
            }
        }
        log.info("Judge cooldowns rebuilt from {} notifications of {} since {}: {} alerts", read, topic, since,
                last.size());
    }

    private void remember(String alertId, CooldownEntry entry) {
        last.merge(alertId, entry, (old, now) -> now.firedAt() >= old.firedAt() ? now : old);
    }
}
