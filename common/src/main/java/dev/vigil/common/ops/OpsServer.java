package dev.vigil.common.ops;

import dev.vigil.common.lifecycle.Service;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A small HTTP server for a process that has no other: {@link OpsRoutes} plus whatever routes the
 * caller adds ({@link #apiOnly}: the caller's routes alone, when the ops routes have their own port).
 * Built by {@link HttpEdge} (idle timeout, JSON answers for undecodable requests). {@link #start()}
 * returns once the server listens; port 0 picks a free port, see {@link #port()}.
 */
public final class OpsServer implements Service {

    private static final long TIMEOUT_SECONDS = 30;

    private final Vertx vertx;
    private final String host;
    private final int requestedPort;
    private final OpsRoutes routes;
    private final Consumer<Router> extraRoutes;
    private final Duration idleTimeout;
    private final String name;
    private HttpServer server;

    public OpsServer(Vertx vertx, String host, int port, Supplier<Map<String, Boolean>> readiness,
            PrometheusMeterRegistry registry) {
        this(vertx, host, port, readiness, registry, router -> { });
    }

    public OpsServer(Vertx vertx, String host, int port, Supplier<Map<String, Boolean>> readiness,
            PrometheusMeterRegistry registry, Consumer<Router> extraRoutes) {
        this(vertx, host, port, readiness, Map::of, registry, extraRoutes);
    }

    /** {@code liveness}: what {@code /healthy} answers, e.g. {@code ServiceGroup::liveness}. */
    public OpsServer(Vertx vertx, String host, int port, Supplier<Map<String, Boolean>> readiness,
            Supplier<Map<String, Boolean>> liveness, PrometheusMeterRegistry registry, Consumer<Router> extraRoutes) {
        this(vertx, host, port, readiness, liveness, registry, extraRoutes, HttpEdge.IDLE_TIMEOUT.defaultValue().orElseThrow());
    }

    /** {@code idleTimeout}: {@link HttpEdge#IDLE_TIMEOUT}. */
    public OpsServer(Vertx vertx, String host, int port, Supplier<Map<String, Boolean>> readiness,
            PrometheusMeterRegistry registry, Consumer<Router> extraRoutes, Duration idleTimeout) {
        this(vertx, host, port, readiness, Map::of, registry, extraRoutes, idleTimeout);
    }

    public OpsServer(Vertx vertx, String host, int port, Supplier<Map<String, Boolean>> readiness,
            Supplier<Map<String, Boolean>> liveness, PrometheusMeterRegistry registry, Consumer<Router> extraRoutes,
            Duration idleTimeout) {
        this("http", vertx, host, port, new OpsRoutes(readiness, liveness, registry), extraRoutes, idleTimeout);
    }

    private OpsServer(String name, Vertx vertx, String host, int port, OpsRoutes routes, Consumer<Router> extraRoutes,
            Duration idleTimeout) {
        this.name = name;
        this.vertx = vertx;
        this.host = host;
        this.requestedPort = port;
        this.routes = routes;
        this.extraRoutes = extraRoutes;
        this.idleTimeout = idleTimeout;
    }

    /** A server of {@code routes} alone, without the ops endpoints (they are on their own port). */
    public static OpsServer apiOnly(Vertx vertx, String host, int port, Consumer<Router> routes, Duration idleTimeout) {
        return new OpsServer("http", vertx, host, port, null, routes, idleTimeout);
    }

    /** The ops endpoints alone, on their own port; named {@code ops-http}. */
    public static OpsServer opsOnly(Vertx vertx, String host, int port, Supplier<Map<String, Boolean>> readiness,
            PrometheusMeterRegistry registry, Duration idleTimeout) {
        return opsOnly(vertx, host, port, readiness, Map::of, registry, idleTimeout);
    }

    /** The ops endpoints alone, with {@code liveness} behind {@code /healthy}; named {@code ops-http}. */
    public static OpsServer opsOnly(Vertx vertx, String host, int port, Supplier<Map<String, Boolean>> readiness,
            Supplier<Map<String, Boolean>> liveness, PrometheusMeterRegistry registry, Duration idleTimeout) {
        return new OpsServer("ops-http", vertx, host, port, new OpsRoutes(readiness, liveness, registry), router -> { },
                idleTimeout);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start() throws Exception {
        Router router = Router.router(vertx);
        if (routes != null) {
            routes.mount(router);
        }
        extraRoutes.accept(router);
        server = HttpEdge.createServer(vertx, idleTimeout)
                .requestHandler(router)
                .listen(requestedPort, host)
                .await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** The port the server listens on. */
    public int port() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server.actualPort();
    }

    @Override
    public boolean isReady() {
        return server != null;
    }

    @Override
    public void close() {
        if (server != null) {
            try {
                server.close().await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("cannot close HTTP server", e);
            } finally {
                server = null;
            }
        }
    }
}
