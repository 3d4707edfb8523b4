package dev.vigil.ws;

import static dev.vigil.testkit.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.auth.WsTickets;
import dev.vigil.common.ids.Ids;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.control.IndexType;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.TestKafka;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway end to end with real WebSocket clients and the real broker: the connected frame,
 * routing by {@code ws_connection_id}, subscriptions, tenant isolation, ticket checks and client
 * frame errors. One gateway for the class; every test uses its own collections and streams, so
 * tests never see each other's records.
 *
 * <p>"X did not receive R" is checked with a marker: after R has reached its intended receiver, a
 * marker addressed to X is sent; the feed hands batches to each event loop in order, so once X has
 * the marker, R would already be there had it been routed to X.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class WsGatewayIT {

    private static GatewayHarness h;

    @BeforeAll
    static void startGateway(TestKafka kafka) throws Exception {
        h = GatewayHarness.start(kafka, Map.of());
    }

    @AfterAll
    static void stopGateway() {
        if (h != null) {
            h.close();
        }
    }

    private static String tenant() {
        return "c-" + Ids.shortId().substring(0, 8);
    }

    /** A stream of {@code collection} with a scene index addressed to {@code socket}; returns [stream, index]. */
    private static String[] markerRoute(String collection, TestSocket socket) {
        String stream = Ids.rtstreamId();
        String index = Ids.shortId();
        h.stream(Records.stream(stream, collection, "marker", null));
        h.index(Records.index(index, stream, collection, IndexType.SCENE, socket.connectionId()));
        return new String[] {stream, index};
    }

    private static void sendMarker(String collection, String[] route, String text) {
        h.send(Topics.INDEX_SCENE, route[0], Records.scene(route[0], collection, route[1], text, List.of()));
    }

    @Test
    void firstFrameCarriesTheConnectionId() throws Exception {
        String collection = tenant();
        try (TestSocket socket = h.connect(collection)) {
            JsonObject hello = socket.hello();
            assertThat(hello.getString("connection_id")).matches("wsc-[0-9a-f]{16}");
            assertThat(Ids.isConnectionId(hello.getString("connection_id"))).isTrue();
            assertThat(hello.getString("channel")).isEqualTo("system");
            assertThat(hello.getString("type")).isEqualTo("connected");
            assertThat(hello.getString("collection_id")).isEqualTo(collection);
        }
    }

    @Test
    void reconnectGetsANewConnectionId() throws Exception {
        String collection = tenant();
        TestSocket first = h.connect(collection);
        String firstId = first.connectionId();
        first.close();
        await().until(first::isClosed);
        try (TestSocket second = h.connect(collection)) {
            assertThat(second.connectionId()).isNotEqualTo(firstId).matches("wsc-[0-9a-f]{16}");
        }
    }

    @Test
    void targetedAlertReachesOnlyItsConnection() throws Exception {
        String collection = tenant();
        try (TestSocket target = h.connect(collection); TestSocket other = h.connect(collection)) {
            String[] otherRoute = markerRoute(collection, other);
            String stream = Ids.rtstreamId();
            String index = Ids.shortId();
            AlertNotification alert = Records.alert(stream, collection, index, "intrusion", target.connectionId());
            h.send(Topics.ALERTS_FIRED, alert.getAlertId(), alert);

            JsonObject frame = target.awaitFrame("alert", f -> "alert".equals(f.getString("channel")));
            assertThat(frame.getString("rtstream_id")).isEqualTo(stream);
            assertThat(frame.getString("rtstream_name")).isEqualTo("Gate camera");
            assertThat(frame.getString("index_id")).isEqualTo(index);
            assertThat(frame.getJsonObject("data")).isEqualTo(new JsonObject()
                    .put("id", alert.getId())
                    .put("event_id", alert.getEventId())
                    .put("alert_id", alert.getAlertId())
                    .put("label", "intrusion")
                    .put("triggered", true)
                    .put("text", "a person at the gate")
                    .put("confidence", 0.9)
                    .put("explanation", "people >= 1")
                    .put("start", Records.START.toEpochMilli())
                    .put("end", Records.END.toEpochMilli())
                    .put("timestamp", alert.getTimestamp().toEpochMilli()));

            sendMarker(collection, otherRoute, "marker");
            other.awaitText("scene_index", "marker");
            assertThat(other.frames("alert")).isEmpty();
            assertThat(target.frames("alert")).hasSize(1);
            assertThat(h.registry.scrape()).contains("vigil_ws_gateway_frames_sent_total")
                    .contains("vigil_ws_gateway_delivery_latency_seconds_bucket");
            assertThat(h.gateway.metrics().sentCount(dev.vigil.ws.feed.Channel.ALERT)).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void indexRecordsAreRoutedByWsConnectionId() throws Exception {
        String collection = tenant();
        try (TestSocket scenes = h.connect(collection); TestSocket transcripts = h.connect(collection);
                TestSocket bystander = h.connect(collection)) {
            String stream = Ids.rtstreamId();
            String sceneIndex = Ids.shortId();
            String audioIndex = Ids.shortId();
            String transcriptIndex = Ids.shortId();
            // connect_rtstream(ws_connection_id=…): the stream's transcript goes to that socket.
            h.stream(Records.stream(stream, collection, "Lobby", transcripts.connectionId()));
            h.index(Records.index(sceneIndex, stream, collection, IndexType.SCENE, scenes.connectionId()));
            h.index(Records.index(audioIndex, stream, collection, IndexType.AUDIO, scenes.connectionId()));
            h.index(Records.index(transcriptIndex, stream, collection, IndexType.TRANSCRIPT, null));
            String[] bystanderRoute = markerRoute(collection, bystander);

            h.send(Topics.INDEX_SCENE, stream, Records.scene(stream, collection, sceneIndex, "two people", List.of("person", "motion")));
            h.send(Topics.INDEX_AUDIO, stream, Records.audio(stream, collection, audioIndex, "a siren", List.of("alarm")));
            h.send(Topics.INDEX_TRANSCRIPT, stream, Records.transcript(stream, collection, transcriptIndex, "hello there"));

            JsonObject scene = scenes.awaitText("scene_index", "two people");
            assertThat(scene).isEqualTo(new JsonObject()
                    .put("channel", "scene_index")
                    .put("rtstream_id", stream)
                    .put("rtstream_name", "Lobby")
                    .put("index_id", sceneIndex)
                    .put("data", new JsonObject()
                            .put("text", "two people")
                            .put("start", Records.START.toEpochMilli())
                            .put("end", Records.END.toEpochMilli())
                            .put("labels", new JsonArray().add("person").add("motion"))));
            JsonObject audio = scenes.awaitText("audio_index", "a siren");
            assertThat(audio.getJsonObject("data").getJsonArray("labels")).containsExactly("alarm");
            JsonObject transcript = transcripts.awaitText("transcript", "hello there");
            assertThat(transcript.getJsonObject("data")).isEqualTo(new JsonObject()
                    .put("text", "hello there")
                    .put("is_final", true)
                    .put("start", Records.START.toEpochMilli())
                    .put("end", Records.END.toEpochMilli()));
            assertThat(transcript.getString("index_id")).isEqualTo(transcriptIndex);

            sendMarker(collection, bystanderRoute, "marker");
            bystander.awaitText("scene_index", "marker");
            assertThat(bystander.frames()).hasSize(2); // connected + marker
            assertThat(scenes.frames("transcript")).isEmpty();
            assertThat(transcripts.frames("scene_index")).isEmpty();
        }
    }

    @Test
    void subscriptionsFilterAndUnsubscribeStops() throws Exception {
        String collection = tenant();
        try (TestSocket socket = h.connect(collection)) {
            String streamA = Ids.rtstreamId();
            String streamB = Ids.rtstreamId();
            String indexA = Ids.shortId();
            String indexB = Ids.shortId();
            h.stream(Records.stream(streamA, collection, "A", null));
            String[] markers = markerRoute(collection, socket);

            JsonObject ack = socket.request(new JsonObject().put("action", "subscribe")
                    .put("channels", new JsonArray().add("scene_index"))
                    .put("rtstream_ids", new JsonArray().add(streamA)), "subscribed");
            assertThat(ack.getString("subscription_id")).isEqualTo("sub-1");
            assertThat(ack.getInteger("subscriptions")).isEqualTo(1);
            JsonObject labelAck = socket.request(new JsonObject().put("action", "subscribe")
                    .put("channels", new JsonArray().add("audio_index"))
                    .put("labels", new JsonArray().add("Alarm")), "subscribed");
            assertThat(labelAck.getString("subscription_id")).isEqualTo("sub-2");

            h.send(Topics.INDEX_SCENE, streamB, Records.scene(streamB, collection, indexB, "other stream", List.of()));
            h.send(Topics.INDEX_TRANSCRIPT, streamA, Records.transcript(streamA, collection, indexA, "wrong channel"));
            h.send(Topics.INDEX_AUDIO, streamB, Records.audio(streamB, collection, indexB, "music only", List.of("music")));
            h.send(Topics.INDEX_SCENE, streamA, Records.scene(streamA, collection, indexA, "wanted scene", List.of()));
            h.send(Topics.INDEX_AUDIO, streamB, Records.audio(streamB, collection, indexB, "wanted alarm", List.of("alarm")));

            JsonObject wanted = socket.awaitText("scene_index", "wanted scene");
            assertThat(wanted.getString("rtstream_name")).isEqualTo("A");
            socket.awaitText("audio_index", "wanted alarm");
            sendMarker(collection, markers, "marker 1");
            socket.awaitText("scene_index", "marker 1");
            assertThat(texts(socket)).containsExactlyInAnyOrder("wanted scene", "wanted alarm", "marker 1");

            JsonObject removed = socket.request(new JsonObject().put("action", "unsubscribe")
                    .put("rtstream_ids", new JsonArray().add(streamA)), "unsubscribed");
            assertThat(removed.getInteger("removed")).isEqualTo(1);
            assertThat(removed.getInteger("subscriptions")).isEqualTo(1);
            h.send(Topics.INDEX_SCENE, streamA, Records.scene(streamA, collection, indexA, "after unsubscribe", List.of()));
            h.send(Topics.INDEX_AUDIO, streamB, Records.audio(streamB, collection, indexB, "still alarm", List.of("alarm")));
            socket.awaitText("audio_index", "still alarm");

            JsonObject all = socket.request(new JsonObject().put("action", "unsubscribe"), "unsubscribed");
            assertThat(all.getInteger("removed")).isEqualTo(1);
            assertThat(all.getInteger("subscriptions")).isZero();
            h.send(Topics.INDEX_AUDIO, streamB, Records.audio(streamB, collection, indexB, "no more", List.of("alarm")));
            sendMarker(collection, markers, "marker 2");
            socket.awaitText("scene_index", "marker 2");
            assertThat(texts(socket)).containsExactlyInAnyOrder("wanted scene", "wanted alarm", "marker 1",
                    "still alarm", "marker 2");
        }
    }

    private static List<String> texts(TestSocket socket) {
        return socket.frames().stream().filter(f -> f.getJsonObject("data") != null)
                .map(f -> f.getJsonObject("data").getString("text")).toList();
    }

    @Test
    void aSubscriptionNeverSeesAnotherTenant() throws Exception {
        String alpha = tenant();
        String beta = tenant();
        try (TestSocket a = h.connect(alpha); TestSocket b = h.connect(beta)) {
            String betaStream = Ids.rtstreamId();
            String betaIndex = Ids.shortId();
            String betaIndexForB = Ids.shortId();
            String alphaStream = Ids.rtstreamId();
            h.stream(Records.stream(betaStream, beta, "beta cam", a.connectionId()));
            // Beta's control plane names alpha's connection: an id is not a capability across tenants.
            h.index(Records.index(betaIndex, betaStream, beta, IndexType.SCENE, a.connectionId()));
            h.index(Records.index(betaIndexForB, betaStream, beta, IndexType.SCENE, b.connectionId()));
            String[] alphaMarkers = markerRoute(alpha, a);

            a.request(new JsonObject().put("action", "subscribe"), "subscribed"); // everything
            a.request(new JsonObject().put("action", "subscribe")
                    .put("rtstream_ids", new JsonArray().add(betaStream)), "subscribed");
            b.request(new JsonObject().put("action", "subscribe"), "subscribed");

            h.send(Topics.INDEX_SCENE, betaStream, Records.scene(betaStream, beta, betaIndex, "beta scene", List.of()));
            h.send(Topics.INDEX_TRANSCRIPT, betaStream, Records.transcript(betaStream, beta, betaIndex, "beta words"));
            AlertNotification betaAlert = Records.alert(betaStream, beta, betaIndex, "beta alert", a.connectionId());
            h.send(Topics.ALERTS_FIRED, betaAlert.getAlertId(), betaAlert);
            // A record of alpha produced through an index of beta addressed to b must not reach b.
            h.send(Topics.INDEX_SCENE, alphaStream, Records.scene(alphaStream, alpha, betaIndexForB, "alpha via beta index", List.of()));

            b.awaitText("scene_index", "beta scene");
            b.awaitText("transcript", "beta words");
            b.awaitFrame("beta alert", f -> "alert".equals(f.getString("channel")));
            a.awaitText("scene_index", "alpha via beta index"); // a's own tenant, via its subscription
            sendMarker(alpha, alphaMarkers, "alpha marker");
            a.awaitText("scene_index", "alpha marker");

            assertThat(a.frames()).noneMatch(f -> betaStream.equals(f.getString("rtstream_id")));
            assertThat(a.frames("alert")).isEmpty();
            assertThat(texts(b)).doesNotContain("alpha via beta index");
        }
    }

    @Test
    void badTicketsAreRejectedBeforeTheUpgrade() throws Exception {
        String collection = tenant();
        WsTickets forger = new WsTickets("another-secret-0123456789-abcdefghijkl".getBytes(), Duration.ofSeconds(60),
                Clock.systemUTC());
        WsTickets past = new WsTickets(GatewayHarness.SECRET, Duration.ofSeconds(1),
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-5)));
        assertThat(rejectedStatus("/ws")).isEqualTo(401);
        assertThat(rejectedStatus("/ws?ticket=")).isEqualTo(401);
        assertThat(rejectedStatus("/ws?ticket=not-a-ticket")).isEqualTo(401);
        assertThat(rejectedStatus("/ws?ticket=" + forger.issue(collection))).isEqualTo(401);
        assertThat(rejectedStatus("/ws?ticket=" + past.issue(collection))).isEqualTo(401);

        String ticket = h.tickets.issue(collection);
        try (TestSocket first = TestSocket.connect(h.client, h.port(), "/ws?ticket=" + ticket)) {
            assertThat(first.connectionId()).startsWith("wsc-");
            assertThat(rejectedStatus("/ws?ticket=" + ticket)).isEqualTo(403);
        }

        HttpClient http = h.vertx.createHttpClient();
        try {
            // Status and body read in one chain: a body asked for later could already be gone.
            Map.Entry<Integer, JsonObject> plain = http.request(HttpMethod.GET, h.port(), "127.0.0.1",
                            "/ws?ticket=" + h.tickets.issue(collection))
                    .compose(HttpClientRequest::send)
                    .compose(r -> r.body().map(b -> Map.entry(r.statusCode(), b.toJsonObject())))
                    .await(10, TimeUnit.SECONDS);
            assertThat(plain.getKey()).isEqualTo(426);
            JsonObject body = plain.getValue();
            assertThat(body.getBoolean("success")).isFalse();
            assertThat(body.getString("error_code")).isEqualTo("upgrade_required");
        } finally {
            http.close().await();
        }
        String metrics = h.registry.scrape();
        assertThat(metrics).contains("reason=\"ticket_missing\"").contains("reason=\"ticket_bad_signature\"")
                .contains("reason=\"ticket_expired\"").contains("reason=\"ticket_reused\"")
                .contains("reason=\"ticket_malformed\"");
    }

    private static int rejectedStatus(String uri) {
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> TestSocket.open(h.client, h.port(), uri));
        assertThat(failure).as("upgrade of " + uri).isInstanceOf(UpgradeRejectedException.class);
        return ((UpgradeRejectedException) failure).getStatus();
    }

    @Test
    void malformedClientFramesGetErrorFramesThenAClose() throws Exception {
        try (TestSocket socket = h.connect(tenant())) {
            JsonObject notJson = socket.request(new JsonObject(), "error"); // '{}' has no action
            assertThat(notJson.getString("message")).contains("'action' is required");
            JsonObject error = socket.request("this is not json", "error");
            assertThat(error.getString("channel")).isEqualTo("system");
            assertThat(error.getString("message")).contains("not JSON");
            JsonObject unknown = socket.request(new JsonObject().put("action", "subscribe")
                    .put("channel", new JsonArray().add("alert")), "error");
            assertThat(unknown.getString("message")).contains("unknown field 'channel'");
            JsonObject badChannel = socket.request(new JsonObject().put("action", "subscribe")
                    .put("channels", new JsonArray().add("video")), "error");
            assertThat(badChannel.getString("message")).contains("transcript, scene_index, audio_index, alert");
            // Still usable after refused frames.
            socket.request(new JsonObject().put("action", "subscribe"), "subscribed");
            assertThat(socket.isClosed()).isFalse();

            socket.send("[1, 2, 3]"); // fifth refusal: VIGIL_WS_MAX_STRIKES defaults to 5
            await().alias("closed for abuse").until(socket::isClosed);
            assertThat(socket.closeCode()).isEqualTo((short) 1008);
            assertThat(socket.closeReason()).startsWith("too many refused frames");
        }
    }
}
