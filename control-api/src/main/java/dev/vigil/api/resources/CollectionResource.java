package dev.vigil.api.resources;

import dev.vigil.api.http.ApiError;
import dev.vigil.api.http.Envelope;
import dev.vigil.api.http.Tenant;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.time.Instant;

/**
 * {@code GET /collection}, {@code GET /collection/{cid}} and {@code GET /collection/{cid}/websocket}.
 * A tenant owns one collection; {@code default} is an alias for it (VideoDB's SDK asks for
 * {@code default} and then uses the id it gets back).
 */
public final class CollectionResource {

    private final ApiContext api;

    public CollectionResource(ApiContext api) {
        this.api = api;
    }

    public void mount(Router router) {
        router.get("/collection").handler(this::handleList);
        router.get("/collection/:cid").handler(ctx -> ApiContext.guarded(ctx, this::handleGet));
        router.get("/collection/:cid/websocket").handler(ctx -> ApiContext.guarded(ctx, this::handleWebsocket));
    }

    private static JsonObject collection(Tenant tenant) {
        return new JsonObject()
                .put("id", tenant.collectionId())
                .put("name", tenant.collectionId())
                .put("description", "Vigil collection " + tenant.collectionId())
                .put("is_public", false);
    }

    private void handleList(RoutingContext ctx) {
        Envelope.ok(ctx, new JsonObject().put("collections", new JsonArray().add(collection(api.tenant(ctx)))));
    }

    private void handleGet(RoutingContext ctx) {
        Envelope.ok(ctx, collection(owned(ctx)));
    }

    private Tenant owned(RoutingContext ctx) {
        Tenant tenant = api.tenant(ctx);
        String cid = ctx.pathParam("cid");
        if (!tenant.addresses(cid)) {
            throw ApiError.notFound("collection", cid);
        }
        return tenant;
    }

    /** A {@code ws://…/ws?ticket=…} URL with a short-lived, single-use ticket for this collection. */
    private void handleWebsocket(RoutingContext ctx) {
        Tenant tenant = owned(ctx);
        api.quotas().takeTicket(tenant.collectionId());
        String ticket = api.tickets().issue(tenant.collectionId());
        URI base = api.config().wsPublicUrl().orElseGet(() -> fromRequest(ctx));
        String separator = base.getRawQuery() == null ? "?" : "&";
        Instant expires = api.clock().instant().plus(api.config().wsTicketTtl());
        Envelope.ok(ctx, new JsonObject()
                .put("websocket_url", base + separator + "ticket=" + ticket)
                .put("collection_id", tenant.collectionId())
                .put("expires_at", expires.toString()));
    }

    /** ws(s)://host/ws from the Host header the client used (and a proxy's X-Forwarded-Proto). */
    private static URI fromRequest(RoutingContext ctx) {
        String host = ctx.request().authority() == null ? "localhost" : ctx.request().authority().toString();
        String forwardedProto = ctx.request().getHeader("X-Forwarded-Proto");
        boolean secure = ctx.request().isSSL() || "https".equalsIgnoreCase(forwardedProto);
        try {
            return URI.create((secure ? "wss://" : "ws://") + host + "/ws");
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("cannot build a WebSocket URL from Host header '" + host + "'");
        }
    }
}
