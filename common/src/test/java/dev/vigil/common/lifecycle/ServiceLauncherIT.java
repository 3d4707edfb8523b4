package dev.vigil.common.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.config.CommonConfig;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.TestKafka;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The launcher's HTTP layout: with {@code VIGIL_OPS_PORT}, health and metrics leave the service's port. */
@ExtendWith(EmbeddedKafkaExtension.class)
class ServiceLauncherIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void withAnOpsPortHealthReadinessAndMetricsAreServedOnlyThere(TestKafka kafka) throws Exception {
        int httpPort = freePort();
        int opsPort = freePort();
        Map<String, String> env = Map.of("VIGIL_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "VIGIL_TOPIC_PREFIX", kafka.uniquePrefix(), "VIGIL_HTTP_HOST", "127.0.0.1",
                "VIGIL_HTTP_PORT", Integer.toString(httpPort), "VIGIL_OPS_PORT", Integer.toString(opsPort));
        ServiceGroup services = ServiceLauncher.launch("launcher-test", CommonConfig.SETTINGS, env,
                launch -> router -> router.get("/api").handler(ctx -> ctx.response().end("api")));
        try {
            assertThat(get(httpPort, "/api").statusCode()).isEqualTo(200);
            for (String path : new String[] {"/healthy", "/ready", "/metrics"}) {
                assertThat(get(httpPort, path).statusCode()).as(path + " on the service port").isEqualTo(404);
                assertThat(get(opsPort, path).statusCode()).as(path + " on the ops port").isEqualTo(200);
            }
            assertThat(get(opsPort, "/api").statusCode()).isEqualTo(404);
        } finally {
            services.close();
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
