package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.deploy.containers.Images;
import dev.vigil.deploy.containers.StackEnv;
import dev.vigil.deploy.containers.VigilContainer;
import dev.vigil.testkit.ContainerLogTail;
import dev.vigil.testkit.KafkaImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.Network;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Vigil's image ({@code scripts/build-images.sh}) run as the chart runs it — non-root, read-only root
 * file system, writable memory-backed folders only where the chart mounts volumes: the launcher answers,
 * and every service becomes ready ({@code /ready} on the ops port) against a broker from the Kafka image,
 * after {@code vigil topics} created the topics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VigilImageIT {

    private static final Logger log = LoggerFactory.getLogger(VigilImageIT.class);
    private static final List<String> SERVICES = HelmChartTest.SERVICES.stream().map(HelmChartTest.ServiceDef::name).toList();

    private final HttpClient http = HttpClient.newHttpClient();
    private Network network;
    private KafkaContainer kafka;

    @BeforeAll
    void startABroker() {
        network = Network.newNetwork();
        kafka = KafkaImages.container().withNetwork(network).withListener("kafka:19092");
        ContainerLogTail.start(kafka, 20);
    }

    @AfterAll
    void stop() {
        if (kafka != null) {
            kafka.stop();
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    void theLauncherPrintsItsVersion() {
        try (VigilContainer vigil = VigilContainer.command("vigil-version", "--version")) {
            vigil.start();
            assertThat(vigil.getLogs()).contains("vigil " + Images.vigil().getVersionPart());
        }
    }

    @Test
    void runsAsTheNumericNonRootUserOnAReadOnlyRootFileSystem() {
        assertThat(org.testcontainers.DockerClientFactory.instance().client()
                .inspectImageCmd(Images.vigil().asCanonicalNameString()).exec().getConfig().getUser()).isEqualTo("10001:10001");
        try (VigilContainer probe = VigilContainer.command("vigil-probe")
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("sh", "-c",
                        "id -u; touch /opt/vigil/probe 2>&1; touch /tmp/probe && echo tmp-writable;"
                                + " touch /var/cache/vigil/javacpp/probe && echo cache-writable"))) {
            probe.start();
            assertThat(probe.getLogs()).startsWith("10001").contains("Read-only file system")
                    .contains("tmp-writable", "cache-writable");
        }
    }

    @Test
    void everyServiceBecomesReadyAgainstTheBroker() throws Exception {
        Map<String, String> env = StackEnv.of("kafka:19092", 2, 1);
        try (VigilContainer topics = VigilContainer.command("vigil-topics", "topics").withNetwork(network).withEnv(env)) {
            topics.start();
        }
        Map<String, VigilContainer> services = new LinkedHashMap<>();
        for (String service : SERVICES) {
            services.put(service, VigilContainer.service(service, service).withNetwork(network).withEnv(env)
                    .heap(service.equals("indexer-streams") ? "640m" : "256m"));
        }
        try {
            long started = System.nanoTime();
            List<CompletableFuture<Void>> starts = new ArrayList<>();
            Map<String, Long> readyAfterMs = new java.util.concurrent.ConcurrentHashMap<>();
            services.forEach((name, container) -> starts.add(CompletableFuture.runAsync(() -> {
                container.start();
                readyAfterMs.put(name, (System.nanoTime() - started) / 1_000_000);
            })));
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
            log.info("Services ready (ms since all were started at once): {}", readyAfterMs);

            for (VigilContainer container : services.values()) {
                assertThat(get(container.opsUrl() + "/ready")).as("%s /ready", container.instance()).isEqualTo(200);
                assertThat(get(container.opsUrl() + "/healthy")).as("%s /healthy", container.instance()).isEqualTo(200);
            }
        } finally {
            services.values().forEach(VigilContainer::stop);
        }
    }

    @Test
    void reportsTheImageSize() {
        long bytes = Images.sizeBytes(Images.vigil());
        log.info("Image {}: {} MB (Debian JRE base {} MB)", Images.vigil(), bytes / 1_000_000,
                Images.sizeBytes(org.testcontainers.utility.DockerImageName.parse("vigil/jre:17")) / 1_000_000);
        // The JRE (~300 MB) and the libraries with their linux-x86_64 natives: far more means something
        // unintended was copied in.
        assertThat(bytes).isLessThan(1_500_000_000L);
    }

    private int get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
