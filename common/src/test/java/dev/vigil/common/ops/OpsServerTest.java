package dev.vigil.common.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpsServerTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, Boolean> readiness = new LinkedHashMap<>();
    private final Map<String, Boolean> liveness = new LinkedHashMap<>();
    private Vertx vertx;
    private OpsServer server;
    private PrometheusMeterRegistry registry;

    @BeforeEach
    void startServer() throws Exception {
        vertx = Vertx.vertx();
        registry = MeterRegistries.prometheus("test-instance");
        server = new OpsServer(vertx, "127.0.0.1", 0, () -> Map.copyOf(readiness), () -> Map.copyOf(liveness), registry,
                router -> { });
        server.start();
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
        vertx.close().await(10, TimeUnit.SECONDS);
        registry.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthyAnswersWhileTheProcessRuns() throws Exception {
        HttpResponse<String> response = get("/healthy");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void healthyAnswers503NamingThePartsBeyondRepair() throws Exception {
        liveness.put("control-api", true);
        liveness.put("webhook-dispatcher", false);

        HttpResponse<String> response = get("/healthy");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("\"status\":\"DOWN\"", "\"webhook-dispatcher\":false")
                .doesNotContain("control-api");

        liveness.put("webhook-dispatcher", true);
        assertThat(get("/healthy").statusCode()).isEqualTo(200);
    }

    @Test
    void readyOnlyWhenEveryPartIsReady() throws Exception {
        assertThat(get("/ready").statusCode()).as("nothing registered yet").isEqualTo(503);

        readiness.put("kafka", true);
        readiness.put("streams", false);
        HttpResponse<String> notReady = get("/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("\"streams\":false", "NOT_READY");

        readiness.put("streams", true);
        assertThat(get("/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void metricsArePrometheusTextWithJvmAndCustomMeters() throws Exception {
        registry.counter("vigil_test_events").increment(3);

        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(response.body())
                .contains("jvm_memory_used_bytes")
                .contains("vigil_test_events_total{application=\"vigil\",instance_id=\"test-instance\"} 3.0");
    }

    @Test
    void unknownPathIs404() throws Exception {
        assertThat(get("/nope").statusCode()).isEqualTo(404);
    }
}
