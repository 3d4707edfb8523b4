package dev.vigil.ws.session;

import dev.vigil.ws.feed.Delivery;
import dev.vigil.ws.metrics.GatewayMetrics;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The writes of one delivery in flight, across connections: when the last one has reached its
 * socket, the Kafka→socket latency of the record is recorded once. The dispatcher holds one token
 * while it queues writes, so the count cannot reach zero before every write is queued.
 */
final class Fanout {

    private final Delivery delivery;
    private final GatewayMetrics metrics;
    private final AtomicInteger pending = new AtomicInteger(1);

    Fanout(Delivery delivery, GatewayMetrics metrics) {
        this.delivery = delivery;
        this.metrics = metrics;
    }

    /** A write was queued. */
    void add() {
        pending.incrementAndGet();
    }

    /** A write completed (or the dispatcher is done queueing). */
    void release() {
        if (pending.decrementAndGet() == 0) {
            metrics.latency(delivery.channel(), System.currentTimeMillis() - delivery.sourceEpochMillis());
        }
    }
}
