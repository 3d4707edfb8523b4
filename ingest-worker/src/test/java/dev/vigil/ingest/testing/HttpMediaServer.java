package dev.vigil.ingest.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Vert.x server on a free port serving media for the tests: the files of a folder under
 * {@code /media/}, live HLS playlists under {@code /live/<name>.m3u8} whose segments the test appends
 * one by one, plain text and 404s for the bad-input cases.
 */
public final class HttpMediaServer implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final Map<String, List<String>> liveSegments = new HashMap<>();

    public HttpMediaServer(Path mediaDir) throws Exception {
        Router router = Router.router(vertx);
        router.get("/live/:name.m3u8").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/vnd.apple.mpegurl")
                .putHeader("Cache-Control", "no-cache")
                .end(playlist(ctx.pathParam("name"))));
        router.get("/text").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain")
                .end("this is not media\n".repeat(200)));
        router.route("/media/*").handler(StaticHandler.create(FileSystemAccess.ROOT, mediaDir.toAbsolutePath().toString())
                .setCachingEnabled(false));
        router.route("/live/*").handler(StaticHandler.create(FileSystemAccess.ROOT, mediaDir.toAbsolutePath().toString())
                .setCachingEnabled(false));
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    /** Adds a segment (a file of the media folder) to the live playlist {@code /live/<name>.m3u8}. */
    public synchronized void appendLiveSegment(String name, String fileName) {
        liveSegments.computeIfAbsent(name, n -> new ArrayList<>()).add(fileName);
    }

    /** A live playlist: no end marker, so a player waits for more segments. */
    private synchronized String playlist(String name) {
        StringBuilder s = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:0\n");
        for (String segment : liveSegments.getOrDefault(name, List.of())) {
            s.append("#EXTINF:1.000000,\n").append(segment).append('\n');
        }
        return s.toString();
    }

    @Override
    public void close() {
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Vert.x did not close", e);
        }
    }
}
