package dev.vigil.ws.session;

import dev.vigil.ws.WsGatewayConfig;
import dev.vigil.ws.feed.Delivery;
import dev.vigil.ws.metrics.GatewayMetrics;
import dev.vigil.ws.session.ClientRequest.InvalidRequestException;
import dev.vigil.ws.session.ClientRequest.Subscribe;
import dev.vigil.ws.session.ClientRequest.Unsubscribe;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's WebSocket: sends the {@code connected} frame, then the deliveries the
 * {@link ConnectionRegistry} offers; answers subscribe/unsubscribe frames; enforces the inbound
 * limits; keeps the connection alive with pings and closes it when it goes silent or cannot keep up.
 *
 * <p>Threads: {@link #wants} and {@link #offer} run on the feed thread; everything else on the
 * socket's event loop. What both touch is volatile or atomic: the subscription snapshot, the queued
 * byte count, the overflow start and the closing flag. {@code offer} writes from the feed thread on
 * purpose: Vert.x then queues the frame for the socket's event loop and writes everything queued for
 * a socket with one flush, where a write made on the loop flushes (one syscall) per frame —
 * measured 3 to 5 times cheaper per frame with 1,000 sockets (DESIGN.md).
 *
 * <p>Backpressure: the bytes offered but not yet written to the socket are counted; while they
 * exceed {@code VIGIL_WS_WRITE_QUEUE_BYTES}, new frames are dropped and counted — nothing ever
 * waits for a client. A connection that keeps dropping for {@code VIGIL_WS_SLOW_CLIENT_TIMEOUT} is
 * closed with 1013 (it may reconnect).
 */
final class Connection {

    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    private static final Buffer PING = Buffer.buffer("vigil");
    /** RFC 6455 §5.5: a control frame's payload (2-byte code + reason) is at most 125 bytes. */
    private static final int MAX_REASON_BYTES = 123;
    /** Longest wait for a closing handshake before the TCP connection is cut. */
    private static final long MAX_CLOSE_GRACE_MILLIS = 5_000;
    private static final long NOT_OVERFLOWING = Long.MIN_VALUE;

    private record Entry(String id, Subscription filter) {
    }

    private final String id;
    private final String collectionId;
    private final ServerWebSocket ws;
    private final Context context;
    private final Runnable abort;
    private final LoopShard shard;
    private final ConnectionRegistry registry;
    private final WsGatewayConfig config;
    private final GatewayMetrics metrics;

    // Event loop only.
    private final TokenBucket inbound;
    private final List<Entry> subscriptions = new ArrayList<>();
    private int nextSubscription = 1;
    private int strikes;
    private long lastInboundNanos;
    private String closeTag;
    private boolean closed;

    // Feed thread only.
    private long lastBatch = -1;
    private long backlogAtBatchStart;

    private SubscriberIndex.Keys indexKeys = SubscriberIndex.Keys.NONE;

    // Shared with the feed thread.
    private volatile List<Subscription> filters = List.of();
    private volatile boolean closing;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong overflowSinceNanos = new AtomicLong(NOT_OVERFLOWING);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean slowCloseRequested = new AtomicBoolean();

    /** {@code abort} cuts the TCP connection at once, for peers that never take the close frame. */
    Connection(String id, String collectionId, ServerWebSocket ws, Context context, Runnable abort, LoopShard shard,
            ConnectionRegistry registry, WsGatewayConfig config, GatewayMetrics metrics) {
        this.id = id;
        this.collectionId = collectionId;
        this.ws = ws;
        this.context = context;
        this.abort = abort;
        this.shard = shard;
        this.registry = registry;
        this.config = config;
        this.metrics = metrics;
        long now = System.nanoTime();
        this.inbound = new TokenBucket(config.inboundFramesPerSecond(), now);
        this.lastInboundNanos = now;
    }

    String id() {
        return id;
    }

    String collectionId() {
        return collectionId;
    }

    /** On the loop: sends the {@code connected} frame — always the first — then starts taking deliveries. */
    void open() {
        ws.frameHandler(this::handleFrame);
        ws.exceptionHandler(e -> log.debug("Connection {}: {}", id, e.toString()));
        ws.closeHandler(v -> handleClosed());
        // VideoDB's SDKs read exactly this frame right after the handshake and take connection_id from it.
        // Written before the connection is visible to the feed, so no delivery can overtake it.
        ws.writeTextMessage(new JsonObject()
                .put("connection_id", id)
                .put("channel", "system")
                .put("type", "connected")
                .put("collection_id", collectionId)
                .encode());
        shard.add(this);
        registry.register(this);
        if (ws.isClosed()) {
            handleClosed(); // the client left during the handshake: no close event will come
        }
        log.debug("Connection {} opened for collection {}", id, collectionId);
    }

    /** Feed thread: whether any subscription of this connection wants {@code delivery}. */
    boolean wants(Delivery delivery) {
        for (Subscription filter : filters) {
            if (filter.matches(delivery)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Feed thread: queues {@code delivery} (part of feed batch {@code batch}) for writing, or drops
     * it if the client has fallen too far behind. True if queued; {@code fanout} then learns when
     * the write completes.
     *
     * <p>"Too far behind" is judged on what was still unwritten when the batch began: a client that
     * keeps up takes a whole batch, however bursty, while one that has not written the previous
     * frames beyond {@code VIGIL_WS_WRITE_QUEUE_BYTES} takes nothing more. A connection therefore
     * holds at most the bound plus one poll's frames.
     */
    boolean offer(Delivery delivery, Fanout fanout, long batch) {
        if (closing) {
            return false;
        }
        if (batch != lastBatch) {
            lastBatch = batch;
            backlogAtBatchStart = queuedBytes.get();
        }
        if (backlogAtBatchStart > config.writeQueueBytes()) {
            drop(delivery);
            return false;
        }
        int bytes = delivery.jsonBytes();
        queuedBytes.addAndGet(bytes);
        fanout.add();
        try {
            ws.writeTextMessage(delivery.json()).onComplete(done -> written(done.succeeded(), bytes, delivery, fanout));
        } catch (RuntimeException e) {
            // Closed under our feet: nothing was queued.
            queuedBytes.addAndGet(-bytes);
            fanout.release();
            return false;
        }
        return true;
    }

    /** Event loop: a queued frame reached the socket (or failed because it closed). */
    private void written(boolean succeeded, int bytes, Delivery delivery, Fanout fanout) {
        long left = queuedBytes.addAndGet(-bytes);
        if (left <= config.writeQueueBytes() && overflowSinceNanos.get() != NOT_OVERFLOWING) {
            overflowSinceNanos.set(NOT_OVERFLOWING); // back under the bound: caught up
        }
        if (succeeded) {
            metrics.sent(delivery.channel());
        }
        fanout.release();
    }

    private void drop(Delivery delivery) {
        long count = dropped.incrementAndGet();
        metrics.dropped(delivery.channel());
        long now = System.nanoTime();
        long since = overflowSinceNanos.get();
        if (since == NOT_OVERFLOWING) {
            if (overflowSinceNanos.compareAndSet(NOT_OVERFLOWING, now)) {
                log.debug("Connection {} is not keeping up; dropping frames ({} so far)", id, count);
            }
        } else if (now - since >= config.slowClientTimeout().toNanos() && slowCloseRequested.compareAndSet(false, true)) {
            context.runOnContext(v -> closeSlowClient());
        }
    }

    private void closeSlowClient() {
        if (closing) {
            return;
        }
        log.info("Closing connection {} of collection {}: could not keep up for {}, {} frames dropped", id,
                collectionId, config.slowClientTimeout(), dropped.get());
        close(CloseCodes.TRY_AGAIN_LATER, "client too slow: " + dropped.get() + " frames dropped", "slow_client");
    }

    /** Event loop, periodically: closes a silent or hopelessly slow connection, otherwise pings it. */
    void sweep(long nowNanos) {
        if (closing) {
            return;
        }
        long since = overflowSinceNanos.get();
        if (since != NOT_OVERFLOWING && nowNanos - since >= config.slowClientTimeout().toNanos()) {
            closeSlowClient();
        } else if (nowNanos - lastInboundNanos >= config.idleTimeout().toNanos()) {
            log.debug("Closing idle connection {}", id);
            close(CloseCodes.GOING_AWAY, "idle timeout: nothing received for " + config.idleTimeout(), "idle");
        } else {
            ws.writePing(PING);
        }
    }

    private void handleFrame(WebSocketFrame frame) {
        long now = System.nanoTime();
        lastInboundNanos = now; // any frame, pongs included, shows the client is alive
        WebSocketFrameType type = frame.type();
        if (closing || type == WebSocketFrameType.PING || type == WebSocketFrameType.PONG
                || type == WebSocketFrameType.CLOSE) {
            return;
        }
        if (!inbound.tryTake(now)) {
            refuse("rate", "too many frames: at most " + config.inboundFramesPerSecond() + " per second");
            return;
        }
        if (frame.binaryData().length() > config.maxInboundFrameBytes()) {
            metrics.clientFrameRejected("too_big");
            close(CloseCodes.MESSAGE_TOO_BIG, "frame larger than " + config.maxInboundFrameBytes() + " bytes", "too_big");
            return;
        }
        if (type != WebSocketFrameType.TEXT || !frame.isFinal()) {
            refuse("unsupported_frame", "send each request as one unfragmented JSON text frame");
            return;
        }
        ClientRequest request;
        try {
            request = ClientRequest.parse(frame.textData());
        } catch (InvalidRequestException e) {
            refuse("malformed", e.getMessage());
            return;
        }
        if (request instanceof Subscribe subscribe) {
            subscribe(subscribe.filter());
        } else {
            unsubscribe((Unsubscribe) request);
        }
    }

    private void subscribe(Subscription filter) {
        if (subscriptions.size() >= config.maxSubscriptions()) {
            refuse("too_many_subscriptions", "at most " + config.maxSubscriptions()
                    + " subscriptions per connection; unsubscribe first");
            return;
        }
        String subscriptionId = "sub-" + nextSubscription++;
        subscriptions.add(new Entry(subscriptionId, filter));
        publishFilters();
        sendSystem(system("subscribed")
                .put("subscription_id", subscriptionId)
                .put("filter", filter.toJson())
                .put("subscriptions", subscriptions.size()));
    }

    private void unsubscribe(Unsubscribe request) {
        int before = subscriptions.size();
        if (request.subscriptionId() != null) {
            subscriptions.removeIf(e -> e.id().equals(request.subscriptionId()));
        } else {
            subscriptions.removeIf(e -> e.filter().selectedBy(request.filter()));
        }
        publishFilters();
        sendSystem(system("unsubscribed")
                .put("removed", before - subscriptions.size())
                .put("subscriptions", subscriptions.size()));
    }

    /** Hands the feed thread a new snapshot of the filters and re-indexes the connection under them. */
    private void publishFilters() {
        List<Subscription> now = subscriptions.stream().map(Entry::filter).toList();
        SubscriberIndex.Keys keys = SubscriberIndex.Keys.of(now);
        filters = now; // before the index lists it, so a listed connection always has its filters
        registry.reindex(this, indexKeys, keys);
        indexKeys = keys;
    }

    /** What the connection is indexed under (event loop). */
    SubscriberIndex.Keys indexKeys() {
        return indexKeys;
    }

    /** Answers a refused frame with an error frame; too many refusals close the connection. */
    private void refuse(String reason, String message) {
        metrics.clientFrameRejected(reason);
        strikes++;
        sendSystem(system("error").put("message", message));
        if (strikes >= config.maxStrikes()) {
            log.info("Closing connection {} of collection {} after {} refused frames (last: {})", id, collectionId,
                    strikes, message);
            close(CloseCodes.POLICY_VIOLATION, "too many refused frames; last: " + message, "abuse");
        }
    }

    private static JsonObject system(String type) {
        return new JsonObject().put("channel", "system").put("type", type);
    }

    /** Replies to the client; small and rare, so outside the delivery byte bound. */
    private void sendSystem(JsonObject frame) {
        ws.writeTextMessage(frame.encode());
    }

    /** Event loop: starts the closing handshake with {@code code}; {@code tag} says why in the metrics. */
    void close(short code, String reason, String tag) {
        if (closing || closed) {
            return;
        }
        closing = true;
        closeTag = tag;
        metrics.closed(tag);
        ws.close(code, truncate(reason));
        // Vert.x waits for the peer's close frame only once ours is written; a peer that stopped
        // reading never lets it through, so after a grace period the TCP connection is cut.
        long grace = Math.min(config.slowClientTimeout().toMillis(), MAX_CLOSE_GRACE_MILLIS);
        shard.timer(grace, () -> {
            if (!closed) {
                log.debug("Connection {} did not complete the closing handshake; aborting it", id);
                abort.run();
            }
        });
    }

    private void handleClosed() {
        if (closed) {
            return;
        }
        closed = true;
        closing = true;
        shard.remove(this);
        registry.unregister(this);
        if (closeTag == null) {
            metrics.closed("client");
        }
        if (dropped.get() > 0) {
            log.debug("Connection {} closed; {} frames had been dropped", id, dropped.get());
        }
    }

    static String truncate(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) {
            return reason;
        }
        // Cut on a character boundary so the close frame stays valid UTF-8.
        int end = reason.length();
        while (reason.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES - 3) {
            end--;
        }
        if (end > 0 && Character.isHighSurrogate(reason.charAt(end - 1))) {
            end--;
        }
        return reason.substring(0, end) + "...";
    }
}
