package dev.vigil.alerts.binding;

import dev.vigil.schemas.control.AlertBinding;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The alerts of one rtstream, grouped by index id: the value of the alert-router's aggregated alert
 * table (store {@code alerts-by-rtstream}, key = rtstream id). Immutable: the aggregation's adder and
 * subtractor return new instances.
 *
 * <p>Alerts are kept in alert-id order, so a record matching several alerts of one index fires them
 * in the same order on every run and every instance.
 */
public final class StreamAlerts {

    private static final StreamAlerts EMPTY = new StreamAlerts(new TreeMap<>());

    private final SortedMap<String, AlertBinding> byId;
    private final Map<String, List<AlertBinding>> byIndex;

    private StreamAlerts(SortedMap<String, AlertBinding> byId) {
        this.byId = Collections.unmodifiableSortedMap(byId);
        Map<String, List<AlertBinding>> grouped = new HashMap<>();
        for (AlertBinding alert : byId.values()) {
            grouped.computeIfAbsent(alert.getIndexId(), k -> new ArrayList<>(2)).add(alert);
        }
        grouped.replaceAll((index, alerts) -> List.copyOf(alerts));
        this.byIndex = Map.copyOf(grouped);
    }

    public static StreamAlerts empty() {
        return EMPTY;
    }

    /** Alerts in alert-id order, e.g. from a decoded store value. */
    public static StreamAlerts of(Collection<AlertBinding> alerts) {
        SortedMap<String, AlertBinding> byId = new TreeMap<>();
        alerts.forEach(a -> byId.put(a.getId(), a));
        return new StreamAlerts(byId);
    }

    /** A copy holding {@code alert}, replacing the alert of the same id. */
    public StreamAlerts with(AlertBinding alert) {
        SortedMap<String, AlertBinding> copy = new TreeMap<>(byId);
        copy.put(alert.getId(), alert);
        return new StreamAlerts(copy);
    }

    /** A copy without the alert {@code alertId}. */
    public StreamAlerts without(String alertId) {
        if (!byId.containsKey(alertId)) {
            return this;
        }
        SortedMap<String, AlertBinding> copy = new TreeMap<>(byId);
        copy.remove(alertId);
        return new StreamAlerts(copy);
    }

    /** The alerts bound to {@code indexId}, in alert-id order; empty when none. */
    public List<AlertBinding> forIndex(String indexId) {
        return byIndex.getOrDefault(indexId, List.of());
    }

    /** Every alert of the stream, in alert-id order. */
    public Collection<AlertBinding> all() {
        return byId.values();
    }

    public boolean isEmpty() {
        return byId.isEmpty();
    }

    public int size() {
        return byId.size();
    }

    @Override
    public String toString() {
        return "StreamAlerts" + byId.keySet();
    }
}
