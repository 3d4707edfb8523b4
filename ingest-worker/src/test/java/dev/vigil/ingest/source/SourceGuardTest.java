package dev.vigil.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.common.net.HostResolver;
import dev.vigil.common.net.UrlPolicy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SSRF matrix of the ingest side, on this machine only: an "allowed" server on 127.0.0.1 (private
 * sources allowed, as for cameras on a LAN) and an "internal" one on 127.0.0.2, which the operator's
 * range refuses. Redirects and playlists served by the allowed server point at the internal one or at
 * cloud metadata; the internal server must never see a request, and no address outside loopback is
 * ever contacted (refused addresses are refused before connecting).
 */
class SourceGuardTest {

    private static HttpServer allowed;
    private static HttpServer internal;
    private static final AtomicInteger internalHits = new AtomicInteger();
    private static String inside;
    private static final SourceGuard guard = new SourceGuard(
            UrlPolicy.forStreamSources(true, List.of("127.0.0.2/32"), HostResolver.system()), Duration.ofSeconds(2));

    @BeforeAll
    static void start() throws IOException {
        internal = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        internal.createContext("/", exchange -> {
            internalHits.incrementAndGet();
            reply(exchange, 200, "secret");
        });
        internal.start();
        inside = "http://127.0.0.2:" + internal.getAddress().getPort();

        allowed = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        Map<String, String> playlists = Map.of(
                "/inside-segment.m3u8", "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\n" + inside + "/seg0.ts\n",
                "/metadata-segment.m3u8", "#EXTM3U\n#EXTINF:2,\nhttp://169.254.169.254/latest/meta-data/seg.ts\n",
                "/inside-key.m3u8", "#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI=\"" + inside + "/key\"\n#EXTINF:2,\nseg0.ts\n",
                "/master.m3u8", "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000\nvariant.m3u8\n",
                "/variant.m3u8", "#EXTM3U\n#EXTINF:2,\n" + inside + "/seg0.ts\n",
                "/file-segment.m3u8", "#EXTM3U\n#EXTINF:2,\nfile:///etc/passwd\n",
                "/clip.ts", "#EXTM3U\n#EXTINF:2,\n" + inside + "/seg0.ts\n",
                "/good.m3u8", "#EXTM3U\n#EXTINF:2,\nseg0.ts\n#EXTINF:2,\n/other/seg1.ts\n");
        allowed.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/to-inside")) {
                exchange.getResponseHeaders().add("Location", inside + "/admin");
                reply(exchange, 302, "");
            } else if (path.equals("/to-metadata")) {
                exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
                reply(exchange, 301, "");
            } else if (path.equals("/to-good")) {
                exchange.getResponseHeaders().add("Location", "/good.m3u8");
                reply(exchange, 302, "");
            } else if (playlists.containsKey(path)) {
                reply(exchange, 200, playlists.get(path));
            } else {
                reply(exchange, 404, "");
            }
        });
        allowed.start();
    }

    @AfterAll
    static void stop() {
        allowed.stop(0);
        internal.stop(0);
        assertThat(internalHits).as("requests that reached the internal server").hasValue(0);
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + allowed.getAddress().getPort() + path;
    }

    private static StreamSource check(String url) throws SourceException {
        return guard.check(StreamSource.parse(url, false, false));
    }

    private static void assertRefusedByPolicy(String url, String detail) {
        assertThatThrownBy(() -> check(url))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.isPermanent()).isTrue();
                    assertThat(e.publicReason()).isEqualTo("cannot open: source refused by policy");
                })
                .hasMessageContaining(detail);
    }

    @Test
    void aRedirectToARefusedAddressIsNotFollowed() {
        assertRefusedByPolicy(url("/to-inside"), "127.0.0.2");
        assertRefusedByPolicy(url("/to-metadata"), "cloud metadata");
    }

    @Test
    void aPlaylistPointingInsideIsRefused() {
        assertRefusedByPolicy(url("/inside-segment.m3u8"), "127.0.0.2");
        assertRefusedByPolicy(url("/metadata-segment.m3u8"), "169.254.169.254");
        assertRefusedByPolicy(url("/inside-key.m3u8"), "127.0.0.2");
        assertRefusedByPolicy(url("/file-segment.m3u8"), "scheme 'file'");
    }

    @Test
    void aVariantPlaylistPointingInsideIsRefused() {
        assertRefusedByPolicy(url("/master.m3u8"), "127.0.0.2");
    }

    @Test
    void aPlaylistServedUnderAnotherExtensionIsCheckedToo() {
        // FFmpeg probes the body, not the name: this ".ts" is HLS to it.
        assertRefusedByPolicy(url("/clip.ts"), "127.0.0.2");
    }

    @Test
    void metadataAndRefusedHostsAreRefusedBeforeAnyConnection() {
        assertRefusedByPolicy("http://169.254.169.254/latest/meta-data/", "cloud metadata");
        assertRefusedByPolicy("rtsp://[fd00:ec2::254]/live", "cloud metadata");
        assertRefusedByPolicy(inside + "/live.m3u8", "refused by the operator");
    }

    @Test
    void checkedRedirectsAreFollowedAndFfmpegGetsTheFinalUrl() throws Exception {
        StreamSource checked = check(url("/to-good"));

        assertThat(checked.input()).isEqualTo(url("/good.m3u8"));
        assertThat(checked.url()).isEqualTo(url("/to-good"));
    }

    @Test
    void anAllowedPlaylistPasses() throws Exception {
        assertThat(check(url("/good.m3u8")).input()).isEqualTo(url("/good.m3u8"));
    }

    @Test
    void aMissingPlaylistIsRejectedWithoutDetail() {
        assertThatThrownBy(() -> check(url("/missing.m3u8")))
                .isInstanceOfSatisfying(SourceException.class,
                        e -> assertThat(e.publicReason()).isEqualTo("cannot open: " + SourceException.REJECTED));
    }
}
