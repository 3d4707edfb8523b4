package dev.vigil.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.Topics;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's composition, in-process: own broker on free ports, topics, health endpoints. */
class StandaloneIT {

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();
    private Map<String, String> firstKeys;
    private String streamId;

    private StandaloneConfig config() throws IOException {
        return StandaloneConfig.from(Map.of(
                "VIGIL_DATA_DIR", dataDir.toString(),
                "VIGIL_KAFKA_EMBEDDED_PORT", Integer.toString(freePort()),
                "VIGIL_KAFKA_EMBEDDED_CONTROLLER_PORT", Integer.toString(freePort()),
                "VIGIL_HTTP_HOST", "127.0.0.1",
                "VIGIL_HTTP_PORT", "0",
                "VIGIL_TOPIC_PARTITIONS", "2"));
    }

    @Test
    void startsBrokerTopicsAndHealthEndpointThenStopsCleanly() throws Exception {
        Set<String> expected = Set.copyOf(Topics.ALL.stream().map(t -> t.name(Topics.DEFAULT_PREFIX)).toList());
        StandaloneConfig config = config();

        try (Standalone standalone = Standalone.start(config)) {
            assertThat(standalone.isReady()).isTrue();
            assertThat(get(standalone, "/healthy").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get(standalone, "/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"embedded-kafka\":true", "\"topic-bootstrap\":true");
            assertThat(get(standalone, "/metrics").body()).contains("jvm_threads_live_threads");
            assertThat(standalone.topics().created()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(ready.body()).contains("\"control-api\":true");

            // The REST API is on the same port, behind the generated API key.
            firstKeys = standalone.apiKeys();
            assertThat(firstKeys).hasSize(1).containsValue("default");
            String key = firstKeys.keySet().iterator().next();
            assertThat(send(standalone, "GET", "/collection/default", null, null).statusCode()).isEqualTo(401);
            HttpResponse<String> created = send(standalone, "POST", "/rtstream", key,
                    "{\"url\":\"rtsp://camera.example.com/1\",\"name\":\"gate\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            streamId = new io.vertx.core.json.JsonObject(created.body()).getJsonObject("data").getString("id");

            // The WebSocket gateway shares the port: the URL from the API opens and greets with a connection id.
            String wsUrl = new io.vertx.core.json.JsonObject(send(standalone, "GET", "/collection/default/websocket", key, null)
                    .body()).getJsonObject("data").getString("websocket_url");
            java.util.concurrent.CompletableFuture<String> firstFrame = new java.util.concurrent.CompletableFuture<>();
            java.net.http.WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(wsUrl.replace("localhost", "127.0.0.1")),
                    new java.net.http.WebSocket.Listener() {
                        @Override
                        public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
                            firstFrame.complete(data.toString());
                            return null;
                        }
                    }).get(30, TimeUnit.SECONDS);
            assertThat(firstFrame.get(30, TimeUnit.SECONDS)).contains("\"connection_id\":\"wsc-", "\"type\":\"connected\"");
            socket.abort();

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, standalone.kafkaBootstrapServers()))) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).containsAll(expected);
            }
            // A non-Java client (librdkafka's kcat, installed by scripts/install-test-deps.sh) sees them too.
            assertThat(kcatMetadata(standalone.kafkaBootstrapServers())).contains(
                    "topic \"" + Topics.RTSTREAMS.name(Topics.DEFAULT_PREFIX) + "\" with 2 partitions",
                    "topic \"" + Topics.ALERTS_FIRED.name(Topics.DEFAULT_PREFIX) + "\" with 2 partitions");
        }

        // A second start on the same data directory finds the topics, the API key and the streams again.
        try (Standalone again = Standalone.start(config)) {
            assertThat(again.topics().created()).isEmpty();
            assertThat(again.topics().existing()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(again.apiKeys()).isEqualTo(firstKeys);
            String key = again.apiKeys().keySet().iterator().next();
            HttpResponse<String> stream = send(again, "GET", "/rtstream/" + streamId, key, null);
            assertThat(stream.statusCode()).as(stream.body()).isEqualTo(200);
        }
    }

    private HttpResponse<String> send(Standalone standalone, String method, String path, String key, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + standalone.httpPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("x-access-token", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(Standalone standalone, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + standalone.httpPort() + path)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String kcatMetadata(String bootstrap) throws Exception {
        Process kcat = new ProcessBuilder("kcat", "-b", bootstrap, "-L", "-m", "10").redirectErrorStream(true).start();
        String output = new String(kcat.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(kcat.waitFor(30, TimeUnit.SECONDS)).as("kcat finished").isTrue();
        assertThat(kcat.exitValue()).as("kcat exit code; output: %s", output).isZero();
        return output;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
