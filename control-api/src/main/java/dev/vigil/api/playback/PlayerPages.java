package dev.vigil.api.playback;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * The player pages behind {@code player_url}: a small HTML page with a {@code <video>} element playing the
 * signed playlist through hls.js (bundled from npm into the jar by {@code scripts/bundle-hlsjs.sh}, served
 * from {@code /play/assets/}) or an exported MP4 natively. The page has no inline script (its CSP forbids
 * it): {@code player.js} reads the source from the video element's {@code data-src}.
 */
final class PlayerPages {

    /** Scripts only from this server; media and playlists from here or a presigned store (https/http). */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "media-src 'self' blob: http: https:; connect-src 'self' http: https:; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'none'";

    private final Map<String, Asset> assets = Map.of(
            "hls.min.js", new Asset("/playback/hls.min.js", "text/javascript; charset=utf-8"),
            "player.js", new Asset("/playback/player.js", "text/javascript; charset=utf-8"));

    private record Asset(String resource, String contentType) {
        Buffer read() {
            try (InputStream in = PlayerPages.class.getResourceAsStream(resource)) {
                return in == null ? null : Buffer.buffer(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final Map<String, Buffer> loaded = new java.util.concurrent.ConcurrentHashMap<>();

    void handleAsset(RoutingContext ctx) {
        Asset asset = assets.get(ctx.pathParam("file"));
        Buffer content = asset == null ? null : loaded.computeIfAbsent(asset.resource(), r -> {
            Buffer b = asset.read();
            return b == null ? Buffer.buffer() : b;
        });
        if (content == null || content.length() == 0) {
            // hls.js is missing when the jar was built without scripts/bundle-hlsjs.sh: players fall back to native HLS.
            ctx.next();
            return;
        }
        ctx.response()
                .putHeader("Content-Type", asset.contentType())
                .putHeader("Cache-Control", "public, max-age=86400")
                .putHeader("X-Content-Type-Options", "nosniff")
                .end(content);
    }

    /** {@code kind}: "hls" (a playlist through hls.js) or "mp4" (a file the browser plays itself). */
    void sendPlayer(RoutingContext ctx, String title, String description, String src, String kind, Instant start) {
        StringBuilder html = new StringBuilder(2048)
                .append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<meta name=\"referrer\" content=\"no-referrer\">")
                .append("<title>").append(escape(title)).append("</title>")
                .append("<style>body{margin:0;background:#111;color:#eee;font:15px system-ui,sans-serif}")
                .append("main{max-width:960px;margin:0 auto;padding:16px}video{width:100%;background:#000}")
                .append("h1{font-size:18px;margin:8px 0}p{color:#bbb;margin:4px 0}</style>")
                .append("</head><body><main>")
                .append("<h1>").append(escape(title)).append("</h1>");
        if (description != null) {
            html.append("<p>").append(escape(description)).append("</p>");
        }
        if (start != null) {
            html.append("<p class=\"when\">Recorded from ").append(escape(start.toString())).append("</p>");
        }
        html.append("<video id=\"player\" controls autoplay muted playsinline data-kind=\"").append(kind)
                .append("\" data-src=\"").append(escape(src)).append("\"></video>")
                .append("<p id=\"status\"></p></main>")
                .append("<script src=\"/play/assets/hls.min.js\"></script>")
                .append("<script src=\"/play/assets/player.js\"></script>")
                .append("</body></html>\n");
        ctx.response()
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "private, no-store")
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .end(html.toString());
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
