package dev.vigil.ws;

import static dev.vigil.testkit.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.TestKafka;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Keep-alive and limits with tight settings (ping every 200 ms, idle timeout 1 s, 3 connections,
 * 5 frames/s, 1 KiB frames, 3 strikes), on a bare HTTP server ({@link WsGatewayService#requestHandler()}).
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class LimitsIT {

    private static GatewayHarness h;

    @BeforeAll
    static void startGateway(TestKafka kafka) throws Exception {
        h = GatewayHarness.start(kafka, Map.of(
                "VIGIL_WS_PING_INTERVAL", "200ms",
                "VIGIL_WS_IDLE_TIMEOUT", "1s",
                "VIGIL_WS_MAX_CONNECTIONS", "3",
                "VIGIL_WS_INBOUND_RATE", "5",
                "VIGIL_WS_MAX_INBOUND_FRAME_BYTES", "1024",
                "VIGIL_WS_MAX_STRIKES", "3"), true);
    }

    @AfterAll
    static void stopGateway() {
        if (h != null) {
            h.close();
        }
    }

    @BeforeEach
    void noConnectionsLeft() {
        await().alias("connections of earlier tests released").until(() -> h.gateway.connections() == 0);
    }

    @Test
    void closingTheServiceClosesConnectionsWith1001AndRefusesUpgrades(TestKafka kafka) throws Exception {
        GatewayHarness own = GatewayHarness.start(kafka, Map.of());
        try {
            assertThat(own.gateway.isReady()).isTrue();
            TestSocket socket = own.connect("c-shutdown");
            own.gateway.close();
            await().alias("closed by the shutdown").until(socket::isClosed);
            assertThat(socket.closeCode()).isEqualTo((short) 1001);
            assertThat(socket.closeReason()).isEqualTo("server shutting down");
            assertThat(own.gateway.isReady()).isFalse();
            Throwable refused = catchThrowable(() -> own.connect("c-shutdown"));
            assertThat(refused).isInstanceOf(UpgradeRejectedException.class);
            assertThat(((UpgradeRejectedException) refused).getStatus()).isEqualTo(503);
        } finally {
            own.close();
        }
    }

    @Test
    void pingsKeepAResponsiveClientOpen() throws Exception {
        try (TestSocket socket = h.connect("c-ping")) {
            // Eight pings span 1.6 s, past the 1 s idle timeout: the client's automatic pongs keep it open.
            await().alias("eight pings").until(() -> socket.pings() >= 8 || socket.isClosed());
            assertThat(socket.isClosed()).isFalse();
        }
    }

    @Test
    void aSilentClientIsClosedAfterTheIdleTimeout() throws Exception {
        NetClient net = h.vertx.createNetClient();
        try {
            NetSocket socket = net.connect(h.port(), "127.0.0.1").await(10, TimeUnit.SECONDS);
            Buffer received = Buffer.buffer();
            socket.handler(chunk -> {
                synchronized (received) {
                    received.appendBuffer(chunk);
                }
            });
            // A hand-made handshake, and then nothing: no pong, ever.
            socket.write("GET /ws?ticket=" + h.tickets.issue("c-silent") + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            await().alias("close frame").until(() -> closeFrame(snapshot(received)) != null);
            Buffer all = snapshot(received);
            assertThat(all.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 101");
            Frame close = closeFrame(all);
            assertThat(close.code()).isEqualTo(1001);
            assertThat(close.reason()).startsWith("idle timeout");
            List<Frame> frames = frames(all);
            assertThat(frames.get(0).opcode()).isEqualTo(1);
            assertThat(new JsonObject(frames.get(0).text()).getString("type")).isEqualTo("connected");
            assertThat(frames).anyMatch(f -> f.opcode() == 9); // it was pinged before being given up
            assertThat(h.registry.find("vigil_ws_gateway_connections_closed").tag("reason", "idle").counter())
                    .isNotNull();
            socket.close();
        } finally {
            net.close().await();
        }
    }

    private static Buffer snapshot(Buffer received) {
        synchronized (received) {
            return received.copy();
        }
    }

    private record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int code() {
            return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }

        String reason() {
            return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
    }

    /** The server's frames (unmasked, RFC 6455 §5.2) after the handshake response; incomplete ones left out. */
    private static List<Frame> frames(Buffer all) {
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int i = text.indexOf("\r\n\r\n");
        List<Frame> frames = new ArrayList<>();
        if (i < 0) {
            return frames;
        }
        i += 4;
        while (i + 2 <= all.length()) {
            int opcode = all.getByte(i) & 0x0f;
            long length = all.getByte(i + 1) & 0x7f;
            int header = 2;
            if (length == 126) {
                if (i + 4 > all.length()) {
                    break;
                }
                length = all.getUnsignedShort(i + 2);
                header = 4;
            } else if (length == 127) {
                if (i + 10 > all.length()) {
                    break;
                }
                length = all.getLong(i + 2);
                header = 10;
            }
            if (i + header + length > all.length()) {
                break;
            }
            frames.add(new Frame(opcode, all.getBytes(i + header, (int) (i + header + length))));
            i += header + (int) length;
        }
        return frames;
    }

    private static Frame closeFrame(Buffer all) {
        return frames(all).stream().filter(f -> f.opcode() == 8).findFirst().orElse(null);
    }

    @Test
    void theConnectionLimitAnswers503AndFreesSlotsOnClose() throws Exception {
        List<TestSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                sockets.add(h.connect("c-limit"));
            }
            String ticket = h.tickets.issue("c-limit");
            Throwable refused = catchThrowable(() -> TestSocket.open(h.client, h.port(), "/ws?ticket=" + ticket));
            assertThat(refused).isInstanceOf(UpgradeRejectedException.class);
            assertThat(((UpgradeRejectedException) refused).getStatus()).isEqualTo(503);

            sockets.remove(0).close();
            await().alias("slot released").until(() -> h.gateway.connections() == 2);
            // The refused ticket was not consumed: the client may retry with the same URL.
            try (TestSocket retried = TestSocket.connect(h.client, h.port(), "/ws?ticket=" + ticket)) {
                assertThat(retried.connectionId()).startsWith("wsc-");
            }
        } finally {
            sockets.forEach(TestSocket::close);
        }
    }

    @Test
    void anOversizedFrameClosesWith1009() throws Exception {
        try (TestSocket socket = h.connect("c-big")) {
            socket.send("{\"action\":\"subscribe\",\"labels\":[\"" + "x".repeat(1_100) + "\"]}");
            await().alias("closed").until(socket::isClosed);
            assertThat(socket.closeCode()).isEqualTo((short) 1009);
            assertThat(socket.closeReason()).isEqualTo("frame larger than 1024 bytes");
        }
    }

    @Test
    void aFloodingClientIsRefusedThenClosed() throws Exception {
        try (TestSocket socket = h.connect("c-flood")) {
            for (int i = 0; i < 20; i++) {
                socket.sendQuietly("{\"action\":\"subscribe\",\"channels\":[\"alert\"]}");
            }
            await().alias("closed").until(socket::isClosed);
            assertThat(socket.closeCode()).isEqualTo((short) 1008);
            List<JsonObject> system = socket.frames("system");
            // The first second's burst (5) is served; the bucket may refill a little while the rest arrive.
            assertThat(system).filteredOn(f -> "subscribed".equals(f.getString("type"))).hasSizeGreaterThanOrEqualTo(5);
            assertThat(system).filteredOn(f -> "error".equals(f.getString("type")))
                    .allSatisfy(f -> assertThat(f.getString("message")).isEqualTo("too many frames: at most 5 per second"))
                    .hasSize(3);
        }
    }
}
