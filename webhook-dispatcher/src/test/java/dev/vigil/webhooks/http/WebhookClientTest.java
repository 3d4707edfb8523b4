package dev.vigil.webhooks.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The WebClient side against real local servers, including TLS to a pinned address. */
class WebhookClientTest {

    private static Vertx vertx;
    private static HttpServer tls;
    private static HttpServer redirecting;
    private static final AtomicReference<String> host = new AtomicReference<>();
    private static WebhookClient client;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        // A committed test certificate for "localhost" (src/test/resources/tls): no key generation.
        Buffer cert = Buffer.buffer(resource("tls/localhost-cert.pem"));
        tls = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
                        .setKeyCertOptions(new PemKeyCertOptions().setCertValue(cert)
                                .setKeyValue(Buffer.buffer(resource("tls/localhost-key.pem")))))
                .requestHandler(request -> {
                    host.set(request.getHeader("Host"));
                    request.body().onSuccess(b -> request.response().setStatusCode(204).end());
                })
                .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        redirecting = vertx.createHttpServer()
                .requestHandler(request -> request.response().setStatusCode(302)
                        .putHeader("Location", "http://169.254.169.254/latest/meta-data").end())
                .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        client = new WebhookClient(vertx, new WebhookClient.Limits(Duration.ofSeconds(2), Duration.ofSeconds(2),
                Duration.ofSeconds(3), 64 * 1024), 4, new PemTrustOptions().addCertValue(cert));
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = WebhookClientTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    private static WebhookClient.Result post(String url) throws Exception {
        Destination d = new Destination(URI.create(url), InetAddress.getByName("127.0.0.1"));
        return vertx.<Void>executeBlocking(() -> null)
                .compose(v -> client.post(d, MultiMap.caseInsensitiveMultiMap().add("webhook-id", "ntf-1"),
                        Buffer.buffer("{}")))
                .await(10, TimeUnit.SECONDS);
    }

    @Test
    void tlsToThePinnedAddressStillVerifiesTheHostName() throws Exception {
        WebhookClient.Result result = post("https://localhost:" + tls.actualPort() + "/hook");
        assertThat(result.error()).isNull();
        assertThat(result.status()).isEqualTo(204);
        // (No SNI assertion: the JDK sends SNI only for dotted names, and "localhost" has none.)
        assertThat(host.get()).isEqualTo("localhost:" + tls.actualPort());
    }

    @Test
    void aCertificateForAnotherNameIsRejected() throws Exception {
        // The address is the same server; the URL names a host its certificate does not cover.
        WebhookClient.Result result = post("https://hooks.example.com:" + tls.actualPort() + "/hook");
        assertThat(result.status()).isNull();
        assertThat(result.error()).isNotBlank();
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        WebhookClient.Result result = post("http://127.0.0.1:" + redirecting.actualPort() + "/hook");
        assertThat(result.status()).isEqualTo(302);
    }

    @Test
    void aClosedPortIsAnErrorWithoutStatus() throws Exception {
        HttpServer gone = vertx.createHttpServer().requestHandler(r -> r.response().end())
                .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        int port = gone.actualPort();
        gone.close().await(10, TimeUnit.SECONDS);
        WebhookClient.Result result = post("http://127.0.0.1:" + port + "/hook");
        assertThat(result.answered()).isFalse();
        assertThat(result.error()).isNotBlank();
        assertThat(result.latencyNanos()).isPositive();
    }

    @Test
    void aReceiverTricklingAByteASecondFailsAtTheDeadline() throws Exception {
        // Status and headers at once, then the body a byte a second: the idle timeout (2 s) never
        // fires, since data keeps coming. The deadline (3 s) does.
        HttpServer slowLoris = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(b -> {
            HttpServerResponse response = request.response().setStatusCode(200).setChunked(true);
            long timer = vertx.setPeriodic(0, 1_000, t -> response.write("x"));
            response.closeHandler(v -> vertx.cancelTimer(timer));
        })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        try {
            WebhookClient.Result result = post("http://127.0.0.1:" + slowLoris.actualPort() + "/hook");

            assertThat(result.answered()).isFalse();
            assertThat(result.error()).startsWith("deadline of 3000 ms");
        } finally {
            slowLoris.close().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aHundredMegabyteBodyIsCutAndTheStatusStillCounts() throws Exception {
        long hundredMb = 100L * 1024 * 1024;
        AtomicLong written = new AtomicLong();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
        HttpServer huge = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(b -> {
            HttpServerResponse response = request.response().setStatusCode(200)
                    .putHeader("Content-Length", Long.toString(hundredMb));
            response.closeHandler(v -> closed.complete(null));
            writeUntilFull(response, chunk, hundredMb, written);
        })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        try {
            WebhookClient.Result result = post("http://127.0.0.1:" + huge.actualPort() + "/hook");

            assertThat(result.status()).isEqualTo(200);
            assertThat(result.bodyCut()).isTrue();
            closed.get(10, TimeUnit.SECONDS);
            assertThat(written.get()).isLessThan(hundredMb);
        } finally {
            huge.close().await(10, TimeUnit.SECONDS);
        }
    }

    /** Writes {@code chunk}s until {@code total} bytes, pausing whenever the connection pushes back. */
    private static void writeUntilFull(HttpServerResponse response, Buffer chunk, long total, AtomicLong written) {
        while (written.get() < total && !response.closed()) {
            if (response.writeQueueFull()) {
                response.drainHandler(v -> writeUntilFull(response, chunk, total, written));
                return;
            }
            response.write(chunk);
            written.addAndGet(chunk.length());
        }
        if (!response.closed()) {
            response.end();
        }
    }
}
