package dev.vigil.alerts.evaluate;

import dev.vigil.alerts.cooldown.Cooldown;
import dev.vigil.alerts.cooldown.CooldownEntry;
import dev.vigil.alerts.cooldown.CooldownEntrySerde;
import dev.vigil.alerts.metrics.RouterMetrics;
import dev.vigil.alerts.poison.PoisonRecords;
import dev.vigil.alerts.record.IndexRecord;
import dev.vigil.common.ids.Ids;
import dev.vigil.rules.record.NormalisedRecord;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.control.AlertBinding;
import dev.vigil.schemas.control.EventRule;
import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.common.playback.ClipLinks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an index record joined with its stream's alerts into notifications: normalises the record
 * once, lets {@link AlertMatcher} pick the matching alerts, applies each alert's {@link Cooldown}
 * (state in the {@value #COOLDOWN_STORE} store, whose changelog restores it after a restart) and
 * forwards one {@link AlertNotification} per firing, keyed by alert id, for {@code vigil.alerts.fired}.
 *
 * <p>Reads the global stores {@value #EVENTS_STORE} (events by id) and {@value #RTSTREAMS_STORE}
 * (stream specs, for the stream name and whether it is recorded: notifications of recorded streams
 * carry clip links, {@link NotificationClips}). A global store is read when the record is processed: an event
 * updated before the record applies to it, one updated after it applies from the next record on.
 *
 * <p>Entries of the cooldown store whose window is long over (see {@link Cooldown#expired}) are
 * purged every {@link #PURGE_INTERVAL} of stream time, so alerts deleted long ago leave nothing behind.
 */
public final class AlertEvaluator implements Processor<String, Candidate, String, AlertNotification> {

    public static final String COOLDOWN_STORE = "alert-cooldown";
    public static final String EVENTS_STORE = "events";
    public static final String RTSTREAMS_STORE = "rtstreams";
    static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);

    private static final Logger log = LoggerFactory.getLogger(AlertEvaluator.class);

    private final AlertMatcher matcher;
    private final Clock clock;
    private final Duration defaultCooldown;
    private final RouterMetrics metrics;
    private final PoisonRecords poison;
    private final ClipLinks clips;
    private final List<Match> matches = new ArrayList<>();
    private ProcessorContext<String, AlertNotification> context;
    private KeyValueStore<String, CooldownEntry> cooldowns;
    private KeyValueStore<String, EventRule> events;
    private KeyValueStore<String, RtStreamSpec> rtstreams;

    AlertEvaluator(AlertMatcher matcher, Clock clock, Duration defaultCooldown, RouterMetrics metrics,
            PoisonRecords poison, ClipLinks clips) {
        this.clips = clips;
        this.matcher = matcher;
        this.clock = clock;
        this.defaultCooldown = defaultCooldown;
        this.metrics = metrics;
        this.poison = poison;
    }

    /** The supplier for {@code KStream.process}; it also brings the cooldown store. */
    public static ProcessorSupplier<String, Candidate, String, AlertNotification> supplier(AlertMatcher matcher,
            Clock clock, Duration defaultCooldown, RouterMetrics metrics, PoisonRecords poison, ClipLinks clips) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, Candidate, String, AlertNotification> get() {
                return new AlertEvaluator(matcher, clock, defaultCooldown, metrics, poison, clips);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                // In memory: one small entry per alert that fired recently. The changelog (on by
                // default) restores it on restart or fail-over, so a restart does not re-fire an alert
                // inside its cooldown.
                return Set.of(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(COOLDOWN_STORE),
                        Serdes.String(), new CooldownEntrySerde()));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, AlertNotification> context) {
        this.context = context;
        this.cooldowns = context.getStateStore(COOLDOWN_STORE);
        this.events = context.getStateStore(EVENTS_STORE);
        this.rtstreams = context.getStateStore(RTSTREAMS_STORE);
        context.schedule(PURGE_INTERVAL, PunctuationType.STREAM_TIME, this::purge);
    }

    @Override
    public void process(Record<String, Candidate> in) {
        IndexRecord record = in.value().record();
        List<AlertBinding> alerts = in.value().alerts().forIndex(record.indexId());
        if (alerts.isEmpty()) {
            return; // the stream has alerts, but none on this index
        }
        NormalisedRecord normalised;
        try {
            normalised = record.normalise();
        } catch (RuntimeException e) {
            poison.skip(context.recordMetadata().map(m -> m.topic()).orElse("index"), "key " + in.key(),
                    "unnormalisable", String.valueOf(e.getMessage()));
            return;
        }
        matches.clear();
        matcher.match(record, normalised, alerts, this::event, matches);
        if (matches.isEmpty()) {
            return;
        }
        String recordKey = record.notificationKey();
        RtStreamSpec stream = null;
        String rtstreamName = null;
        for (Match match : matches) {
            String alertId = match.alert().getId();
            String id = Ids.notificationId(alertId, recordKey);
            Duration cooldown = cooldownOf(match.alert());
            switch (Cooldown.decide(cooldowns.get(alertId), id, in.timestamp(), cooldown)) {
                case SUPPRESS -> {
                    metrics.suppressedByCooldown();
                    log.trace("Alert {} matched the {} inside its cooldown", alertId, record);
                    continue;
                }
                case REPEAT -> {
                    metrics.repeated();
                    log.debug("Alert {} notifies {} again: the {} was seen before", alertId, id, record);
                }
                case FIRE -> {
                    // A zero cooldown fires every match, a record seen again included (with the same
                    // id), so it needs no entry: no state and no changelog write per notification.
                    if (!cooldown.isZero()) {
                        cooldowns.put(alertId, new CooldownEntry(in.timestamp(), cooldown.toMillis(), id));
                    }
                    log.debug("Alert {} fired {} on the {}", alertId, id, record);
                }
                default -> throw new IllegalStateException("unknown cooldown decision");
            }
            if (rtstreamName == null) {
                // Left-join semantics: a stream missing from vigil.rtstreams (deleted meanwhile, or not yet
                // replicated to this instance) still fires, with an empty name and no clip.
                stream = rtstreams.get(record.rtstreamId());
                rtstreamName = stream == null || stream.getName() == null ? "" : stream.getName();
            }
            Instant now = clock.instant();
            ClipLinks.Clip clip = NotificationClips.of(clips, stream, record, match.event().getLabel(), now);
            context.forward(new Record<>(alertId, Notifications.create(id, match, record, rtstreamName, now, clip),
                    in.timestamp()));
            metrics.fired(Duration.between(record.emitTs(), now));
        }
    }

    private Duration cooldownOf(AlertBinding alert) {
        // The schema defaults cooldown_s to 60 and control-api checks 0..86400; a negative value can
        // only come from another writer, and falls back to the configured default.
        return alert.getCooldownS() >= 0 ? Duration.ofSeconds(alert.getCooldownS()) : defaultCooldown;
    }

    private EventRule event(String eventId) {
        // A lookup join with the global events table at processing time: an event changed before
        // this record applies to it, one changed later from the next record on; a deleted one is null.
        return events.get(eventId);
    }

    private void purge(long streamTime) {
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, CooldownEntry> all = cooldowns.all()) {
            while (all.hasNext()) {
                KeyValue<String, CooldownEntry> entry = all.next();
                if (Cooldown.expired(entry.value, streamTime)) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(cooldowns::delete);
        if (!expired.isEmpty()) {
            log.debug("Purged {} expired cooldown entries", expired.size());
        }
    }
}
