package dev.vigil.deploy.containers;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebSocket client the way an application keeps one open behind a load balancer: it asks control-api
 * for a {@code websocket_url} (a fresh single-use ticket), connects to a gateway, subscribes to the
 * tenant's frames of the given channels (alerts by default) and, when the connection drops, does it all
 * again against the next gateway, until closed. Gateways are tried in turn from the one after the last used (what a load balancer does once a
 * backend is gone).
 */
public final class AlertSocket implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertSocket.class);
    private static final Duration RETRY = Duration.ofMillis(500);

    /** One frame and when it arrived. */
    public record Frame(Instant receivedAt, String gateway, JsonObject frame) {
        public String channel() {
            return frame.getString("channel");
        }
    }

    private final String name;
    private final Supplier<String> ticketUrl;
    private final List<String> gateways;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ScheduledExecutorService scheduler;
    private final List<String> channels;
    private final ConcurrentLinkedQueue<Frame> frames = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Instant> connects = new ConcurrentLinkedQueue<>();
    private final AtomicReference<WebSocket> socket = new AtomicReference<>();
    private final AtomicInteger next;
    private volatile String gateway;
    private volatile boolean closed;

    /**
     * @param ticketUrl a new {@code websocket_url} from control-api at each call
     * @param gateways  {@code ws://host:port} of each gateway, as this machine reaches them
     * @param first     index of the gateway to try first
     */
    public AlertSocket(String name, Supplier<String> ticketUrl, List<String> gateways, int first) {
        this(name, ticketUrl, gateways, first, List.of("alert"));
    }

    /** A client of the frames of {@code channels} ({@code alert}, {@code scene_index}, {@code transcript}, …). */
    public AlertSocket(String name, Supplier<String> ticketUrl, List<String> gateways, int first, List<String> channels) {
        this.name = name;
        this.channels = List.copyOf(channels);
        this.ticketUrl = ticketUrl;
        this.gateways = List.copyOf(gateways);
        this.next = new AtomicInteger(first);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "alert-socket-" + name));
    }

    public AlertSocket open() {
        scheduler.execute(this::connect);
        return this;
    }

    private void connect() {
        if (closed) {
            return;
        }
        String target = gateways.get(Math.floorMod(next.getAndIncrement(), gateways.size()));
        try {
            // The ticket's URL names the host control-api was asked on; the gateway is where the load balancer sends it.
            String query = URI.create(ticketUrl.get()).getRawQuery();
            WebSocket ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create(target + "/ws?" + query), new Listener(target)).get(10, TimeUnit.SECONDS);
            socket.set(ws);
            gateway = target;
        } catch (Exception e) {
            log.info("{}: cannot connect to {} ({}); trying the next gateway", name, target, e.toString());
            scheduler.schedule(this::connect, RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void reconnect(String reason) {
        if (!closed) {
            log.info("{}: connection to {} lost ({}); reconnecting", name, gateway, reason);
            socket.set(null);
            scheduler.schedule(this::connect, RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final String target;
        private final StringBuilder text = new StringBuilder();

        Listener(String target) {
            this.target = target;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                JsonObject frame = new JsonObject(text.toString());
                text.setLength(0);
                if ("connected".equals(frame.getString("type"))) {
                    connects.add(Instant.now());
                    // A new connection has a new id: what the old one received by id is gone, so subscribe.
                    ws.sendText(new JsonObject().put("action", "subscribe").put("channels", channels).encode(), true);
                } else if (frame.getString("channel") != null && !"system".equals(frame.getString("channel"))) {
                    frames.add(new Frame(Instant.now(), target, frame));
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            reconnect("closed " + statusCode + " " + reason);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            reconnect(error.toString());
        }
    }

    public String name() {
        return name;
    }

    /** The gateway currently connected ({@code ws://host:port}), null while reconnecting. */
    public String gateway() {
        return socket.get() == null ? null : gateway;
    }

    public List<Frame> alerts() {
        return frames("alert");
    }

    public List<Frame> frames(String channel) {
        return frames.stream().filter(f -> channel.equals(f.channel())).toList();
    }

    /** When each connection was established (its {@code connected} frame arrived). */
    public List<Instant> connects() {
        return List.copyOf(connects);
    }

    @Override
    public void close() {
        closed = true;
        WebSocket ws = socket.getAndSet(null);
        if (ws != null) {
            ws.abort();
        }
        scheduler.shutdownNow();
    }
}
