package dev.vigil.api.http;

import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** Query parameters read the same way by every resource: first value, length-bounded, 400 when malformed. */
public final class QueryParams {

    /** Longer values are refused: no query parameter of the API needs more. */
    public static final int MAX_LENGTH = 200;

    private QueryParams() {
    }

    /** The first value of {@code name}, or null when absent or empty. */
    public static String string(RoutingContext ctx, String name) {
        List<String> values = ctx.queryParam(name);
        if (values.isEmpty() || values.get(0).isEmpty()) {
            return null;
        }
        String value = values.get(0);
        if (value.length() > MAX_LENGTH) {
            throw ApiError.badRequest("query parameter '" + name + "' is too long");
        }
        return value;
    }

    /** A whole number within [min, max], {@code dflt} when absent. */
    public static long wholeNumber(RoutingContext ctx, String name, long dflt, long min, long max) {
        String raw = string(ctx, name);
        if (raw == null) {
            return dflt;
        }
        try {
            long v = Long.parseLong(raw.trim());
            if (v < min || v > max) {
                throw ApiError.badRequest("query parameter '" + name + "' must be between " + min + " and " + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("query parameter '" + name + "' must be a whole number");
        }
    }

    /** {@link #wholeNumber} for int ranges. */
    public static int integer(RoutingContext ctx, String name, int dflt, int min, int max) {
        return (int) wholeNumber(ctx, name, dflt, min, max);
    }
}
