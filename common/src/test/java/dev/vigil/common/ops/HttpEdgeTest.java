package dev.vigil.common.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP edge every Vigil server shares: JSON answers from the codec, the separate ops port, the idle timeout. */
class HttpEdgeTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private Vertx vertx;
    private PrometheusMeterRegistry registry;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        registry = MeterRegistries.prometheus("test-instance");
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
        registry.close();
    }

    @Test
    void anOversizedRequestLineOrHeaderBlockGetsTheJsonEnvelope() throws Exception {
        OpsServer server = new OpsServer(vertx, "127.0.0.1", 0, () -> Map.of("x", true), registry);
        server.start();
        try {
            String longLine = "GET /healthy?" + "q".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n";
            assertEnvelope(raw(server.port(), longLine), 414, "uri_too_long");
            String longHeader = "GET /healthy HTTP/1.1\r\nHost: x\r\nX-Big: " + "h".repeat(20_000) + "\r\n\r\n";
            assertEnvelope(raw(server.port(), longHeader), 431, "headers_too_large");
        } finally {
            server.close();
        }
    }

    @Test
    void withAnOpsPortTheApiPortServesNoHealthOrMetricsAndTheOpsPortServesNothingElse() throws Exception {
        OpsServer ops = OpsServer.opsOnly(vertx, "127.0.0.1", 0, () -> Map.of("x", true), registry, Duration.ofSeconds(60));
        OpsServer api = OpsServer.apiOnly(vertx, "127.0.0.1", 0,
                router -> router.get("/api").handler(ctx -> ctx.response().end("api")), Duration.ofSeconds(60));
        ops.start();
        api.start();
        try {
            assertThat(get(api.port(), "/api").statusCode()).isEqualTo(200);
            for (String path : new String[] {"/healthy", "/ready", "/metrics"}) {
                assertThat(get(api.port(), path).statusCode()).as(path + " on the API port").isEqualTo(404);
                assertThat(get(ops.port(), path).statusCode()).as(path + " on the ops port").isEqualTo(200);
            }
            assertThat(get(ops.port(), "/api").statusCode()).isEqualTo(404);
            assertThat(ops.name()).isNotEqualTo(api.name());
        } finally {
            api.close();
            ops.close();
        }
    }

    @Test
    void anIdleConnectionIsClosedByTheServer() throws Exception {
        OpsServer server = new OpsServer(vertx, "127.0.0.1", 0, () -> Map.of("x", true), registry, router -> { },
                Duration.ofSeconds(1));
        server.start();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            socket.setSoTimeout(30_000);
            // Half a request line, then nothing: the server closes the connection (read returns -1, not a timeout).
            socket.getOutputStream().write("GET /heal".getBytes(StandardCharsets.US_ASCII));
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        } finally {
            server.close();
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String raw(int port, String request) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static void assertEnvelope(String answer, int status, String code) {
        // HTTP/1.0 when the request line itself could not be decoded (Netty's placeholder request).
        assertThat(answer).matches("(?s)HTTP/1\\.[01] " + status + " .*");
        JsonObject body = new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertThat(body.getBoolean("success")).isFalse();
        assertThat(body.getString("error_code")).isEqualTo(code);
        assertThat(body.getString("message")).isNotBlank();
    }
}
