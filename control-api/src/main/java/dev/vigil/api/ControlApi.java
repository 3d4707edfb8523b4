package dev.vigil.api;

import dev.vigil.api.dashboard.Dashboard;
import dev.vigil.api.deliveries.DeliveryLog;
import dev.vigil.api.deliveries.DeliveryResource;
import dev.vigil.api.deliveries.ReplayWriter;
import dev.vigil.api.frames.LatestFrames;
import dev.vigil.api.http.ApiKeyAuth;
import dev.vigil.api.playback.FrameLookup;
import dev.vigil.api.playback.PlaybackResource;
import dev.vigil.api.playback.SegmentIndex;
import dev.vigil.common.auth.WsTickets;
import dev.vigil.common.playback.PlaybackLinks;
import dev.vigil.common.secrets.SecretKeys;
import dev.vigil.common.secrets.SignedUrls;
import dev.vigil.common.storage.SegmentStore;
import dev.vigil.api.records.RecordsResource;
import dev.vigil.api.records.RecordsStore;
import dev.vigil.api.http.Envelope;
import dev.vigil.api.http.FailureHandler;
import dev.vigil.api.http.JsonBodyGate;
import dev.vigil.api.resources.AlertResource;
import dev.vigil.api.resources.ApiContext;
import dev.vigil.api.resources.CollectionResource;
import dev.vigil.api.resources.EventResource;
import dev.vigil.api.resources.FrameResource;
import dev.vigil.api.resources.IndexResource;
import dev.vigil.api.resources.StreamResource;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

/**
 * The control API's router (docs/videodb-wire.md): VideoDB-compatible paths and envelope, API-key auth, body
 * limit, one failure handler for every error. A factory, so {@code standalone} can mount it next to
 * the other services on one port and tests can drive it without a {@code main}.
 */
public final class ControlApi {

    /** Paths that need no API key. */
    static final Set<String> PUBLIC_PATHS = Set.of("/openapi.json", "/healthy", "/ready", "/metrics");

    /** Path patterns of the authenticated API; the only requests whose body is read. */
    private static final List<String> API_PREFIXES = List.of("/collection", "/collection/*", "/rtstream", "/rtstream/*");

    private ControlApi() {
    }

    /**
     * The parts behind the API's extension routes; a null part leaves its routes in place, answering
     * 503 (the API document test mounts the router without any).
     */
    public record Parts(RecordsStore records, DeliveryLog deliveries, ReplayWriter replays, LatestFrames frames,
            SegmentIndex segments, SegmentStore store, PlaybackLinks links, FrameLookup frameLookup) {
        public static final Parts NONE = new Parts(null, null, null, null, null, null, null, null);
    }

    /** Mounts the API without its Kafka-fed parts, for the API document test. */
    public static void mount(Router router, Vertx vertx, ApiContext api) {
        mount(router, vertx, api, Parts.NONE);
    }

    /** Mounts the API on {@code router}; the caller adds ops routes (/healthy, /ready, /metrics). */
    public static void mount(Router router, Vertx vertx, ApiContext api, Parts parts) {
        Buffer openApi = openApiDocument();
        FailureHandler failures = new FailureHandler(api.config().maxBodyBytes());
        router.route().failureHandler(failures);
        // Unmatched paths and methods get the same JSON envelope as every other error.
        router.errorHandler(404, ctx -> Envelope.error(ctx, 404, "not_found", "no such endpoint"));
        router.errorHandler(405, ctx -> Envelope.error(ctx, 405, "method_not_allowed", "method not allowed on this path"));
        // The router itself fails with 400, before any route and its failure handler, when the path cannot
        // be decoded (bad percent-escapes such as %ZZ or a lone %).
        router.errorHandler(400, ctx -> Envelope.error(ctx, 400, "invalid_request",
                "malformed request path or query: check its percent-encoding"));
        router.get("/openapi.json").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/json").end(openApi));
        // Order matters: the API key (and its request rate) is checked on the headers, then the body is read —
        // only if it is JSON (415 otherwise) — so nobody unauthenticated gets a body buffered. Paths outside
        // the API never have their body read at all.
        ApiKeyAuth auth = new ApiKeyAuth(api.config().apiKeys(), api.config().quotas().requestsPerSecond(), System::nanoTime);
        JsonBodyGate bodies = new JsonBodyGate(api.config().maxBodyBytes());
        for (String prefix : API_PREFIXES) {
            router.route(prefix).handler(auth);
        }
        for (String prefix : API_PREFIXES) {
            router.route(prefix).handler(bodies);
        }
        new CollectionResource(api).mount(router);
        // Literal /rtstream/event routes before /rtstream/:rid, so 'event' is never taken for an id.
        new EventResource(api).mount(router);
        new StreamResource(api).mount(router);
        new IndexResource(api).mount(router);
        new AlertResource(api).mount(router);
        new DeliveryResource(api, parts.deliveries(), parts.replays()).mount(router);
        new RecordsResource(vertx, api, parts.records()).mount(router);
        new FrameResource(api, parts.frames()).mount(router);
        new PlaybackResource(api, parts.segments(), parts.store(), parts.links() != null ? parts.links()
                : new PlaybackLinks(new SignedUrls(api.config().secretKeys().orElseGet(ControlApi::throwawayKeys), api.clock())),
                parts.frameLookup()).mount(router, auth);
        Dashboard.mount(router);
    }

    /** Keys for a router mounted without VIGIL_SECRETS_KEYS (the API document test): links no one can verify elsewhere. */
    private static SecretKeys throwawayKeys() {
        return SecretKeys.of(List.of("throwaway=" + java.util.HexFormat.of().formatHex(WsTickets.randomSecret())));
    }

    static Buffer openApiDocument() {
        try (InputStream in = ControlApi.class.getResourceAsStream("/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json missing from the control-api jar");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every (method, path) the API serves, in OpenAPI form ({@code /rtstream/{rid}}), for the spec check. */
    public static Set<String> routes(Router router) {
        java.util.Set<String> routes = new java.util.TreeSet<>();
        router.getRoutes().forEach(route -> {
            if (route.getPath() == null || route.methods() == null) {
                return;
            }
            String path = route.getPath().replaceAll(":([A-Za-z]+)", "{$1}");
            for (HttpMethod method : route.methods()) {
                routes.add(method.name().toLowerCase(java.util.Locale.ROOT) + " " + path);
            }
        });
        return routes;
    }
}
