package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.deploy.containers.AlertSocket;
import dev.vigil.deploy.containers.DemoClips;
import dev.vigil.deploy.containers.HostServers;
import dev.vigil.deploy.containers.Images;
import dev.vigil.deploy.containers.SeedFlow;
import dev.vigil.deploy.containers.StackEnv;
import dev.vigil.deploy.containers.VigilApi;
import dev.vigil.deploy.containers.WebhookReceiver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code deploy/compose}: both files are valid for Debian's docker-compose 1.29 ({@code config}), and the
 * services stack comes up with the locally built images — every service healthy, the topics created by
 * the one-shot {@code topics} service — and serves the seed's flow: an alert by webhook and on a
 * WebSocket opened at the URL control-api hands out, with the scene and transcript records that show
 * FFmpeg, OpenCV and Sphinx at work inside the image.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeIT {

    private static final Logger log = LoggerFactory.getLogger(ComposeIT.class);
    private static final Set<String> SERVICES = Set.of("control-api", "ingest-worker", "indexer-streams", "alert-router",
            "ws-gateway", "webhook-dispatcher");
    private static final long COMPOSE_TIMEOUT_SECONDS = 600;
    private static final Duration PATIENCE = Duration.ofMinutes(4);

    private final String project = "vigil-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final Path compose = Tools.root().resolve("deploy/compose");
    private Path envFile;
    private int apiPort;
    private int wsPort;
    private boolean started;

    private Path envFile() throws IOException {
        if (envFile == null) {
            apiPort = freePort();
            wsPort = freePort();
            // Kept for the whole class (and after it, for a look when a run failed).
            envFile = Path.of("target", "compose-it", project + ".env").toAbsolutePath();
            Files.createDirectories(envFile.getParent());
            Map<String, String> stack = StackEnv.of("unused", 2, 1);
            Files.write(envFile, List.of(
                    "VIGIL_IMAGE=" + Images.vigil().asCanonicalNameString(),
                    "VIGIL_KAFKA_IMAGE=" + Images.kafka().asCanonicalNameString(),
                    "VIGIL_API_KEYS=" + stack.get("VIGIL_API_KEYS"),
                    "VIGIL_WS_TICKET_SECRET=" + stack.get("VIGIL_WS_TICKET_SECRET"),
                    "VIGIL_SECRETS_KEYS=" + stack.get("VIGIL_SECRETS_KEYS"),
                    // Ports no one else uses on this machine, and the stream source and webhook receiver are on it.
                    "VIGIL_API_PUBLISH=" + apiPort,
                    "VIGIL_WS_PUBLISH=" + wsPort,
                    "VIGIL_WS_PUBLIC_URL=ws://localhost:" + wsPort + "/ws",
                    "VIGIL_SOURCES_ALLOW_PRIVATE=true",
                    "VIGIL_ALLOW_PRIVATE_CALLBACKS=true",
                    "VIGIL_TOPIC_PARTITIONS=2",
                    "KAFKA_HEAP_OPTS=-Xmx384m -Xms128m"));
        }
        return envFile;
    }

    private Tools.Result compose(String file, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("docker-compose", "--project-name", project, "--project-directory",
                compose.toString(), "-f", compose.resolve(file).toString(), "--env-file", envFile().toString()));
        command.addAll(List.of(args));
        return Tools.run(command, Map.of(), COMPOSE_TIMEOUT_SECONDS);
    }

    @Test
    @Order(1)
    void bothFilesAreValidComposeFilesForCompose129() throws IOException {
        assertThat(Tools.run(List.of("docker-compose", "version", "--short"), Map.of()).orFail("docker-compose version").stdout())
                .startsWith("1.29");
        JsonNode stack = Manifests.YAML.readTree(compose("compose.yaml", "config").orFail("docker-compose config").stdout());
        Set<String> services = new HashSet<>();
        stack.path("services").fieldNames().forEachRemaining(services::add);
        assertThat(services).containsAll(SERVICES).contains("kafka", "topics");
        for (String service : SERVICES) {
            JsonNode svc = stack.path("services").path(service);
            assertThat(svc.path("command").get(1).asText()).isEqualTo(service);
            assertThat(svc.path("read_only").asBoolean()).as("%s read_only", service).isTrue();
            assertThat(svc.path("healthcheck").path("test").toString()).as("%s health check", service).contains("/ready");
            assertThat(svc.path("depends_on").path("topics").path("condition").asText()).isEqualTo("service_completed_successfully");
        }
        Set<String> volumes = new HashSet<>();
        stack.path("volumes").fieldNames().forEachRemaining(volumes::add);
        assertThat(volumes).contains("kafka-data", "records", "recordings");

        JsonNode standalone = Manifests.YAML.readTree(compose("compose.standalone.yaml", "config").orFail("config standalone").stdout());
        assertThat(standalone.path("services").path("vigil").path("command").get(0).asText()).isEqualTo("standalone");
        assertThat(standalone.path("volumes").has("data")).isTrue();
    }

    @Test
    @Order(2)
    void theStackComesUpHealthyAndServesTheSeedFlow() throws Exception {
        long t0 = System.nanoTime();
        started = true;
        compose("compose.yaml", "up", "-d").orFail("docker-compose up -d");
        Awaitility.await("every service healthy").atMost(PATIENCE).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> {
                    Map<String, String> health = health();
                    assertThat(health.keySet()).containsAll(SERVICES).contains("kafka");
                    assertThat(health).allSatisfy((service, state) -> assertThat(state).as(service).isEqualTo("healthy"));
                });
        log.info("Compose stack healthy {} s after `up -d`", (System.nanoTime() - t0) / 1_000_000_000);
        assertThat(inspect("topics", "{{.State.Status}} {{.State.ExitCode}}")).isEqualTo("exited 0");

        WebhookReceiver receiver = new WebhookReceiver();
        Path media = Path.of("target", "cluster-media").toAbsolutePath();
        Path clip = DemoClips.looped(media, 6);
        try (HostServers host = new HostServers(project + "_default").start(media, receiver)) {
            VigilApi api = new VigilApi("http://localhost:" + apiPort, StackEnv.API_KEY);
            try (AlertSocket socket = new AlertSocket("compose-client",
                    () -> api.get("/collection/default/websocket").getString("websocket_url"),
                    List.of("ws://localhost:" + wsPort), 0, List.of("alert", "scene_index", "transcript")).open()) {
                Awaitility.await("the WebSocket connected").atMost(Duration.ofSeconds(60)).until(() -> !socket.connects().isEmpty());
                SeedFlow.Created flow = SeedFlow.setUp(api, "Warehouse camera (compose)",
                        host.baseUrlForContainers() + "/media/" + clip.getFileName(), host.baseUrlForContainers() + "/webhook");
                receiver.secret(flow.webhookSecret());

                Awaitility.await("an alert by webhook").atMost(PATIENCE).until(() -> !receiver.accepted().isEmpty());
                Awaitility.await("an alert on the WebSocket").atMost(PATIENCE).until(() -> !socket.alerts().isEmpty());
                // The ingest worker decoded it with FFmpeg, the indexer ran OpenCV and Sphinx on it, in the image.
                Awaitility.await("scene and transcript records on the WebSocket").atMost(PATIENCE)
                        .until(() -> !socket.frames("scene_index").isEmpty() && !socket.frames("transcript").isEmpty());
                assertThat(socket.frames("scene_index").get(0).frame().getString("index_id")).isEqualTo(flow.sceneIndexId());
                assertThat(socket.frames("transcript").stream().map(f -> f.frame().getJsonObject("data").getString("text")))
                        .anySatisfy(text -> assertThat(text).contains("intruder"));
                assertThat(receiver.accepted().get(0).payload().getString("alert_id")).isEqualTo(flow.alertId());
                assertThat(socket.alerts().get(0).frame().getJsonObject("data").getString("label")).isEqualTo(SeedFlow.LABEL);
                assertThat(receiver.rejected()).isZero();
                log.info("Compose stack: first webhook and WebSocket alert {} s after `up -d`", (System.nanoTime() - t0) / 1_000_000_000);
            }
        }
    }

    /** Health of each running service container of the project ("healthy", "starting", "unhealthy"). */
    private Map<String, String> health() throws IOException {
        Map<String, String> health = new java.util.TreeMap<>();
        for (String line : compose("compose.yaml", "ps", "--services", "--filter", "status=running").orFail("ps").stdout().split("\n")) {
            if (!line.isBlank()) {
                health.put(line.trim(), inspect(line.trim(), "{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}"));
            }
        }
        return health;
    }

    private String inspect(String service, String format) throws IOException {
        String id = compose("compose.yaml", "ps", "-q", service).orFail("ps -q " + service).stdout().trim();
        return Tools.run(List.of("docker", "inspect", "--format", format, id), Map.of()).orFail("docker inspect").stdout().trim();
    }

    @AfterAll
    void down() throws IOException {
        if (started) {
            Tools.Result down = compose("compose.yaml", "down", "--volumes", "--timeout", "20");
            log.info("docker-compose down: exit {}", down.exitCode());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
