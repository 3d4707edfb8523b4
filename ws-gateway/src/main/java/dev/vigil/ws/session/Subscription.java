package dev.vigil.ws.session;

import dev.vigil.ws.feed.Channel;
import dev.vigil.ws.feed.Delivery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * One client subscription: a filter over channels, stream ids, index ids and labels. An empty set
 * matches anything; a non-empty one must contain the delivery's value (for labels: any of the
 * delivery's labels, so a transcript, which has none, never matches a label filter). Tenancy is
 * not part of the filter: the caller only ever offers deliveries of the connection's own tenant.
 * Immutable; labels are lower-case.
 */
public record Subscription(Set<Channel> channels, Set<String> rtstreamIds, Set<String> indexIds, Set<String> labels) {

    public Subscription {
        channels = Set.copyOf(channels);
        rtstreamIds = Set.copyOf(rtstreamIds);
        indexIds = Set.copyOf(indexIds);
        labels = Set.copyOf(labels);
    }

    /** Matches every delivery of the tenant. */
    public static Subscription everything() {
        return new Subscription(Set.of(), Set.of(), Set.of(), Set.of());
    }

    public boolean matches(Delivery delivery) {
        if (!channels.isEmpty() && !channels.contains(delivery.channel())) {
            return false;
        }
        if (!rtstreamIds.isEmpty() && !rtstreamIds.contains(delivery.rtstreamId())) {
            return false;
        }
        if (!indexIds.isEmpty() && !indexIds.contains(delivery.indexId())) {
            return false;
        }
        if (labels.isEmpty()) {
            return true;
        }
        for (String label : delivery.labels()) {
            if (labels.contains(label)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an unsubscribe with {@code filter} removes this subscription: every field the filter
     * gives equals this subscription's (as sets); fields it leaves empty match anything.
     */
    public boolean selectedBy(Subscription filter) {
        return (filter.channels.isEmpty() || filter.channels.equals(channels))
                && (filter.rtstreamIds.isEmpty() || filter.rtstreamIds.equals(rtstreamIds))
                && (filter.indexIds.isEmpty() || filter.indexIds.equals(indexIds))
                && (filter.labels.isEmpty() || filter.labels.equals(labels));
    }

    /** The filter as the client wrote it (sorted), for acknowledgements. */
    public JsonObject toJson() {
        return new JsonObject()
                .put("channels", new JsonArray(channels.stream().sorted().map(Channel::wireName).toList()))
                .put("rtstream_ids", new JsonArray(rtstreamIds.stream().sorted().toList()))
                .put("index_ids", new JsonArray(indexIds.stream().sorted().toList()))
                .put("labels", new JsonArray(labels.stream().sorted().toList()));
    }
}
