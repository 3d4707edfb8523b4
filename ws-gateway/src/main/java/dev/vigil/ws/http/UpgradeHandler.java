package dev.vigil.ws.http;

import dev.vigil.common.auth.InvalidTicketException;
import dev.vigil.common.auth.SingleUseGuard;
import dev.vigil.common.auth.WsTickets;
import dev.vigil.common.auth.WsTickets.Ticket;
import dev.vigil.ws.metrics.GatewayMetrics;
import dev.vigil.ws.session.ConnectionRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /ws?ticket=…}: checks everything before the WebSocket handshake, so a refused client
 * gets a plain HTTP answer and never a socket — 426 without an upgrade, 401 for a missing, forged,
 * malformed or expired ticket, 429 over the collection's quota, 503 at the instance's limit, 403 for a ticket already used — then
 * upgrades and hands the socket to the {@link ConnectionRegistry}. A collection over its share of the
 * instance's connections ({@code VIGIL_QUOTA_WS_CONNECTIONS}) gets 429 with Retry-After.
 *
 * <p>Order matters: the ticket is consumed (single use, {@link SingleUseGuard}) only once a slot is
 * reserved, so a client turned away for capacity can retry with the same URL. Errors use VideoDB's
 * envelope ({@code {"success":false,"message","error_code"}}).
 */
public final class UpgradeHandler implements Handler<HttpServerRequest> {

    private static final Logger log = LoggerFactory.getLogger(UpgradeHandler.class);
    /** Retry-After of a connection-quota 429: slots free up only when the tenant's own connections close. */
    static final long QUOTA_RETRY_AFTER_SECONDS = 30;

    private final WsTickets tickets;
    private final SingleUseGuard guard;
    private final ConnectionRegistry connections;
    private final GatewayMetrics metrics;
    private final BooleanSupplier accepting;

    /** {@code accepting}: false before start and after close (answers 503). */
    public UpgradeHandler(WsTickets tickets, SingleUseGuard guard, ConnectionRegistry connections, GatewayMetrics metrics,
            BooleanSupplier accepting) {
        this.tickets = tickets;
        this.guard = guard;
        this.connections = connections;
        this.metrics = metrics;
        this.accepting = accepting;
    }

    @Override
    public void handle(HttpServerRequest request) {
        if (!accepting.getAsBoolean()) {
            reject(request, 503, "not_ready", "the WebSocket gateway is not accepting connections; retry shortly");
            return;
        }
        if (!request.canUpgradeToWebSocket()) {
            request.response().putHeader("Upgrade", "websocket");
            reject(request, 426, "upgrade_required", "this is a WebSocket endpoint: connect with a WebSocket client "
                    + "to the websocket_url from GET /collection/{id}/websocket");
            return;
        }
        String token = request.getParam("ticket");
        Ticket ticket;
        try {
            ticket = tickets.verify(token);
        } catch (InvalidTicketException e) {
            String reason = token == null || token.isEmpty() ? "missing" : e.reason().name().toLowerCase(Locale.ROOT);
            reject(request, 401, "ticket_" + reason, e.getMessage());
            return;
        }
        ConnectionRegistry.Admission admission = connections.tryReserve(ticket.collectionId());
        if (admission == ConnectionRegistry.Admission.COLLECTION_FULL) {
            request.response().putHeader("Retry-After", Long.toString(QUOTA_RETRY_AFTER_SECONDS));
            reject(request, 429, "quota_exceeded", "quota exceeded: collection '" + ticket.collectionId()
                    + "' holds its limit of WebSocket connections on this gateway instance (VIGIL_QUOTA_WS_CONNECTIONS); "
                    + "close one or ask the operator to raise VIGIL_QUOTA_WS_CONNECTIONS");
            return;
        }
        if (admission == ConnectionRegistry.Admission.INSTANCE_FULL) {
            reject(request, 503, "too_many_connections", "this gateway instance is at its connection limit; retry later");
            return;
        }
        if (!guard.tryConsume(ticket)) {
            connections.release(ticket.collectionId());
            reject(request, 403, "ticket_reused",
                    "ticket was already used (tickets are single-use) or has just expired; request a new websocket_url");
            return;
        }
        request.toWebSocket().onComplete(upgrade -> {
            if (upgrade.failed()) {
                connections.release(ticket.collectionId());
                metrics.upgradeRejected("handshake_failed");
                log.debug("WebSocket handshake failed: {}", upgrade.cause().toString());
                return;
            }
            try {
                connections.adopt(upgrade.result(), abortFor(request, upgrade.result()), ticket.collectionId());
            } catch (RuntimeException e) {
                connections.release(ticket.collectionId());
                log.error("Could not adopt a WebSocket of collection {}", ticket.collectionId(), e);
                upgrade.result().close();
            }
        });
    }

    /**
     * How to cut the TCP connection under {@code ws} without a closing handshake, for a peer that
     * stopped reading. Vert.x has no public API for it: {@code close()}, and even a plain channel
     * close, go through Vert.x's graceful shutdown, which waits until the close frame is written —
     * never, when the peer does not read. Closing from the transport end of the pipeline skips that.
     *
     * <p>The channel comes from {@link WebSocketInternal} (Vert.x's API for integrators) for a socket
     * upgraded on a bare server; behind a vertx-web router the socket is wrapped, and the request's
     * HTTP connection (the same TCP connection) gives it instead.
     */
    static Runnable abortFor(HttpServerRequest request, ServerWebSocket ws) {
        Channel channel = null;
        if (ws instanceof WebSocketInternal internal) {
            channel = internal.channelHandlerContext().channel();
        } else if (request.connection() instanceof ConnectionBase base) {
            channel = base.channel();
        }
        if (channel == null) {
            return () -> log.warn("Cannot abort a {}; the connection stays open until its peer reads or leaves",
                    ws.getClass().getName());
        }
        Channel tcp = channel;
        return () -> {
            ChannelHandlerContext first = tcp.pipeline().firstContext();
            if (first != null) {
                first.close();
            }
        };
    }

    private void reject(HttpServerRequest request, int status, String code, String message) {
        metrics.upgradeRejected(code);
        log.debug("Refused WebSocket upgrade from {}: {} {}", request.remoteAddress(), status, code);
        request.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("success", false).put("message", message).put("error_code", code).encode());
    }
}
