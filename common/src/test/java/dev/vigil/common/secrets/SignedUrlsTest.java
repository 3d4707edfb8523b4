package dev.vigil.common.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.common.secrets.SignedUrls.InvalidSignatureException;
import dev.vigil.common.secrets.SignedUrls.Refusal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignedUrlsTest {

    private static final SecretKeys KEYS = SecretKeys.of(List.of("k1=material-one-0123456789abcdefghijklmnop"));
    private static final SecretKeys ROTATED = SecretKeys.of(List.of("k2=material-two-0123456789abcdefghijklmnop",
            "k1=material-one-0123456789abcdefghijklmnop"));
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    private static Map<String, String> parse(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    private static SignedUrls at(SecretKeys keys, Instant now) {
        return new SignedUrls(keys, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aSignedUrlVerifiesUntilItExpires() throws Exception {
        String query = at(KEYS, NOW).sign("/play/rts-1/stream.m3u8", Map.of("start", "1", "end", "2 & more"), Duration.ofMinutes(5));
        Map<String, String> params = parse(query);
        assertThat(params).containsEntry("start", "1").containsEntry("end", "2 & more").containsEntry("kid", "k1");
        assertThat(at(KEYS, NOW.plusSeconds(299)).verify("/play/rts-1/stream.m3u8", params))
                .isEqualTo(NOW.plusSeconds(300));
        assertThatThrownBy(() -> at(KEYS, NOW.plusSeconds(300)).verify("/play/rts-1/stream.m3u8", params))
                .isInstanceOfSatisfying(InvalidSignatureException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.EXPIRED));
    }

    @Test
    void anyChangeToPathOrParametersBreaksTheSignature() {
        Map<String, String> params = parse(at(KEYS, NOW).sign("/play/rts-1/stream.m3u8", Map.of("start", "1"), Duration.ofMinutes(5)));
        SignedUrls verifier = at(KEYS, NOW);
        for (Map<String, String> altered : List.of(with(params, "start", "0"), with(params, "exp", "9999999999"),
                with(params, "extra", "x"), with(params, "kid", "nope"), with(params, "sig", params.get("sig").replace('A', 'B') + "x"))) {
            assertThatThrownBy(() -> verifier.verify("/play/rts-1/stream.m3u8", altered))
                    .isInstanceOf(InvalidSignatureException.class);
        }
        assertThatThrownBy(() -> verifier.verify("/play/rts-2/stream.m3u8", params))
                .isInstanceOfSatisfying(InvalidSignatureException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.BAD_SIGNATURE));
        Map<String, String> missing = new LinkedHashMap<>(params);
        missing.remove("sig");
        assertThatThrownBy(() -> verifier.verify("/play/rts-1/stream.m3u8", missing))
                .isInstanceOfSatisfying(InvalidSignatureException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.MALFORMED));
    }

    @Test
    void urlsSignedBeforeARotationStillVerifyAndOtherDeploymentsKeysDoNot() throws Exception {
        Map<String, String> old = parse(at(KEYS, NOW).sign("/p", Map.of(), Duration.ofMinutes(5)));
        assertThat(at(ROTATED, NOW).verify("/p", old)).isNotNull();
        Map<String, String> fresh = parse(at(ROTATED, NOW).sign("/p", Map.of(), Duration.ofMinutes(5)));
        assertThat(fresh).containsEntry("kid", "k2");
        SecretKeys other = SecretKeys.of(List.of("k1=another-deployment-0123456789abcdefghijkl"));
        assertThatThrownBy(() -> at(other, NOW).verify("/p", old)).isInstanceOf(InvalidSignatureException.class);
    }

    private static Map<String, String> with(Map<String, String> params, String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(params);
        copy.put(name, value);
        return copy;
    }
}
