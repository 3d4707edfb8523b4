package dev.vigil.alerts.evaluate;

import dev.vigil.alerts.metrics.RouterMetrics;
import dev.vigil.alerts.metrics.RouterMetrics.SkipReason;
import dev.vigil.alerts.record.IndexRecord;
import dev.vigil.rules.cel.Condition;
import dev.vigil.rules.record.NormalisedRecord;
import dev.vigil.schemas.control.AlertBinding;
import dev.vigil.schemas.control.AlertStatus;
import dev.vigil.schemas.control.ConditionOrigin;
import dev.vigil.schemas.control.EventRule;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which alerts of a record's index match it: the part of the router that is pure rule
 * evaluation, without Kafka or state (the cooldown comes after it). For each alert, in order:
 *
 * <ol>
 *   <li>disabled → skipped;</li>
 *   <li>the alert's collection is not the record's → skipped (tenant isolation: a record never fires
 *       another collection's alert, whatever ids it carries);</li>
 *   <li>its event is unknown (deleted) or belongs to another collection → skipped;</li>
 *   <li>the event's condition needs the LLM judge → not matched here: with a judge (a text model), the
 *       topology's {@code JudgeRequests} hands the record to the judge worker, off the Streams thread;
 *       without one it is skipped and counted;</li>
 *   <li>otherwise the event's compiled condition is evaluated against the normalised record.</li>
 * </ol>
 * Each skip is counted by reason. A failure while handling one alert is counted and logged, and the
 * other alerts of the record are still evaluated. Thread-safe.
 */
public final class AlertMatcher {

    private static final Logger log = LoggerFactory.getLogger(AlertMatcher.class);

    private final ConditionCache conditions;
    private final RouterMetrics metrics;
    private final boolean judging;

    /** A matcher for a router without a judge: judged events are skipped and counted. */
    public AlertMatcher(ConditionCache conditions, RouterMetrics metrics) {
        this(conditions, metrics, false);
    }

    /** @param judging whether judged events go to the judge worker (then they are not counted as skipped) */
    public AlertMatcher(ConditionCache conditions, RouterMetrics metrics, boolean judging) {
        this.conditions = conditions;
        this.metrics = metrics;
        this.judging = judging;
    }

    /**
     * Adds to {@code out} each of {@code alerts} (the alerts of the record's index) that matches.
     *
     * @param events the current event of an id, or null when there is none
     */
    public void match(IndexRecord record, NormalisedRecord normalised, List<AlertBinding> alerts,
            Function<String, EventRule> events, List<Match> out) {
        for (AlertBinding alert : alerts) {
            try {
                Match match = match(record, normalised, alert, events);
                if (match != null) {
                    out.add(match);
                }
            } catch (RuntimeException e) {
                metrics.evaluationError("internal");
                log.warn("Cannot evaluate alert {} against the {}; skipped", alert.getId(), record, e);
            }
        }
    }

    private Match match(IndexRecord record, NormalisedRecord normalised, AlertBinding alert,
            Function<String, EventRule> events) {
        if (alert.getStatus() != AlertStatus.ENABLED) {
            metrics.skipped(SkipReason.DISABLED);
            return null;
        }
        if (!Objects.equals(alert.getCollectionId(), record.collectionId())) {
            metrics.skipped(SkipReason.TENANT_MISMATCH);
            log.debug("Alert {} of collection {} ignores the {}", alert.getId(), alert.getCollectionId(), record);
            return null;
        }
        EventRule event = events.apply(alert.getEventId());
        if (event == null) {
            metrics.skipped(SkipReason.EVENT_MISSING);
            log.debug("Alert {} names event {}, which does not exist", alert.getId(), alert.getEventId());
            return null;
        }
        if (!Objects.equals(event.getCollectionId(), alert.getCollectionId())) {
            metrics.skipped(SkipReason.TENANT_MISMATCH);
            log.debug("Alert {} of collection {} names event {} of collection {}", alert.getId(),
                    alert.getCollectionId(), event.getId(), event.getCollectionId());
            return null;
        }
        if (event.getConditionOrigin() == ConditionOrigin.LLM_JUDGE) {
            if (!judging) {
                metrics.skipped(SkipReason.LLM_JUDGE);
                log.debug("Alert {}: event {} needs the LLM judge, and no text model is configured",
                        alert.getId(), event.getId());
            }
            return null;
        }
        Condition condition = conditions.condition(event);
        if (condition == null) {
            return null;
        }
        metrics.evaluated(record.channel());
        return condition.matches(normalised) ? new Match(alert, event, condition) : null;
    }
}
