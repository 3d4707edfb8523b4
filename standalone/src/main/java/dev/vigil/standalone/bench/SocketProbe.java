package dev.vigil.standalone.bench;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A WebSocket client of the gateway, as a user's would be: hands every frame, with the wall-clock
 * time it arrived, to a listener, and knows its connection id from the first frame.
 */
public final class SocketProbe implements AutoCloseable {

    private final WebSocket socket;
    private final CompletableFuture<String> connectionId;

    private SocketProbe(WebSocket socket, CompletableFuture<String> connectionId) {
        this.socket = socket;
        this.connectionId = connectionId;
    }

    public static SocketProbe connect(HttpClient http, String url, BiConsumer<JsonObject, Long> onFrame) throws Exception {
        CompletableFuture<String> id = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    long now = System.currentTimeMillis();
                    JsonObject frame = new JsonObject(text.toString());
                    text.setLength(0);
                    if ("connected".equals(frame.getString("type"))) {
                        id.complete(frame.getString("connection_id"));
                    } else {
                        onFrame.accept(frame, now);
                    }
                }
                webSocket.request(1);
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        return new SocketProbe(socket, id);
    }

    public String connectionId(Duration timeout) throws Exception {
        return connectionId.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        socket.abort();
    }
}
