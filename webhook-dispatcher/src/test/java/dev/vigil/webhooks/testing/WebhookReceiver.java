package dev.vigil.webhooks.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP webhook receiver for tests: a Vert.x server on a free loopback port that records every
 * request (headers, body, arrival time) and answers as its {@link Behaviour} says — a status with
 * headers, after a delay, or never (held until {@link #releaseHeld}).
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One received request. {@code nth}: how many requests with this webhook-id arrived before, plus one. */
    public record Received(String webhookId, Map<String, List<String>> headers, String body, long nanos, int nth) {
    }

    /** How to answer. */
    public record Reply(int status, Map<String, String> headers, long delayMs, boolean held, boolean trickle) {
        public static Reply status(int status) {
            return new Reply(status, Map.of(), 0, false, false);
        }

        public static Reply status(int status, Map<String, String> headers) {
            return new Reply(status, headers, 0, false, false);
        }

        public static Reply delayed(int status, long delayMs) {
            return new Reply(status, Map.of(), delayMs, false, false);
        }

        /** Never answers until released. */
        public static Reply holdForever() {
            return new Reply(0, Map.of(), 0, true, false);
        }

        /**
         * A slow loris: {@code status} and the headers at once, then the body one byte a second for
         * as long as the client stays connected — never idle, never finished.
         */
        public static Reply trickle(int status) {
            return new Reply(status, Map.of(), 0, false, true);
        }
    }

    /** Decides the reply to a request. */
    @FunctionalInterface
    public interface Behaviour extends Function<Received, Reply> {
    }

    private final Vertx vertx;
    private final HttpServer server;
    private volatile Behaviour behaviour;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final List<HttpServerResponse> held = new CopyOnWriteArrayList<>();
    private final AtomicInteger answered = new AtomicInteger();

    private WebhookReceiver(Vertx vertx, Behaviour behaviour) throws Exception {
        this.vertx = vertx;
        this.behaviour = behaviour;
        this.server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                .await(10, TimeUnit.SECONDS);
    }

    public static WebhookReceiver start(Vertx vertx, Behaviour behaviour) throws Exception {
        return new WebhookReceiver(vertx, behaviour);
    }

    /** Always 200. */
    public static WebhookReceiver ok(Vertx vertx) throws Exception {
        return start(vertx, r -> Reply.status(200));
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            long now = System.nanoTime();
            Map<String, List<String>> headers = new TreeMap<>();
            request.headers().forEach(e -> headers.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT),
                    k -> new ArrayList<>()).add(e.getValue()));
            String id = request.getHeader("webhook-id");
            int nth = counts.computeIfAbsent(String.valueOf(id), k -> new AtomicInteger()).incrementAndGet();
            Received r = new Received(id, headers, body.toString(), now, nth);
            received.add(r);
            Reply reply = behaviour.apply(r);
            HttpServerResponse response = request.response();
            if (reply.held()) {
                held.add(response);
                return;
            }
            if (reply.trickle()) {
                response.setStatusCode(reply.status()).setChunked(true);
                long timer = vertx.setPeriodic(0, 1_000, t -> response.write("x"));
                response.closeHandler(v -> vertx.cancelTimer(timer));
                return;
            }
            if (reply.delayMs() > 0) {
                vertx.setTimer(reply.delayMs(), t -> answer(response, reply));
            } else {
                answer(response, reply);
            }
        });
    }

    private void answer(HttpServerResponse response, Reply reply) {
        reply.headers().forEach(response::putHeader);
        response.setStatusCode(reply.status()).end().onSuccess(v -> answered.incrementAndGet());
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    public int port() {
        return server.actualPort();
    }

    public void behaviour(Behaviour behaviour) {
        this.behaviour = behaviour;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Requests received with {@code webhookId}. */
    public List<Received> received(String webhookId) {
        return received.stream().filter(r -> webhookId.equals(r.webhookId())).toList();
    }

    /** Responses written (held ones excluded until released). */
    public int answered() {
        return answered.get();
    }

    /** Requests held and not answered. */
    public int held() {
        return held.size();
    }

    /** Answers every held request with {@code status} (connections already timed out are skipped). */
    public void releaseHeld(int status) {
        List<HttpServerResponse> all = List.copyOf(held);
        held.clear();
        for (HttpServerResponse response : all) {
            vertx.runOnContext(v -> {
                if (!response.closed() && !response.ended()) {
                    answer(response, Reply.status(status));
                }
            });
        }
    }

    @Override
    public void close() {
        try {
            server.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot close the receiver on port " + port(), e);
        }
    }
}
