package dev.vigil.ws;

import static dev.vigil.testkit.Eventually.await;

import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real WebSocket client (Vert.x {@link ClientWebSocket}) recording every text frame it receives
 * as JSON, the receive time of each, the pings it saw and how it was closed. Handlers are set before
 * connecting, so not even the first frame can be missed.
 */
public final class TestSocket implements AutoCloseable {

    /** A received frame and when ({@link System#nanoTime()}) it arrived. */
    public record Received(JsonObject json, long nanos) {
    }

    private final ClientWebSocket ws;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger pings = new AtomicInteger();
    private volatile io.vertx.core.Context context;
    private volatile boolean closed;
    private volatile Short closeCode;
    private volatile String closeReason;

    private TestSocket(ClientWebSocket ws) {
        this.ws = ws;
    }

    /** Connects to {@code uri} and returns once the {@code connected} frame has arrived. */
    public static TestSocket connect(WebSocketClient client, int port, String uri) throws Exception {
        TestSocket socket = open(client, port, uri);
        await().alias("connected frame").until(() -> !socket.received.isEmpty() || socket.closed);
        return socket;
    }

    /** Connects without waiting for any frame; throws what the handshake failed with. */
    public static TestSocket open(WebSocketClient client, int port, String uri) throws Exception {
        ClientWebSocket ws = client.webSocket();
        TestSocket socket = new TestSocket(ws);
        ws.textMessageHandler(text -> {
            socket.context = io.vertx.core.Vertx.currentContext();
            socket.received.add(new Received(new JsonObject(text), System.nanoTime()));
        });
        ws.frameHandler(frame -> {
            if (frame.type() == WebSocketFrameType.PING) {
                socket.pings.incrementAndGet();
            }
        });
        ws.closeHandler(v -> {
            socket.closeCode = ws.closeStatusCode();
            socket.closeReason = ws.closeReason();
            socket.closed = true;
        });
        ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri))
                .await(10, TimeUnit.SECONDS);
        return socket;
    }

    /** The first frame: {@code {"connection_id", "channel":"system", "type":"connected", …}}. */
    public JsonObject hello() {
        return received.get(0).json();
    }

    public String connectionId() {
        return hello().getString("connection_id");
    }

    /** Every frame received so far, the connected frame included. */
    public List<JsonObject> frames() {
        return received.stream().map(Received::json).toList();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Frames of {@code channel} received so far, in order. */
    public List<JsonObject> frames(String channel) {
        return frames().stream().filter(f -> channel.equals(f.getString("channel"))).toList();
    }

    /** Waits for a frame matching {@code test} and returns the first such frame. */
    public JsonObject awaitFrame(String alias, Predicate<JsonObject> test) {
        await().alias(alias).until(() -> frames().stream().anyMatch(test));
        return frames().stream().filter(test).findFirst().orElseThrow();
    }

    /** Waits for a frame of {@code channel} whose data text is {@code text}. */
    public JsonObject awaitText(String channel, String text) {
        return awaitFrame(channel + " '" + text + "'", f -> channel.equals(f.getString("channel"))
                && f.getJsonObject("data") != null && text.equals(f.getJsonObject("data").getString("text")));
    }

    /** Sends {@code text} as one text frame. */
    public void send(String text) {
        try {
            ws.writeTextMessage(text).await(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("could not send a frame within 10 s", e);
        }
    }

    /** Sends {@code text} without waiting, ignoring failure (the server may close mid-burst). */
    public void sendQuietly(String text) {
        ws.writeTextMessage(text);
    }

    /** Sends a request and waits for the system frame of {@code type} it causes (counting from now). */
    public JsonObject request(JsonObject request, String type) {
        return request(request.encode(), type);
    }

    /** Sends raw text and waits for the system frame of {@code type} it causes (counting from now). */
    public JsonObject request(String text, String type) {
        int before = received.size();
        send(text);
        await().alias("system frame " + type).until(() -> frames().stream().skip(before)
                .anyMatch(f -> "system".equals(f.getString("channel")) && type.equals(f.getString("type"))));
        return frames().stream().skip(before)
                .filter(f -> "system".equals(f.getString("channel")) && type.equals(f.getString("type")))
                .findFirst().orElseThrow();
    }

    /** Stops reading (on the socket's own event loop, where its read state lives). */
    public void pause() {
        onLoop(ws::pause);
    }

    public void resume() {
        onLoop(ws::resume);
    }

    private void onLoop(Runnable action) {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        context.runOnContext(v -> {
            action.run();
            done.complete(null);
        });
        done.orTimeout(10, TimeUnit.SECONDS).join();
    }

    public int pings() {
        return pings.get();
    }

    public boolean isClosed() {
        return closed;
    }

    public Short closeCode() {
        return closeCode;
    }

    public String closeReason() {
        return closeReason;
    }

    @Override
    public void close() {
        if (!closed) {
            ws.close();
        }
    }
}
