package dev.vigil.api.resources;

import dev.vigil.api.frames.LatestFrames;
import dev.vigil.api.http.ApiError;
import dev.vigil.schemas.control.RtStreamSpec;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /rtstream/{id}/frame} (extension): the stream's newest sampled frame as {@code image/jpeg},
 * for the dashboard; 404 with the usual envelope when the stream is unknown, another tenant's, or has
 * sent no frame since this control-api started.
 */
public final class FrameResource {

    private final ApiContext api;
    private final LatestFrames frames;

    /** {@code frames}: null when this instance reads no frames (the route then answers 503). */
    public FrameResource(ApiContext api, LatestFrames frames) {
        this.api = api;
        this.frames = frames;
    }

    public void mount(Router router) {
        router.get("/rtstream/:rid/frame").handler(ctx -> ApiContext.guarded(ctx, this::handleFrame));
    }

    private void handleFrame(RoutingContext ctx) {
        RtStreamSpec stream = StreamResource.ownedStream(api, ctx);
        if (frames == null) {
            throw new ApiError(503, "unavailable", "live frames are off on this instance (VIGIL_API_LATEST_FRAMES=false)");
        }
        LatestFrames.Frame frame = frames.latest(stream.getId())
                .orElseThrow(() -> ApiError.notFound("frame of rtstream", stream.getId()));
        ctx.response()
                .putHeader("Content-Type", "image/jpeg")
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Vigil-Capture-Ts", Long.toString(frame.captureTs().toEpochMilli()))
                .end(Buffer.buffer(frame.jpeg()));
    }
}
