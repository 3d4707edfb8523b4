package dev.vigil.webhooks.http;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.codec.BodyCodec;
import java.time.Duration;

/**
 * Sends one webhook POST with Vert.x's WebClient: keep-alive connections pooled per endpoint
 * (pool size = the per-endpoint concurrency, so requests never wait in the pool), a connect
 * timeout, an idle timeout on the response, no redirects (a redirect could point inside the network:
 * the SSRF guard checked only the callback URL), no compression. The response body is discarded.
 *
 * <p>Each request connects to the {@link Destination}'s checked address and names the callback
 * host in {@code Host}, SNI and certificate verification, so TLS still verifies the host name.
 *
 * <p>Never fails its future: transport errors and timeouts come back as an {@link Result} with
 * {@code error} set, so every attempt has one result to record.
 */
public final class WebhookClient implements AutoCloseable {

    static final String USER_AGENT = "Vigil-Webhooks/1.0";

    private final WebClient client;
    private final long connectTimeoutMs;
    private final long responseTimeoutMs;

    /**
     * The answer to one attempt: a status (with {@code Retry-After}), or an error without status.
     *
     * @param latencyNanos from sending to the response (or the failure)
     */
    public record Result(Integer status, String statusMessage, String retryAfter, String error, long latencyNanos) {

        public boolean answered() {
            return status != null;
        }
    }

    public WebhookClient(Vertx vertx, Duration connectTimeout, Duration responseTimeout, int poolSizePerEndpoint) {
        this(vertx, connectTimeout, responseTimeout, poolSizePerEndpoint, null);
    }

    /** {@code trust}: certificates to trust instead of the JVM's (tests with a self-signed server). */
    WebhookClient(Vertx vertx, Duration connectTimeout, Duration responseTimeout, int poolSizePerEndpoint,
            TrustOptions trust) {
        this.connectTimeoutMs = connectTimeout.toMillis();
        this.responseTimeoutMs = responseTimeout.toMillis();
        WebClientOptions options = new WebClientOptions()
                .setUserAgent(USER_AGENT)
                .setFollowRedirects(false)
                .setMaxRedirects(0)
                .setKeepAlive(true)
                .setKeepAliveTimeout(60)
                .setDecompressionSupported(false)
                .setConnectTimeout((int) connectTimeout.toMillis())
                .setVerifyHost(true);
        if (trust != null) {
            options.setTrustOptions(trust);
        }
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(poolSizePerEndpoint);
        this.client = WebClient.create(vertx, options, pool);
    }

    /** POSTs {@code body} with {@code headers} to {@code destination}. Call on the event loop. */
    public Future<Result> post(Destination destination, MultiMap headers, Buffer body) {
        long start = System.nanoTime();
        HttpRequest<Void> request = client
                .request(HttpMethod.POST, SocketAddress.inetSocketAddress(destination.port(),
                        destination.address().getHostAddress()), destination.port(), destination.host(),
                        destination.requestUri())
                .ssl(destination.ssl())
                .followRedirects(false)
                .connectTimeout(connectTimeoutMs)
                .idleTimeout(responseTimeoutMs)
                .putHeaders(headers)
                .as(BodyCodec.none());
        return request.sendBuffer(body).transform(ar -> {
            long latency = System.nanoTime() - start;
            if (ar.succeeded()) {
                HttpResponse<Void> response = ar.result();
                return Future.succeededFuture(new Result(response.statusCode(), response.statusMessage(),
                        response.getHeader("Retry-After"), null, latency));
            }
            return Future.succeededFuture(new Result(null, null, null, describe(ar.cause()), latency));
        });
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
