package dev.vigil.common.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.common.net.UrlPolicy.Refusal;
import dev.vigil.common.net.UrlPolicy.RefusedException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The SSRF matrix for stream source URLs. DNS is a fixed table (no lookups leave the machine); the
 * "private sources allowed" policy stands for a deployment with cameras on the LAN, plus an operator
 * range (127.0.0.2/32) standing for the cluster's own network.
 */
class UrlPolicyTest {

    private static final Map<String, List<String>> DNS = Map.of(
            "camera.lan", List.of("192.168.1.20"),
            "metadata.attacker.example", List.of("169.254.169.254"),
            "mapped.attacker.example", List.of("::ffff:169.254.169.254"),
            "ecs.attacker.example", List.of("169.254.170.2"),
            "cluster.attacker.example", List.of("127.0.0.2"),
            "cdn.example", List.of("203.0.113.10"));
    private static final HostResolver RESOLVER = host -> {
        List<String> addresses = DNS.get(host);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        return addresses.stream().map(a -> {
            try {
                return InetAddress.getByName(a); // literals only: no DNS
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    };

    private final UrlPolicy strict = UrlPolicy.forStreamSources(false, List.of(), RESOLVER);
    private final UrlPolicy lan = UrlPolicy.forStreamSources(true, List.of("127.0.0.2/32"), RESOLVER);

    @ParameterizedTest
    @ValueSource(strings = {
        "http://169.254.169.254/latest/meta-data/",
        "rtsp://169.254.170.2/v2/credentials",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://100.100.100.200/latest/meta-data/",
        "http://192.0.0.192/opc/v2/instance/",
        "http://168.63.129.16/machine",
        "http://[::ffff:169.254.169.254]/latest/",
        "http://[::ffff:a9fe:a9fe]/latest/",
        "http://[64:ff9b::a9fe:a9fe]/latest/",
        "http://[2002:a9fe:a9fe::1]/latest/",
        "http://[::a9fe:a9fe]/latest/",
        "http://metadata.attacker.example/latest/",
        "http://mapped.attacker.example/latest/",
        "rtsp://user:pass@ecs.attacker.example/v2/credentials"})
    void cloudMetadataIsRefusedEvenWithPrivateSourcesAllowed(String url) {
        assertThatThrownBy(() -> lan.checkResolved(URI.create(url)))
                .isInstanceOfSatisfying(RefusedException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.ADDRESS))
                .hasMessageContaining("cloud metadata");
        assertThatThrownBy(() -> strict.checkResolved(URI.create(url))).isInstanceOf(RefusedException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "http://2130706433/, 127.0.0.1",
        "http://0177.0.0.1/, 127.0.0.1",
        "http://0x7f.0.0.1/, 127.0.0.1",
        "http://0x7f000001/, 127.0.0.1",
        "http://127.1/, 127.0.0.1",
        "rtsp://2852039166/, 169.254.169.254",
        "http://0251.0376.0251.0376/, 169.254.169.254",
        "http://169.254.43518/, 169.254.169.254"})
    void numericHostSpellingsAreRefusedNamingTheAddressTheyMean(String url, String means) {
        assertThatThrownBy(() -> lan.checkSyntax(url))
                .isInstanceOfSatisfying(RefusedException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.SYNTAX))
                .hasMessageContaining("not a dotted-decimal IPv4 address")
                .hasMessageContaining("would be read as " + means);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rtsp://127.0.0.1/live", "http://10.0.0.5/cam.m3u8", "rtsp://camera.lan/h264",
        "rtsp://[::1]:8554/live", "rtmp://172.16.0.9/app/key", "http://[fe80::1]/x"})
    void privateSourcesAreRefusedUnlessTheOperatorAllowsThem(String url) throws Exception {
        assertThatThrownBy(() -> strict.checkResolved(URI.create(url)))
                .isInstanceOfSatisfying(RefusedException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.ADDRESS))
                .hasMessageContaining("VIGIL_SOURCES_ALLOW_PRIVATE");

        assertThat(lan.checkResolved(URI.create(url))).isNotEmpty();
    }

    @Test
    void operatorRangesAreRefusedWithPrivateSourcesAllowed() throws Exception {
        assertThatThrownBy(() -> lan.checkResolved(URI.create("http://127.0.0.2:9092/")))
                .hasMessageContaining("refused by the operator range 127.0.0.2/32");
        assertThatThrownBy(() -> lan.checkResolved(URI.create("rtsp://cluster.attacker.example/")))
                .hasMessageContaining("resolves to 127.0.0.2");
        assertThat(lan.checkResolved(URI.create("http://127.0.0.1:8080/live.m3u8")))
                .containsExactly(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void cameraCredentialsAreAcceptedAndPublicHostsPass() throws Exception {
        assertThat(strict.checkResolved(URI.create("rtsp://admin:secret@cdn.example:554/stream1")))
                .containsExactly(InetAddress.getByName("203.0.113.10"));
    }

    @Test
    void anUnresolvableHostIsItsOwnKindOfRefusal() {
        assertThatThrownBy(() -> strict.checkResolved(URI.create("rtsp://no-such-camera.invalid/")))
                .isInstanceOfSatisfying(RefusedException.class,
                        e -> assertThat(e.refusal()).isEqualTo(Refusal.UNRESOLVABLE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "ftp://cdn.example/x.ts", "gopher://cdn.example/", "concat:a|b"})
    void onlyStreamingSchemesAreAccepted(String url) {
        assertThatThrownBy(() -> strict.checkSyntax(url)).isInstanceOf(RefusedException.class);
    }

    @Test
    void operatorRangesAreIpLiteralsNeverNames() {
        assertThat(UrlPolicy.isValidRange("10.0.0.0/8")).isTrue();
        assertThat(UrlPolicy.isValidRange("fd00::/8")).isTrue();
        assertThat(UrlPolicy.isValidRange("10.1.2.3")).isTrue();
        assertThat(UrlPolicy.isValidRange("kafka.internal/32")).isFalse();
        assertThat(UrlPolicy.isValidRange("10.0.0.0/33")).isFalse();
        assertThat(UrlPolicy.isValidRange("10.0.0.0/x")).isFalse();
    }
}
