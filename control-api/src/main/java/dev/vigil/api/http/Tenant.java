package dev.vigil.api.http;

import io.vertx.ext.web.RoutingContext;

/** The caller, as identified by its API key: one collection, the tenant boundary. */
public record Tenant(String collectionId) {

    static final String CONTEXT_KEY = "vigil.tenant";

    /** The tenant of an authenticated request. */
    public static Tenant of(RoutingContext ctx) {
        Tenant tenant = ctx.get(CONTEXT_KEY);
        if (tenant == null) {
            throw new IllegalStateException("route is not behind ApiKeyAuth");
        }
        return tenant;
    }

    /** Whether {@code collectionId} names this tenant's collection ({@code default} is an alias for it). */
    public boolean owns(String collectionId) {
        return this.collectionId.equals(collectionId);
    }

    /** Resolves a collection id from a path or body: the tenant's own id or {@code default}. */
    public boolean addresses(String collectionId) {
        return owns(collectionId) || "default".equals(collectionId);
    }
}
