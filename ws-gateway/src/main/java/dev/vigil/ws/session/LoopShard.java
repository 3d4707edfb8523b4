package dev.vigil.ws.session;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The connections of one event loop, for what runs on that loop: one periodic timer pings them all
 * and closes idle or hopelessly slow ones (one timer per loop rather than per connection), and
 * {@link #closeAll} at shutdown. Confined to its loop.
 */
final class LoopShard {

    private final Vertx vertx;
    private final Set<Connection> connections = new LinkedHashSet<>();
    private final long timerId;

    /** Call on the event loop the shard serves. */
    LoopShard(Vertx vertx, long sweepIntervalMillis) {
        this.vertx = vertx;
        this.timerId = vertx.setPeriodic(sweepIntervalMillis, id -> sweep());
    }

    void add(Connection connection) {
        connections.add(connection);
    }

    void remove(Connection connection) {
        connections.remove(connection);
    }

    /** Runs {@code action} on this loop after {@code delayMillis}. */
    void timer(long delayMillis, Runnable action) {
        vertx.setTimer(delayMillis, id -> action.run());
    }

    private void sweep() {
        long now = System.nanoTime();
        // Copy: a sweep may close connections, which removes them.
        for (Connection connection : new ArrayList<>(connections)) {
            connection.sweep(now);
        }
    }

    /** Closes every connection with {@code code} and stops the timer. */
    void closeAll(short code, String reason) {
        vertx.cancelTimer(timerId);
        for (Connection connection : new ArrayList<>(connections)) {
            connection.close(code, reason, "shutdown");
        }
    }
}
