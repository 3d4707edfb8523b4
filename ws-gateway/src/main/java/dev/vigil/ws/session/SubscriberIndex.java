package dev.vigil.ws.session;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Which connections could want a delivery, so routing looks at a handful of candidates instead of
 * every subscriber of a tenant: per tenant, the connections with a subscription to any stream, and
 * per tenant and stream, those subscribed to that stream by id. Candidates are then checked against
 * their full filters ({@link Connection#wants}).
 *
 * <p>Updated on the event loops as clients subscribe and unsubscribe, read on the feed thread;
 * concurrent sets, each key updated atomically, empty sets removed.
 */
final class SubscriberIndex {

    /** What a connection's subscriptions are indexed under. */
    record Keys(boolean anyStream, Set<String> streams) {
        static final Keys NONE = new Keys(false, Set.of());

        static Keys of(List<Subscription> filters) {
            if (filters.isEmpty()) {
                return NONE;
            }
            if (filters.stream().anyMatch(f -> f.rtstreamIds().isEmpty())) {
                return new Keys(true, Set.of());
            }
            Set<String> streams = new HashSet<>();
            filters.forEach(f -> streams.addAll(f.rtstreamIds()));
            return new Keys(false, Set.copyOf(streams));
        }
    }

    private final Map<String, Set<Connection>> anyStream = new ConcurrentHashMap<>();
    private final Map<String, Set<Connection>> byStream = new ConcurrentHashMap<>();

    /** Moves {@code connection} from the entries of {@code before} to those of {@code after}. */
    void update(Connection connection, Keys before, Keys after) {
        String tenant = connection.collectionId();
        if (before.anyStream() && !after.anyStream()) {
            remove(anyStream, tenant, connection);
        } else if (!before.anyStream() && after.anyStream()) {
            add(anyStream, tenant, connection);
        }
        for (String stream : before.streams()) {
            if (!after.streams().contains(stream)) {
                remove(byStream, key(tenant, stream), connection);
            }
        }
        for (String stream : after.streams()) {
            if (!before.streams().contains(stream)) {
                add(byStream, key(tenant, stream), connection);
            }
        }
    }

    /** Visits, once each, the connections of {@code tenant} that could want a delivery about {@code stream}. */
    void forEachCandidate(String tenant, String stream, Consumer<Connection> visitor) {
        Set<Connection> any = anyStream.get(tenant);
        if (any != null) {
            any.forEach(visitor);
        }
        Set<Connection> specific = byStream.get(key(tenant, stream));
        if (specific != null) {
            for (Connection connection : specific) {
                if (any == null || !any.contains(connection)) {
                    visitor.accept(connection);
                }
            }
        }
    }

    private static String key(String tenant, String stream) {
        return tenant + '\n' + stream; // neither a collection id nor a stream id contains a newline
    }

    private static void add(Map<String, Set<Connection>> map, String key, Connection connection) {
        map.compute(key, (k, set) -> {
            Set<Connection> members = set == null ? ConcurrentHashMap.newKeySet() : set;
            members.add(connection);
            return members;
        });
    }

    private static void remove(Map<String, Set<Connection>> map, String key, Connection connection) {
        map.computeIfPresent(key, (k, set) -> {
            set.remove(connection);
            return set.isEmpty() ? null : set;
        });
    }
}
