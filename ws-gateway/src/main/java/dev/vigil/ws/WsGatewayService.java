package dev.vigil.ws;

import dev.vigil.common.auth.SingleUseGuard;
import dev.vigil.common.auth.WsTickets;
import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.common.lifecycle.Service;
import dev.vigil.ws.control.ControlDirectory;
import dev.vigil.ws.feed.DataFeed;
import dev.vigil.ws.feed.DeliveryEncoder;
import dev.vigil.ws.http.UpgradeHandler;
import dev.vigil.ws.metrics.GatewayMetrics;
import dev.vigil.ws.session.CloseCodes;
import dev.vigil.ws.session.ConnectionRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket gateway as one {@link Service}: the control directory (who gets what, from the
 * compacted {@code indexes} and {@code rtstreams} topics), the data feed (index records and alerts
 * from the latest offset), the connections, and the {@code /ws} upgrade handler.
 *
 * <p>It does not own an HTTP server, so it serves both shapes: {@link #mount(Router)} adds
 * {@code GET /ws} to a router (the standalone launcher's single port next to the REST API, or
 * {@link Main}'s {@code OpsServer}); {@link #requestHandler()} serves a bare {@code HttpServer}.
 * Either may be attached before {@link #start()}: until then {@code /ws} answers 503.
 *
 * <p>Reads: {@code indexes}, {@code rtstreams}, {@code index.transcript}, {@code index.scene},
 * {@code index.audio}, {@code alerts.fired}. Writes: nothing.
 */
public final class WsGatewayService implements Service {

    /** The path of the WebSocket endpoint (control-api's websocket_url points here). */
    public static final String PATH = "/ws";

    private static final Logger log = LoggerFactory.getLogger(WsGatewayService.class);
    private static final long CLOSE_WAIT_SECONDS = 5;

    private final Vertx vertx;
    private final CommonConfig common;
    private final GatewayMetrics metrics;
    private final ConnectionRegistry connections;
    private final UpgradeHandler upgrades;
    private final List<Service> started = new ArrayList<>();
    private volatile boolean accepting;
    private ControlDirectory directory;
    private DataFeed feed;

    /**
     * @param ticketSecret the secret control-api signs WebSocket tickets with (copied)
     * @param registry where the {@code vigil_ws_gateway_…} meters are registered
     */
    public WsGatewayService(Vertx vertx, CommonConfig common, WsGatewayConfig config, byte[] ticketSecret,
            PrometheusMeterRegistry registry) {
        this.vertx = vertx;
        this.common = common;
        this.metrics = new GatewayMetrics(registry, this::connections);
        this.connections = new ConnectionRegistry(vertx, config, metrics);
        Clock clock = Clock.systemUTC();
        // The TTL only matters for issuing; verification reads each ticket's own expiry.
        WsTickets tickets = new WsTickets(ticketSecret, WsTickets.MAX_TTL, clock);
        this.upgrades = new UpgradeHandler(tickets, new SingleUseGuard(config.ticketGuardSize(), clock), connections,
                metrics, () -> accepting);
    }

    @Override
    public String name() {
        return "ws-gateway";
    }

    /** Loads the control directory, positions the feed at the end of the data topics, then accepts upgrades. */
    @Override
    public void start() throws Exception {
        KafkaClients clients = new KafkaClients(common);
        directory = startPart(new ControlDirectory(clients.reader("vigil-ws-gateway-control"),
                common.topicPrefix()));
        feed = startPart(new DataFeed(clients.reader("vigil-ws-gateway-feed"), common.topicPrefix(),
                new DeliveryEncoder(directory), connections, metrics));
        accepting = true;
        log.info("WebSocket gateway accepting connections on {}", PATH);
    }

    private <S extends Service> S startPart(S part) throws Exception {
        try {
            part.start();
        } catch (Exception | Error e) {
            part.close();
            close();
            throw e;
        }
        started.add(0, part);
        return part;
    }

    /**
     * Adds {@code GET /ws} to {@code router}. It may share a router with the REST API: a body handler
     * on every route (as control-api installs) does not get in the way of the upgrade (tested).
     */
    public void mount(Router router) {
        router.get(PATH).handler(ctx -> upgrades.handle(ctx.request()));
    }

    /** A request handler for a bare HTTP server: {@code /ws}, and 404 for any other path. */
    public Handler<HttpServerRequest> requestHandler() {
        return request -> {
            if (PATH.equals(request.path())) {
                upgrades.handle(request);
            } else {
                request.response().setStatusCode(404).end();
            }
        };
    }

    /** Open connections (and upgrades in progress) on this instance. */
    public int connections() {
        return connections.connections();
    }

    /** Who gets what, as this instance knows it (tests wait on it before writing records). */
    public ControlDirectory directory() {
        return directory;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    @Override
    public boolean isReady() {
        return accepting && !started.isEmpty() && started.stream().allMatch(Service::isReady);
    }

    /** False once a reader spent its restart budget: routing or delivery is frozen for good. */
    @Override
    public boolean isAlive() {
        return started.stream().allMatch(Service::isAlive);
    }

    /** Refuses new upgrades, closes every connection with 1001, then stops the Kafka readers. */
    @Override
    public void close() {
        boolean wasAccepting = accepting;
        accepting = false;
        if (wasAccepting) {
            var closing = connections.closeAll(CloseCodes.GOING_AWAY, "server shutting down");
            // Waiting on an event loop would deadlock the closes it waits for.
            if (!Context.isOnEventLoopThread()) {
                try {
                    closing.await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (Exception e) {
                    log.warn("Not every WebSocket connection was closed within {} s", CLOSE_WAIT_SECONDS, e);
                }
            }
        }
        for (Service part : started) {
            try {
                part.close();
            } catch (RuntimeException e) {
                log.warn("{} did not close cleanly", part.name(), e);
            }
        }
        started.clear();
    }
}
