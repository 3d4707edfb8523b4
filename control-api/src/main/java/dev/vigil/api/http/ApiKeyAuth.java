package dev.vigil.api.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * Authenticates VideoDB-style requests: header {@code x-access-token} carries an API key, each key
 * bound to one collection. A missing or unknown key is a 401.
 */
public final class ApiKeyAuth implements Handler<RoutingContext> {

    public static final String HEADER = "x-access-token";

    private final Map<String, Tenant> tenantsByKey;

    public ApiKeyAuth(Map<String, String> collectionByKey) {
        this.tenantsByKey = collectionByKey.entrySet().stream()
                .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> new Tenant(e.getValue())));
    }

    @Override
    public void handle(RoutingContext ctx) {
        String key = ctx.request().getHeader(HEADER);
        if (key == null || key.isBlank()) {
            ctx.fail(new ApiError(401, "unauthorized", "missing API key: send it in the x-access-token header"));
            return;
        }
        Tenant tenant = tenantsByKey.get(key.trim());
        if (tenant == null) {
            ctx.fail(new ApiError(401, "unauthorized", "unknown API key"));
            return;
        }
        ctx.put(Tenant.CONTEXT_KEY, tenant);
        ctx.next();
    }
}
