package dev.vigil.api.dashboard;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The live dashboard at {@code /}: three static files (HTML, JS, CSS) from the jar, read once and
 * served from memory — no front-end build and no file-system cache, so it works on a read-only root
 * file system. The page itself holds no data; it calls the public REST API and the WebSocket with the
 * user's API key, so it needs no authentication of its own.
 */
public final class Dashboard {

    /**
     * Scripts and styles only from this server (hls.js included, bundled in the jar); frames arrive as blob: URLs,
     * the live feed over ws(s); clips play through hls.js (Media Source: blob: media) from this server or a store's
     * presigned https URLs.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' blob:; "
            + "media-src 'self' blob:; connect-src 'self' ws: wss: https:; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'";

    /** The paths the dashboard serves (GET only). */
    public static final java.util.List<String> PATHS = java.util.List.of("/", "/dashboard/app.js", "/dashboard/style.css");

    private Dashboard() {
    }

    public static void mount(Router router) {
        serve(router, "/", "index.html", "text/html; charset=utf-8");
        serve(router, "/dashboard/app.js", "app.js", "text/javascript; charset=utf-8");
        serve(router, "/dashboard/style.css", "style.css", "text/css; charset=utf-8");
    }

    private static void serve(Router router, String path, String file, String contentType) {
        Buffer content = read(file);
        router.get(path).handler(ctx -> {
            // The router matches the normalised path: /collection/%2e%2e is "/" to it, but is no request for the page.
            if (!path.equals(ctx.request().path())) {
                ctx.next();
                return;
            }
            ctx.response()
                .putHeader("Content-Type", contentType)
                .putHeader("Cache-Control", "no-cache")
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .end(content);
        });
    }

    private static Buffer read(String file) {
        try (InputStream in = Dashboard.class.getResourceAsStream("/dashboard/" + file)) {
            if (in == null) {
                throw new IllegalStateException("dashboard/" + file + " missing from the control-api jar");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
