package dev.vigil.webhooks.http;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import java.time.Duration;

/**
 * Sends one webhook POST with Vert.x's HTTP client: keep-alive connections pooled per endpoint
 * (pool size = the per-endpoint concurrency, so requests never wait in the pool), no redirects (a
 * redirect could point inside the network: the SSRF guard checked only the callback URL), no
 * compression.
 *
 * <p>Three limits keep one receiver from holding the dispatcher:
 * <ul>
 *   <li>a connect timeout and an idle timeout (silence on the connection);</li>
 *   <li>a hard <em>deadline</em> for the whole attempt — connecting, sending, the status line, the
 *       headers and the body. The idle timeout alone is reset by every byte, so a receiver trickling
 *       a byte a second would hold the attempt, its endpoint slot and its partition's commit
 *       forever. At the deadline the request is reset (the connection closed) and the attempt fails
 *       as a timeout, which the circuit breaker counts;</li>
 *   <li>a cap on the response body: it is read and discarded up to {@code maxBodyBytes}, then the
 *       request is reset. The status is what counts, so a cut body is still an answer.</li>
 * </ul>
 *
 * <p>Each request connects to the {@link Destination}'s checked address and names the callback
 * host in {@code Host}, SNI and certificate verification, so TLS still verifies the host name.
 *
 * <p>Never fails its future: transport errors and timeouts come back as an {@link Result} with
 * {@code error} set, so every attempt has one result to record.
 */
public final class WebhookClient implements AutoCloseable {

    static final String USER_AGENT = "Vigil-Webhooks/1.0";

    private final Vertx vertx;
    private final HttpClientAgent client;
    private final long connectTimeoutMs;
    private final long idleTimeoutMs;
    private final long deadlineMs;
    private final long maxBodyBytes;

    /**
     * The answer to one attempt: a status (with {@code Retry-After}), or an error without status.
     *
     * @param latencyNanos from sending to the end of the response (or the failure)
     * @param bodyCut      whether the response body was longer than the cap and was cut
     */
    public record Result(Integer status, String statusMessage, String retryAfter, String error, long latencyNanos,
            boolean bodyCut) {

        public boolean answered() {
            return status != null;
        }
    }

    /** The limits of one attempt. */
    public record Limits(Duration connectTimeout, Duration idleTimeout, Duration deadline, long maxBodyBytes) {
    }

    public WebhookClient(Vertx vertx, Limits limits, int poolSizePerEndpoint) {
        this(vertx, limits, poolSizePerEndpoint, null);
    }

    /** {@code trust}: certificates to trust instead of the JVM's (tests with a self-signed server). */
    WebhookClient(Vertx vertx, Limits limits, int poolSizePerEndpoint, TrustOptions trust) {
        this.vertx = vertx;
        this.connectTimeoutMs = limits.connectTimeout().toMillis();
        this.idleTimeoutMs = limits.idleTimeout().toMillis();
        this.deadlineMs = limits.deadline().toMillis();
        this.maxBodyBytes = limits.maxBodyBytes();
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setKeepAliveTimeout(60)
                .setDecompressionSupported(false)
                .setConnectTimeout((int) connectTimeoutMs)
                .setVerifyHost(true);
        if (trust != null) {
            options.setTrustOptions(trust);
        }
        this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(poolSizePerEndpoint));
    }

    /** POSTs {@code body} with {@code headers} to {@code destination}. Call on the event loop. */
    public Future<Result> post(Destination destination, MultiMap headers, Buffer body) {
        Attempt attempt = new Attempt();
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(destination.port(), destination.address().getHostAddress()))
                .setHost(destination.host())
                .setPort(destination.port())
                .setURI(destination.requestUri())
                .setSsl(destination.ssl())
                .setFollowRedirects(false)
                .setConnectTimeout(connectTimeoutMs)
                .setIdleTimeout(idleTimeoutMs)
                .setHeaders(MultiMap.caseInsensitiveMultiMap().addAll(headers).set("User-Agent", USER_AGENT));
        long timer = vertx.setTimer(deadlineMs, t -> attempt.fail("deadline of " + deadlineMs
                + " ms for the whole attempt exceeded (connect, send, status, headers and body)"));
        attempt.result.future().onComplete(ar -> vertx.cancelTimer(timer));
        client.request(request)
                .compose(req -> {
                    attempt.request(req);
                    return req.send(body);
                })
                .onSuccess(attempt::read)
                .onFailure(e -> attempt.fail(describe(e)));
        return attempt.result.future();
    }

    /** The state of one attempt; its callbacks all run on the caller's event loop. */
    private final class Attempt {
        final long start = System.nanoTime();
        final Promise<Result> result = Promise.promise();
        HttpClientRequest request;
        long bodyBytes;

        void request(HttpClientRequest req) {
            request = req;
            if (result.future().isComplete()) {
                req.reset(); // the deadline passed while connecting
            }
        }

        void read(HttpClientResponse response) {
            response.exceptionHandler(e -> fail(describe(e)));
            response.handler(chunk -> {
                bodyBytes += chunk.length();
                if (bodyBytes > maxBodyBytes && complete(response, true)) {
                    request.reset();
                }
            });
            response.endHandler(v -> complete(response, false));
        }

        boolean complete(HttpClientResponse response, boolean cut) {
            return result.tryComplete(new Result(response.statusCode(), response.statusMessage(),
                    response.getHeader("Retry-After"), null, System.nanoTime() - start, cut));
        }

        void fail(String error) {
            if (result.tryComplete(new Result(null, null, null, error, System.nanoTime() - start, false))
                    && request != null) {
                request.reset();
            }
        }
    }

    private static String describe(Throwable e) {
        String type = e.getClass().getSimpleName();
        String message = e.getMessage();
        return message == null || message.isBlank() ? type : type + ": " + message;
    }

    @Override
    public void close() {
        client.close();
    }
}
