package dev.vigil.alerts.evaluate;

import dev.vigil.alerts.binding.StreamAlerts;
import dev.vigil.alerts.record.IndexRecord;

/**
 * An index record joined with the alerts of its stream, on its way to evaluation. Lives only between
 * the join and the evaluator, in memory (no serde).
 */
public record Candidate(IndexRecord record, StreamAlerts alerts) {
}
