package dev.vigil.api.http;

import dev.vigil.api.quota.TokenBucket;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Authenticates VideoDB-style requests: header {@code x-access-token} carries an API key, each key
 * bound to one collection. A missing or unknown key is a 401. Each key then takes a token from its
 * own bucket ({@code VIGIL_QUOTA_REQUESTS_PER_SECOND}); an empty bucket is a 429 with Retry-After.
 * Both checks use only the request headers: runs before any body is read.
 */
public final class ApiKeyAuth implements Handler<RoutingContext> {

    public static final String HEADER = "x-access-token";

    private final Map<String, Tenant> tenantsByKey;
    private final Map<String, TokenBucket> ratesByKey;
    private final int requestsPerSecond;

    /** {@code requestsPerSecond}: per key, bursts up to the same number. */
    public ApiKeyAuth(Map<String, String> collectionByKey, int requestsPerSecond, LongSupplier nanoTime) {
        this.tenantsByKey = collectionByKey.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> new Tenant(e.getValue())));
        this.requestsPerSecond = requestsPerSecond;
        this.ratesByKey = collectionByKey.keySet().stream()
                .collect(Collectors.toUnmodifiableMap(k -> k,
                        k -> new TokenBucket(requestsPerSecond, TimeUnit.SECONDS.toNanos(1), nanoTime)));
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
        TokenBucket rate = ratesByKey.get(key.trim());
        long waitNanos = rate == null ? 0 : rate.tryTake();
        if (waitNanos > 0) {
            ctx.fail(ApiError.tooManyRequests("rate_limited", "rate limit exceeded: this API key may make "
                    + requestsPerSecond + " requests per second (VIGIL_QUOTA_REQUESTS_PER_SECOND); retry after the "
                    + "Retry-After header's seconds", Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos))));
            return;
        }
        ctx.put(Tenant.CONTEXT_KEY, tenant);
        ctx.next();
    }
}
