package dev.vigil.common.ops;

import dev.vigil.common.lifecycle.Service;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A small HTTP server for a process that has no other: {@link OpsRoutes} plus whatever routes the
 * caller adds. {@link #start()} returns once the server listens; port 0 picks a free port, see
 * {@link #port()}.
 */
public final class OpsServer implements Service {

    private static final long TIMEOUT_SECONDS = 30;

    private final Vertx vertx;
    private final String host;
    private final int requestedPort;
    private final OpsRoutes routes;
    private final Consumer<Router> extraRoutes;
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
        this.vertx = vertx;
        this.host = host;
        this.requestedPort = port;
        this.routes = new OpsRoutes(readiness, liveness, registry);
        this.extraRoutes = extraRoutes;
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public void start() throws Exception {
        Router router = Router.router(vertx);
        routes.mount(router);
        extraRoutes.accept(router);
        server = vertx.createHttpServer()
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
