package dev.vigil.ws;

import static dev.vigil.testkit.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.ids.Ids;
import dev.vigil.schemas.Topics;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.TestKafka;
import dev.vigil.ws.TestSocket.Received;
import dev.vigil.ws.feed.Channel;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backpressure with real sockets: a reader that stops reading (its socket paused, so TCP fills up)
 * next to one that reads, both subscribed to the same stream of large scene records, both on the
 * gateway's single event loop (one HTTP server) and fed by the same feed thread, which is the
 * hardest case for isolation.
 *
 * <p>Records are 32 KB; the gateway lets a connection fall 2 MiB behind (64 records, so a loaded
 * machine's scheduling hiccups do not count as slowness) and closes it after 3 s of overflow. Latency is compared between phases of the same run, never against a
 * fixed number of milliseconds.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class SlowClientIT {

    private static final Logger log = LoggerFactory.getLogger(SlowClientIT.class);
    private static final String PADDING = "x".repeat(32_000);
    private static final int MEASURED = 50;

    private static GatewayHarness h;
    /** A client whose sockets have a small receive buffer, so a paused one fills up quickly. */
    private static WebSocketClient smallBuffers;

    @BeforeAll
    static void startGateway(TestKafka kafka) throws Exception {
        h = GatewayHarness.start(kafka, Map.of("VIGIL_WS_SLOW_CLIENT_TIMEOUT", "3s", "VIGIL_WS_WRITE_QUEUE_BYTES", "2097152"));
        smallBuffers = h.vertx.createWebSocketClient(new WebSocketClientOptions().setReceiveBufferSize(16_384));
    }

    @AfterAll
    static void stopGateway() {
        if (h != null) {
            h.close();
        }
    }

    /** A stalled socket of an earlier test lingers until the gateway cuts it; the metrics must see only ours. */
    @BeforeEach
    void noConnectionsLeft() {
        await().alias("connections of earlier tests released").until(() -> h.gateway.connections() == 0);
    }

    /** Sends scene records numbered from {@code first}, remembering when each was sent. */
    private static void sendScenes(String collection, String stream, String index, int first, int count,
            Map<Integer, Long> sentAt) {
        for (int seq = first; seq < first + count; seq++) {
            sentAt.put(seq, System.nanoTime());
            h.send(Topics.INDEX_SCENE, stream, Records.scene(stream, collection, index, seq + " " + PADDING, List.of()));
        }
    }

    private static int seq(JsonObject frame) {
        String text = frame.getJsonObject("data").getString("text");
        return Integer.parseInt(text.substring(0, text.indexOf(' ')));
    }

    /** Median delivery latency (ms) to {@code socket} of the records numbered {@code [first, first+count)}. */
    private static double medianMillis(TestSocket socket, Map<Integer, Long> sentAt, int first, int count) {
        List<Long> latencies = new ArrayList<>();
        for (Received r : socket.received()) {
            if ("scene_index".equals(r.json().getString("channel"))) {
                int seq = seq(r.json());
                if (seq >= first && seq < first + count) {
                    latencies.add(r.nanos() - sentAt.get(seq));
                }
            }
        }
        assertThat(latencies).hasSize(count);
        Collections.sort(latencies);
        return latencies.get(count / 2) / 1e6;
    }

    private static List<Integer> sequence(TestSocket socket) {
        return socket.frames("scene_index").stream().map(SlowClientIT::seq).toList();
    }

    private static TestSocket subscribed(WebSocketClient client, String collection, String stream) throws Exception {
        TestSocket socket = TestSocket.connect(client, h.port(), "/ws?ticket=" + h.tickets.issue(collection));
        socket.request(new JsonObject().put("action", "subscribe").put("rtstream_ids", new JsonArray().add(stream)),
                "subscribed");
        return socket;
    }

    @Test
    void aStalledReaderDoesNotDelayAFastReader() throws Exception {
        String collection = "c-" + Ids.shortId().substring(0, 8);
        String stream = Ids.rtstreamId();
        String index = Ids.shortId();
        Map<Integer, Long> sentAt = new ConcurrentHashMap<>();
        try (TestSocket fast = subscribed(h.client, collection, stream);
                TestSocket stalled = subscribed(smallBuffers, collection, stream)) {
            // Phase 1: both read.
            sendScenes(collection, stream, index, 0, MEASURED, sentAt);
            await().until(() -> fast.frames("scene_index").size() == MEASURED
                    && stalled.frames("scene_index").size() == MEASURED);
            double before = medianMillis(fast, sentAt, 0, MEASURED);

            // The stalled reader stops reading; records flow until the gateway drops frames for it.
            stalled.pause();
            double droppedBefore = h.gateway.metrics().droppedCount(Channel.SCENE_INDEX);
            int[] next = {MEASURED};
            await().alias("gateway drops frames for the stalled reader").until(() -> {
                sendScenes(collection, stream, index, next[0], 20, sentAt);
                next[0] += 20;
                return h.gateway.metrics().droppedCount(Channel.SCENE_INDEX) > droppedBefore;
            });
            int fillEnd = next[0];

            // Phase 2: the stalled reader's queue is full and it is losing frames.
            sendScenes(collection, stream, index, fillEnd, MEASURED, sentAt);
            int total = fillEnd + MEASURED;
            await().alias("fast reader has every record").until(() -> fast.frames("scene_index").size() == total);
            double during = medianMillis(fast, sentAt, fillEnd, MEASURED);
            log.info("Fast reader median latency: {} ms with both reading, {} ms while the other is stalled and dropped "
                    + "({} records to fill the stalled reader's buffers)", before, during, fillEnd - MEASURED);

            assertThat(sequence(fast)).as("fast reader gets every record, in order")
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, total).boxed().toList());
            assertThat(stalled.frames("scene_index").size()).isLessThan(total);
            assertThat(h.gateway.metrics().droppedCount(Channel.SCENE_INDEX)).isGreaterThan(droppedBefore);
            // Relative, not absolute: a stalled neighbour must not make the fast reader markedly slower.
            assertThat(during).as("median latency while the other reader is stalled vs before (ms)")
                    .isLessThanOrEqualTo(10 * Math.max(before, 1.0));
        }
    }

    /** Pauses {@code stalled} and sends records until the gateway has decided to close it as too slow. */
    private static int stallUntilClosing(TestSocket stalled, String collection, String stream, String index) {
        double closesBefore = slowClientCloses();
        stalled.pause();
        int[] next = {0};
        await().alias("gateway closes the stalled reader").until(() -> {
            sendScenes(collection, stream, index, next[0], 20, new ConcurrentHashMap<>());
            next[0] += 20;
            return slowClientCloses() > closesBefore;
        });
        return next[0];
    }

    private static double slowClientCloses() {
        var counter = h.registry.find("vigil_ws_gateway_connections_closed").tag("reason", "slow_client").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aReaderThatFallsTooFarBehindIsClosedWith1013() throws Exception {
        String collection = "c-" + Ids.shortId().substring(0, 8);
        String stream = Ids.rtstreamId();
        String index = Ids.shortId();
        try (TestSocket fast = subscribed(h.client, collection, stream);
                TestSocket slow = subscribed(smallBuffers, collection, stream)) {
            int sent = stallUntilClosing(slow, collection, stream, index);
            // It reads again within the grace period: it gets what was queued, then the close frame.
            slow.resume();
            await().alias("slow reader sees the close frame").until(slow::isClosed);
            assertThat(slow.closeCode()).isEqualTo((short) 1013);
            assertThat(slow.closeReason()).startsWith("client too slow:").endsWith("frames dropped");
            assertThat(slow.frames("scene_index").size()).isLessThan(sent);
            await().until(() -> fast.frames("scene_index").size() == sent);
            assertThat(fast.isClosed()).isFalse();
        }
    }

    @Test
    void aReaderThatNeverReadsAgainIsCutOff() throws Exception {
        String collection = "c-" + Ids.shortId().substring(0, 8);
        String stream = Ids.rtstreamId();
        String index = Ids.shortId();
        try (TestSocket fast = subscribed(h.client, collection, stream);
                TestSocket stalled = subscribed(smallBuffers, collection, stream)) {
            stallUntilClosing(stalled, collection, stream, index);
            // The close frame cannot get through; after the grace period the TCP connection is cut.
            await().alias("gateway released the stalled connection").until(() -> h.gateway.connections() == 1);
            stalled.resume();
            await().alias("stalled reader notices").until(stalled::isClosed);
            assertThat(fast.isClosed()).isFalse();
        }
    }
}
