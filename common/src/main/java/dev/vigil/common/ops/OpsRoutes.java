package dev.vigil.common.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The operations endpoints every Vigil process serves: {@code GET /healthy} (the process is alive:
 * 503 with the parts that are beyond repair, e.g. a reader loop past its restart budget, so the
 * orchestrator restarts it), {@code GET /ready} (every part is up; 503 with the parts that are not)
 * and {@code GET /metrics}
 * (Prometheus text format). Mounted on a service's own router, or served alone by {@link OpsServer}.
 */
public final class OpsRoutes {

    static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Supplier<Map<String, Boolean>> readiness;
    private final Supplier<Map<String, Boolean>> liveness;
    private final PrometheusMeterRegistry registry;

    /** {@code readiness}: readiness by part name; ready when non-empty and all true. Always alive. */
    public OpsRoutes(Supplier<Map<String, Boolean>> readiness, PrometheusMeterRegistry registry) {
        this(readiness, Map::of, registry);
    }

    /** {@code liveness}: liveness by part name; alive when all true (or none reported). */
    public OpsRoutes(Supplier<Map<String, Boolean>> readiness, Supplier<Map<String, Boolean>> liveness,
            PrometheusMeterRegistry registry) {
        this.readiness = readiness;
        this.liveness = liveness;
        this.registry = registry;
    }

    public void mount(Router router) {
        router.get("/healthy").handler(this::handleHealthy);
        router.get("/ready").handler(this::handleReady);
        router.get("/metrics").handler(this::handleMetrics);
    }

    private void handleHealthy(RoutingContext ctx) {
        Map<String, Boolean> parts = liveness.get();
        boolean alive = parts.values().stream().allMatch(Boolean::booleanValue);
        JsonObject body = new JsonObject().put("status", alive ? "UP" : "DOWN");
        if (!alive) {
            JsonObject dead = new JsonObject();
            parts.forEach((part, up) -> {
                if (!up) {
                    dead.put(part, false);
                }
            });
            body.put("services", dead);
        }
        ctx.response().setStatusCode(alive ? 200 : 503).putHeader("Content-Type", "application/json").end(body.encode());
    }

    private void handleReady(RoutingContext ctx) {
        Map<String, Boolean> parts = readiness.get();
        boolean ready = !parts.isEmpty() && parts.values().stream().allMatch(Boolean::booleanValue);
        JsonObject body = new JsonObject().put("status", ready ? "READY" : "NOT_READY");
        JsonObject details = new JsonObject();
        parts.forEach(details::put);
        body.put("services", details);
        ctx.response().setStatusCode(ready ? 200 : 503).putHeader("Content-Type", "application/json").end(body.encode());
    }

    private void handleMetrics(RoutingContext ctx) {
        // Scraping walks every meter; keep it off the event loop.
        ctx.vertx().executeBlocking(registry::scrape, false)
                .onSuccess(text -> ctx.response().putHeader("Content-Type", PROMETHEUS_CONTENT_TYPE).end(text))
                .onFailure(ctx::fail);
    }
}
