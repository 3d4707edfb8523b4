package dev.vigil.ws.session;

import dev.vigil.common.ids.Ids;
import dev.vigil.ws.WsGatewayConfig;
import dev.vigil.ws.feed.Delivery;
import dev.vigil.ws.feed.DeliverySink;
import dev.vigil.ws.metrics.GatewayMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every connection of this gateway instance, the connection limits (per instance and per collection), and the routing of deliveries
 * (ws/DESIGN.md), which runs on the feed thread:
 * <ol>
 *   <li>the connections the record is addressed to ({@code ws_connection_id} of its index, stream
 *       or alert), if they belong to the record's tenant;</li>
 *   <li>the connections of the record's tenant that subscribed to something it matches.</li>
 * </ol>
 * Each connection gets a delivery at most once. Connections of another tenant are never even
 * looked at: subscribers are indexed by collection (and stream, {@link SubscriberIndex}). Lookups
 * use concurrent maps that the event loops update as connections open, subscribe and close.
 */
public final class ConnectionRegistry implements DeliverySink {

    private final Vertx vertx;
    private final WsGatewayConfig config;
    private final GatewayMetrics metrics;
    private final Map<String, Connection> byId = new ConcurrentHashMap<>();
    private final SubscriberIndex subscribers = new SubscriberIndex();
    private final Map<Thread, LoopShard> shards = new ConcurrentHashMap<>();
    private final Map<Thread, Context> contexts = new ConcurrentHashMap<>();
    /** Open connections plus upgrades in progress. */
    private final AtomicInteger slots = new AtomicInteger();
    /** The same, per collection (bounded by the number of collections, i.e. of API keys). */
    private final Map<String, AtomicInteger> slotsByCollection = new ConcurrentHashMap<>();
    /** Feed thread only: numbers the batches, for the per-batch backlog check of each connection. */
    private long batches;

    public ConnectionRegistry(Vertx vertx, WsGatewayConfig config, GatewayMetrics metrics) {
        this.vertx = vertx;
        this.config = config;
        this.metrics = metrics;
    }

    /** Whether a connection slot was taken, and if not, which limit was reached. */
    public enum Admission {
        ADMITTED,
        /** {@code VIGIL_WS_MAX_CONNECTIONS}: the instance is full. */
        INSTANCE_FULL,
        /** {@code VIGIL_QUOTA_WS_CONNECTIONS}: this collection holds its share. */
        COLLECTION_FULL
    }

    /** Takes a connection slot of the instance and of {@code collectionId}; give it back with {@link #release}. */
    public Admission tryReserve(String collectionId) {
        AtomicInteger collection = slotsByCollection.computeIfAbsent(collectionId, c -> new AtomicInteger());
        if (!increment(collection, config.maxConnectionsPerCollection())) {
            return Admission.COLLECTION_FULL;
        }
        if (!increment(slots, config.maxConnections())) {
            collection.decrementAndGet();
            return Admission.INSTANCE_FULL;
        }
        return Admission.ADMITTED;
    }

    private static boolean increment(AtomicInteger counter, int limit) {
        while (true) {
            int current = counter.get();
            if (current >= limit) {
                return false;
            }
            if (counter.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Gives back a slot taken by {@link #tryReserve} whose upgrade did not happen. */
    public void release(String collectionId) {
        slots.decrementAndGet();
        slotsByCollection.get(collectionId).decrementAndGet();
    }

    /** Open connections of {@code collectionId} (and its upgrades in progress). */
    public int connections(String collectionId) {
        AtomicInteger count = slotsByCollection.get(collectionId);
        return count == null ? 0 : count.get();
    }

    /**
     * Adopts an upgraded socket of {@code collectionId} in a reserved slot: assigns it a new
     * connection id, sends the {@code connected} frame and starts delivering. Call on the socket's
     * event loop (the upgrade future's callback). {@code abort} cuts the TCP connection (for a peer
     * that never completes the closing handshake). Returns the connection id.
     */
    public String adopt(ServerWebSocket ws, Runnable abort, String collectionId) {
        Context context = Vertx.currentContext();
        if (context == null || !Context.isOnEventLoopThread()) {
            throw new IllegalStateException("adopt a WebSocket on its event loop");
        }
        Thread loop = Thread.currentThread();
        LoopShard shard = shards.computeIfAbsent(loop, t -> new LoopShard(vertx, config.pingInterval().toMillis()));
        contexts.putIfAbsent(loop, context);
        Connection connection = new Connection(Ids.connectionId(), collectionId, ws, context, abort, shard, this, config,
                metrics);
        metrics.opened();
        connection.open();
        return connection.id();
    }

    void register(Connection connection) {
        byId.put(connection.id(), connection);
    }

    void unregister(Connection connection) {
        if (byId.remove(connection.id(), connection)) {
            subscribers.update(connection, connection.indexKeys(), SubscriberIndex.Keys.NONE);
            release(connection.collectionId());
        }
    }

    void reindex(Connection connection, SubscriberIndex.Keys before, SubscriberIndex.Keys after) {
        if (byId.get(connection.id()) == connection) {
            subscribers.update(connection, before, after);
        }
    }

    @Override
    public boolean isEmpty() {
        return slots.get() == 0;
    }

    @Override
    public void dispatch(List<Delivery> batch) {
        long batchNumber = batches++;
        for (Delivery delivery : batch) {
            Fanout fanout = new Fanout(delivery, metrics);
            int[] queued = {0};
            List<String> targets = delivery.targets();
            for (int i = 0; i < targets.size(); i++) {
                Connection target = byId.get(targets.get(i));
                if (target != null && target.collectionId().equals(delivery.collectionId())
                        && target.offer(delivery, fanout, batchNumber)) {
                    queued[0]++;
                }
            }
            subscribers.forEachCandidate(delivery.collectionId(), delivery.rtstreamId(), connection -> {
                if (!targets.contains(connection.id()) && connection.wants(delivery)
                        && connection.offer(delivery, fanout, batchNumber)) {
                    queued[0]++;
                }
            });
            if (queued[0] > 0) {
                fanout.release(); // the dispatcher's own token
            }
        }
    }

    /** Open connections plus upgrades in progress. */
    public int connections() {
        return slots.get();
    }

    /** Closes every connection with {@code code}; completes once each loop has started its closes. */
    public Future<Void> closeAll(short code, String reason) {
        List<Future<Void>> done = new ArrayList<>();
        shards.forEach((loop, shard) -> {
            Promise<Void> promise = Promise.promise();
            contexts.get(loop).runOnContext(v -> {
                shard.closeAll(code, reason);
                promise.complete();
            });
            done.add(promise.future());
        });
        return Future.all(done).mapEmpty();
    }
}
