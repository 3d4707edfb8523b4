package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.deploy.containers.AlertSocket;
import dev.vigil.deploy.containers.DemoClips;
import dev.vigil.deploy.containers.HostServers;
import dev.vigil.deploy.containers.KafkaCluster;
import dev.vigil.deploy.containers.SeedFlow;
import dev.vigil.deploy.containers.StackEnv;
import dev.vigil.deploy.containers.VigilApi;
import dev.vigil.deploy.containers.VigilContainer;
import dev.vigil.deploy.containers.WebhookReceiver;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.alerts.AlertNotification;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.Network;
import org.testcontainers.lifecycle.Startables;

/**
 * Vigil distributed as in production, every service in its own container of Vigil's image on a
 * three-broker KRaft cluster (replication factor 3, {@code min.insync.replicas} 2), with two instances of
 * ingest-worker, webhook-dispatcher and ws-gateway. The seed flow, set up over REST as VideoDB's SDK does
 * (a stream from a recording served over HTTP, a transcript and an audio index, the event "intruder" and an
 * alert with a webhook), gets its alerts by webhook and by WebSocket. Then one broker and one instance of
 * each doubled service are killed at once (SIGKILL): the stream is re-owned by the other worker, the
 * alerts keep coming on both channels, the WebSocket clients of the dead gateway reconnect to the other,
 * and every notification the alert-router wrote reaches the webhook (duplicates counted, none lost).
 * The fail-over timings are logged and written to {@code target/cluster-failover.txt}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverIT {

    private static final Logger log = LoggerFactory.getLogger(ClusterFailoverIT.class);
    private static final int BROKERS = 3;
    private static final int PARTITIONS = 4;
    /** The demo clip says "intruder" once per 20 s loop. */
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final Duration STREAM_TIME = Duration.ofMinutes(10);

    private final Map<String, Duration> timings = new LinkedHashMap<>();
    private final WebhookReceiver receiver = new WebhookReceiver();
    private final List<AlertSocket> sockets = new ArrayList<>();
    private Network network;
    private KafkaCluster kafka;
    private HostServers host;
    private VigilContainer controlApi;
    private final List<VigilContainer> ingestWorkers = new ArrayList<>();
    private final List<VigilContainer> dispatchers = new ArrayList<>();
    private final List<VigilContainer> gateways = new ArrayList<>();
    private final List<VigilContainer> all = new ArrayList<>();
    private VigilApi api;
    private String rtstreamId;
    private String alertId;

    @BeforeAll
    void startTheClusterAndEveryService() throws Exception {
        network = Network.newNetwork();
        Path media = Path.of("target", "cluster-media").toAbsolutePath();
        DemoClips.looped(media, (int) (STREAM_TIME.toSeconds() / 20));
        host = new HostServers(network).start(media, receiver);

        long started = System.nanoTime();
        kafka = new KafkaCluster(network, BROKERS).start();
        timings.put("3 brokers started", since(started));

        Map<String, String> env = StackEnv.of(kafka.internalBootstrapServers(), PARTITIONS, BROKERS);
        // The stream source and the webhook endpoint are this machine, a private address on the containers' network.
        env.put("VIGIL_SOURCES_ALLOW_PRIVATE", "true");
        env.put("VIGIL_API_ALLOW_PRIVATE_CALLBACKS", "true");
        env.put("VIGIL_WEBHOOK_ALLOW_PRIVATE_CALLBACKS", "true");
        // The recording is read at its own pace, like a live camera.
        env.put("VIGIL_INGEST_PACING", "all");
        // Short retry tiers: a delivery that failed while a broker or a dispatcher died is retried within seconds.
        env.put("VIGIL_WEBHOOK_RETRY_SCHEDULE", "1s,2s,5s,10s");

        started = System.nanoTime();
        try (VigilContainer topics = VigilContainer.command("vigil-topics", "topics").withNetwork(network).withEnv(env)) {
            topics.start();
        }
        timings.put("topics created (vigil topics)", since(started));

        controlApi = service("control-api", "control-api", env);
        for (int i = 1; i <= 2; i++) {
            ingestWorkers.add(service("ingest-worker", "ingest-worker-" + i, env).heap("384m"));
            dispatchers.add(service("webhook-dispatcher", "webhook-dispatcher-" + i, env));
            gateways.add(service("ws-gateway", "ws-gateway-" + i, env));
        }
        service("indexer-streams", "indexer-streams", env).heap("640m");
        service("alert-router", "alert-router", env);
        started = System.nanoTime();
        Startables.deepStart(all).join();
        timings.put("9 service containers ready", since(started));

        api = new VigilApi(controlApi.httpUrl(), StackEnv.API_KEY);
        List<String> gatewayUrls = gateways.stream().map(g -> "ws://" + g.getHost() + ":" + g.getMappedPort(VigilContainer.HTTP_PORT)).toList();
        for (int i = 0; i < 4; i++) {
            // Two clients on each gateway.
            sockets.add(new AlertSocket("client-" + i, () -> api.get("/collection/default/websocket").getString("websocket_url"),
                    gatewayUrls, i % 2).open());
        }
        Awaitility.await("every WebSocket client connected").atMost(Duration.ofSeconds(60))
                .until(() -> sockets.stream().allMatch(s -> !s.connects().isEmpty()));
    }

    private VigilContainer service(String service, String instance, Map<String, String> env) {
        VigilContainer container = VigilContainer.service(service, instance).withNetwork(network).withEnv(env);
        all.add(container);
        return container;
    }

    @AfterAll
    void stopEverything() throws Exception {
        sockets.forEach(AlertSocket::close);
        log.info("Cluster fail-over timings:\n{}", describeTimings());
        if (!timings.isEmpty()) {
            Files.writeString(Path.of("target", "cluster-failover.txt"), describeTimings());
        }
        all.forEach(VigilContainer::stop);
        if (kafka != null) {
            kafka.close();
        }
        if (host != null) {
            host.close();
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    @Order(1)
    void theSeedFlowGetsItsAlertsByWebhookAndWebSocket() {
        long started = System.nanoTime();
        String url = host.baseUrlForContainers() + "/media/warehouse-" + STREAM_TIME.toSeconds() / 20 + "x.mp4";
        SeedFlow.Created flow = SeedFlow.setUp(api, "Warehouse camera (cluster)", url, host.baseUrlForContainers() + "/webhook");
        rtstreamId = flow.rtstreamId();
        alertId = flow.alertId();
        receiver.secret(flow.webhookSecret());

        Awaitility.await("the first alert by webhook").atMost(PATIENCE).until(() -> !receiver.notificationIds().isEmpty());
        timings.put("seed flow set up -> first webhook", since(started));
        Awaitility.await("an alert on every WebSocket client").atMost(PATIENCE)
                .until(() -> sockets.stream().allMatch(s -> !s.alerts().isEmpty()));
        Awaitility.await("a second alert by webhook").atMost(PATIENCE).until(() -> receiver.notificationIds().size() >= 2);

        assertThat(receiver.rejected()).as("deliveries whose signature did not verify").isZero();
        assertThat(receiver.accepted()).allSatisfy(d -> {
            assertThat(d.payload().getString("alert_id")).isEqualTo(alertId);
            assertThat(d.payload().getString("rtstream_id")).isEqualTo(rtstreamId);
            assertThat(d.payload().getString("label")).isEqualTo(SeedFlow.LABEL);
        });
        assertThat(sockets).allSatisfy(s -> assertThat(s.alerts()).allSatisfy(a ->
                assertThat(a.frame().getJsonObject("data").getString("alert_id")).isEqualTo(alertId)));
    }

    @Test
    @Order(2)
    void survivesLosingABrokerAndOneInstanceOfEachDoubledServiceAtOnce() {
        String owner = Awaitility.await("the stream connected").atMost(PATIENCE).until(this::ingestState,
                s -> "connected".equals(s.getString("state"))).getString("worker_id");
        VigilContainer deadWorker = ingestWorkers.stream().filter(w -> w.instance().equals(owner)).findFirst()
                .orElseThrow(() -> new AssertionError("the stream's owner " + owner + " is none of " + ingestWorkers));
        String survivor = ingestWorkers.stream().map(VigilContainer::instance).filter(i -> !i.equals(owner)).findFirst().orElseThrow();
        VigilContainer deadGateway = gateways.get(0);
        String deadGatewayUrl = "ws://" + deadGateway.getHost() + ":" + deadGateway.getMappedPort(VigilContainer.HTTP_PORT);
        List<AlertSocket> orphaned = sockets.stream().filter(s -> deadGatewayUrl.equals(s.gateway())).toList();
        assertThat(orphaned).as("clients on the gateway to kill").isNotEmpty();

        Instant killed = Instant.now();
        long started = System.nanoTime();
        kafka.kill(2);
        deadWorker.kill();
        dispatchers.get(0).kill();
        deadGateway.kill();
        log.info("Killed kafka-2, {} (owner of {}), {} and {}", owner, rtstreamId, dispatchers.get(0).instance(), deadGateway.instance());

        Awaitility.await("the WebSocket clients of the dead gateway reconnected").atMost(PATIENCE)
                .until(() -> orphaned.stream().allMatch(s -> s.connects().stream().anyMatch(c -> c.isAfter(killed))));
        timings.put("kill -> orphaned WebSocket clients reconnected", since(started));
        // While partition leaders move, control-api may answer 503 "retry later" (its read barrier timed out): retry, as a client would.
        Awaitility.await("the stream re-owned by " + survivor).atMost(PATIENCE)
                .ignoreExceptionsInstanceOf(IllegalStateException.class).until(this::ingestState,
                s -> survivor.equals(s.getString("worker_id")) && "connected".equals(s.getString("state")));
        timings.put("kill -> stream connected on the other worker", since(started));
        Awaitility.await("an alert by webhook after the kill").atMost(PATIENCE).until(() -> !receiver.after(killed).isEmpty());
        timings.put("kill -> next webhook delivered", since(started));
        Awaitility.await("an alert on every WebSocket client after the kill").atMost(PATIENCE)
                .until(() -> sockets.stream().allMatch(s -> s.alerts().stream().anyMatch(a -> a.receivedAt().isAfter(killed))));
        timings.put("kill -> every WebSocket client got an alert again", since(started));
        Awaitility.await("alerts keep coming: a second one after the kill").atMost(PATIENCE)
                .until(() -> receiver.after(killed).stream().map(WebhookReceiver.Delivery::notificationId).distinct().count() >= 2);

        assertThat(orphaned).allSatisfy(s -> assertThat(s.gateway()).isNotEqualTo(deadGatewayUrl));
    }

    @Test
    @Order(3)
    void everyNotificationTheRouterWroteReachedTheWebhook() {
        Set<String> written = notificationsWritten();
        assertThat(written).as("notifications in %s", Topics.ALERTS_FIRED.name(Topics.DEFAULT_PREFIX)).hasSizeGreaterThanOrEqualTo(4);
        long started = System.nanoTime();
        Awaitility.await("every notification delivered").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(receiver.notificationIds()).containsAll(written));
        timings.put("check: every written notification delivered (waited)", since(started));
        log.info("{} notifications written, {} delivered, {} duplicate deliveries", written.size(),
                receiver.notificationIds().size(), receiver.duplicates());
        timings.put("notifications written / delivered / duplicates: " + written.size() + " / "
                + receiver.notificationIds().size() + " / " + receiver.duplicates(), Duration.ZERO);
    }

    /** The ids of this alert's notifications in vigil.alerts.fired, read from the surviving brokers. */
    private Set<String> notificationsWritten() {
        String topic = Topics.ALERTS_FIRED.name(Topics.DEFAULT_PREFIX);
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Set<String> ids = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    AlertNotification n = Topics.ALERTS_FIRED.valueSerde().deserializer().deserialize(topic, record.value());
                    if (alertId.equals(n.getAlertId())) {
                        ids.add(n.getId());
                    }
                }
            }
        }
        return ids;
    }

    private JsonObject ingestState() {
        return api.get("/rtstream/" + rtstreamId).getJsonObject("ingest", new JsonObject());
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }

    private String describeTimings() {
        return timings.entrySet().stream()
                .map(e -> e.getValue().isZero() ? e.getKey() : String.format("%-55s %6.1f s", e.getKey(), e.getValue().toMillis() / 1000.0))
                .collect(Collectors.joining("\n", "", "\n"));
    }
}
