package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.ingest.testing.IngestHarness;
import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.schemas.control.IngestState;
import dev.vigil.schemas.control.StreamStatus;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.TestKafka;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worker refuses sources that point inside the network, and says only that in the stream's
 * status. On this machine only: private sources are allowed (as for cameras on a LAN) and the
 * operator's range 127.0.0.2/32 stands for the cluster network; an "internal" server listens there
 * and must never be reached.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class SourcePolicyIT {

    static HttpServer allowed;
    static HttpServer internal;
    static final AtomicInteger internalHits = new AtomicInteger();
    static IngestHarness harness;

    @BeforeAll
    static void start(TestKafka kafka) throws Exception {
        internal = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        internal.createContext("/", exchange -> {
            internalHits.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        internal.start();
        String inside = "http://127.0.0.2:" + internal.getAddress().getPort();
        allowed = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        allowed.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body = switch (path) {
                case "/live.m3u8" -> ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\n" + inside + "/seg0.ts\n")
                        .getBytes(StandardCharsets.UTF_8);
                default -> new byte[0];
            };
            if (path.equals("/moved.ts")) {
                exchange.getResponseHeaders().add("Location", inside + "/clip.ts");
                exchange.sendResponseHeaders(302, -1);
            } else {
                exchange.sendResponseHeaders(body.length == 0 ? 404 : 200, body.length == 0 ? -1 : body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        allowed.start();
        harness = IngestHarness.create(kafka, 2, Map.of("VIGIL_SOURCES_REFUSED_ADDRESSES", "127.0.0.2/32"));
        harness.startWorker("worker-policy");
    }

    @AfterAll
    static void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
        allowed.stop(0);
        internal.stop(0);
    }

    private static String allowedUrl(String path) {
        return "http://127.0.0.1:" + allowed.getAddress().getPort() + path;
    }

    @Test
    void sourcesPointingInsideEndInErrorWithACoarseReasonAndNeverReachTheInside() {
        Map<String, String> urls = Map.of(
                "metadata", "http://169.254.169.254/latest/meta-data/",
                "mapped metadata", "rtsp://[::ffff:169.254.169.254]/live",
                "operator range", "rtsp://127.0.0.2:554/live",
                "redirect inside", allowedUrl("/moved.ts"),
                "playlist inside", allowedUrl("/live.m3u8"));
        Map<String, RtStreamSpec> streams = new java.util.LinkedHashMap<>();
        urls.forEach((name, url) -> streams.put(name, harness.put(IngestHarness.spec(url, 1))));

        streams.forEach((name, spec) -> {
            StreamStatus status = harness.awaitState(spec.getId(), IngestState.ERROR);
            assertThat(status.getReason()).as(name).isEqualTo("cannot open: source refused by policy");
            assertThat(status.getReconnects()).as(name + ": refused for good, not retried").isZero();
        });
        assertThat(internalHits).as("requests that reached the internal server").hasValue(0);
    }
}
