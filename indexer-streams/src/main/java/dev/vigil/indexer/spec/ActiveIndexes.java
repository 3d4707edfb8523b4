package dev.vigil.indexer.spec;

import dev.vigil.schemas.control.IndexSpec;
import dev.vigil.schemas.control.IndexState;
import dev.vigil.schemas.control.IndexType;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The running indexes of one stream, by index id: the value of the indexer's table of
 * {@code vigil.indexes} re-keyed by rtstream id. Immutable; {@link #with} and {@link #without}
 * return copies (the table's aggregator adds and subtracts specs).
 */
public final class ActiveIndexes {

    public static final ActiveIndexes EMPTY = new ActiveIndexes(Map.of());

    private final Map<String, IndexSpec> byId;

    private ActiveIndexes(Map<String, IndexSpec> byId) {
        this.byId = Collections.unmodifiableMap(new TreeMap<>(byId));
    }

    public static ActiveIndexes of(Map<String, IndexSpec> byId) {
        return new ActiveIndexes(byId);
    }

    /** A copy holding {@code spec} when it runs, or without it when it is stopped. */
    public ActiveIndexes with(IndexSpec spec) {
        Map<String, IndexSpec> copy = new TreeMap<>(byId);
        if (spec.getState() == IndexState.RUNNING) {
            copy.put(spec.getId(), spec);
        } else {
            copy.remove(spec.getId());
        }
        return new ActiveIndexes(copy);
    }

    /** A copy without the index of {@code spec}. */
    public ActiveIndexes without(IndexSpec spec) {
        if (!byId.containsKey(spec.getId())) {
            return this;
        }
        Map<String, IndexSpec> copy = new TreeMap<>(byId);
        copy.remove(spec.getId());
        return new ActiveIndexes(copy);
    }

    /** The running indexes of one type, in index id order. */
    public List<IndexSpec> ofType(IndexType type) {
        return byId.values().stream().filter(s -> s.getIndexType() == type).toList();
    }

    public Map<String, IndexSpec> byId() {
        return byId;
    }

    public boolean isEmpty() {
        return byId.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ActiveIndexes other && byId.equals(other.byId);
    }

    @Override
    public int hashCode() {
        return byId.hashCode();
    }

    @Override
    public String toString() {
        return "ActiveIndexes" + byId.keySet();
    }
}
