package dev.vigil.common.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.vigil.common.auth.InvalidTicketException.Reason;
import dev.vigil.common.auth.WsTickets.Ticket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class WsTicketsTest {

    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(30);
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final MutableClock clock = new MutableClock(T0);
    private final WsTickets tickets = new WsTickets(SECRET, TTL, clock);

    @Test
    void roundTripsTheCollectionExpiryAndNonce() throws Exception {
        String token = tickets.issue("default");

        Ticket ticket = tickets.verify(token);

        assertThat(ticket.collectionId()).isEqualTo("default");
        assertThat(ticket.expiresAt()).isEqualTo(T0.plus(TTL));
        assertThat(ticket.nonce()).matches("[A-Za-z0-9_-]{22}");
    }

    @Test
    void roundTripsANonAsciiCollectionId() throws Exception {
        String cid = "caméra-東京-" + "x".repeat(200);

        assertThat(tickets.verify(tickets.issue(cid)).collectionId()).isEqualTo(cid);
    }

    @Test
    void tokenIsUrlSafeAndNeedsNoEscaping() {
        String token = tickets.issue("default");

        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}");
        assertThat(URI.create("ws://gw:8080/ws?ticket=" + token).getQuery()).isEqualTo("ticket=" + token);
    }

    @Test
    void everyTicketHasItsOwnNonce() throws Exception {
        List<String> nonces = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            nonces.add(tickets.verify(tickets.issue("default")).nonce());
        }
        assertThat(nonces).doesNotHaveDuplicates();
    }

    @Test
    void roundsTheExpiryUpToWholeSecondsSoTicketsNeverLiveShorterThanTheTtl() throws Exception {
        Clock midSecond = Clock.fixed(T0.plusMillis(400), java.time.ZoneOffset.UTC);
        WsTickets t = new WsTickets(SECRET, TTL, midSecond);

        assertThat(t.verify(t.issue("default")).expiresAt()).isEqualTo(T0.plusSeconds(31));
    }

    @Test
    void refusesATamperedPayload() {
        String token = tickets.issue("default");
        String other = tickets.issue("secret-collection");
        // Splice another genuine payload onto this signature.
        String spliced = other.substring(0, other.indexOf('.')) + token.substring(token.indexOf('.'));

        assertReason(spliced, Reason.BAD_SIGNATURE);
        assertReason(flipChar(token, 5), Reason.BAD_SIGNATURE);
    }

    @Test
    void refusesATamperedSignature() {
        String token = tickets.issue("default");

        assertReason(flipChar(token, token.length() - 10), Reason.BAD_SIGNATURE);
        // The last char of a 32-byte MAC carries 4 unused bits: an alternative spelling is still refused.
        assertReason(flipChar(token, token.length() - 1), Reason.BAD_SIGNATURE);
    }

    @Test
    void refusesATicketSignedWithAnotherSecret() {
        WsTickets other = new WsTickets(WsTickets.randomSecret(), TTL, clock);

        assertReason(other.issue("default"), Reason.BAD_SIGNATURE);
    }

    @Test
    void acceptsUntilJustBeforeExpiryThenRefusesAsExpired() throws Exception {
        String token = tickets.issue("default");

        clock.advance(TTL.minusMillis(1));
        assertThat(tickets.verify(token).collectionId()).isEqualTo("default");

        clock.advance(Duration.ofMillis(1));
        assertReason(token, Reason.EXPIRED);
    }

    @Test
    void anotherInstanceWithTheSameSecretVerifies() throws Exception {
        // control-api issues, ws-gateway verifies: they share only the secret.
        WsTickets gateway = new WsTickets(SECRET.clone(), Duration.ofSeconds(5), clock);

        assertThat(gateway.verify(tickets.issue("default")).collectionId()).isEqualTo("default");
    }

    @Test
    void refusesAGenuinelySignedPayloadOfAnotherVersionOrShape() {
        assertReason(signRaw(payload((byte) 2, 0, 10, "default")), Reason.MALFORMED);
        assertReason(signRaw(new byte[] {1, 2, 3}), Reason.MALFORMED);
        byte[] lengthMismatch = payload((byte) 1, T0.getEpochSecond(), T0.getEpochSecond() + 10, "default");
        lengthMismatch[33] = 50;
        assertReason(signRaw(lengthMismatch), Reason.MALFORMED);
        byte[] badUtf8 = payload((byte) 1, T0.getEpochSecond(), T0.getEpochSecond() + 10, "ab");
        badUtf8[34] = (byte) 0xC3; // a lone UTF-8 lead byte
        badUtf8[35] = (byte) 0x28;
        assertReason(signRaw(badUtf8), Reason.MALFORMED);
        assertReason(signRaw(payload((byte) 1, 0, Long.MAX_VALUE, "default")), Reason.MALFORMED);
        assertReason(signRaw(payload((byte) 1, 100, 50, "default")), Reason.MALFORMED);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {".", "..", "a.", ".a", "a.b.c", "abc", "a b.c", "YQ.YQ", "%2e%2e",
        "abc.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP+", "abc.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP=",
        "é.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ"})
    void refusesJunkAsMalformed(String junk) {
        assertReason(junk, Reason.MALFORMED);
    }

    @Test
    void refusesHugeInputAsMalformed() {
        String token = tickets.issue("default");

        assertReason("A".repeat(5_000_000), Reason.MALFORMED);
        assertReason("A".repeat(5_000_000) + token, Reason.MALFORMED);
        assertReason(token + "A".repeat(5_000_000), Reason.MALFORMED);
    }

    @Test
    void longestIssuableTokenStillVerifies() throws Exception {
        String cid = "c".repeat(WsTickets.MAX_COLLECTION_ID_BYTES);
        String token = tickets.issue(cid);

        assertThat(token.length()).isLessThanOrEqualTo(WsTickets.MAX_TOKEN_CHARS);
        assertThat(tickets.verify(token).collectionId()).isEqualTo(cid);
    }

    @Test
    void fuzzedInputNeverThrowsAnythingButInvalidTicketException() {
        Random random = new Random(42); // fixed seed: a failure is reproducible
        String valid = tickets.issue("default");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.+/=% \u0000\u00e9\u6771\uD83D";
        for (int i = 0; i < 10_000; i++) {
            String input = switch (i % 5) {
                case 0 -> randomString(random, alphabet, random.nextInt(120));
                case 1 -> valid.substring(0, random.nextInt(valid.length())); // truncated
                case 2 -> mutate(random, valid, alphabet);
                case 3 -> randomString(random, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 1 + random.nextInt(90))
                        + "." + randomString(random, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 43);
                default -> new String(randomBytes(random, random.nextInt(2000)), StandardCharsets.ISO_8859_1);
            };
            Throwable thrown = catchThrowable(() -> tickets.verify(input));
            if (!input.equals(valid)) {
                assertThat(thrown).as("input #%d %s", i, input).isInstanceOf(InvalidTicketException.class);
            }
        }
    }

    @Test
    void constructorRefusesShortSecretsAndOddTtls() {
        assertThatThrownBy(() -> new WsTickets(new byte[31], TTL, clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> new WsTickets(null, TTL, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WsTickets(SECRET, Duration.ZERO, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WsTickets(SECRET, Duration.ofHours(2), clock)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void constructorCopiesTheSecret() throws Exception {
        byte[] secret = WsTickets.randomSecret();
        WsTickets t = new WsTickets(secret, TTL, clock);
        String token = t.issue("default");

        secret[0] ^= 1;

        assertThat(t.verify(token).collectionId()).isEqualTo("default");
    }

    @Test
    void issueRefusesEmptyOrOverlongCollectionIds() {
        assertThatThrownBy(() -> tickets.issue("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tickets.issue("é".repeat(128))) // 256 UTF-8 bytes
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("255");
    }

    @Test
    void secretFromDecodesBase64OfAtLeast32Bytes() {
        byte[] raw = WsTickets.randomSecret();

        assertThat(WsTickets.secretFrom(Base64.getEncoder().encodeToString(raw))).isEqualTo(raw);
        assertThat(WsTickets.secretFrom(Base64.getUrlEncoder().withoutPadding().encodeToString(raw) + "\n")).isEqualTo(raw);
    }

    @Test
    void secretFromTakesLongTextAsItsUtf8Bytes() {
        String passphrase = "correct horse battery staple, twice!";

        assertThat(WsTickets.secretFrom(passphrase)).isEqualTo(passphrase.getBytes(StandardCharsets.UTF_8));
        // Valid base64 but only 24 bytes decoded: taken as text instead.
        String thirtyTwoAlnum = "abcdefghijklmnopqrstuvwxyz012345";
        assertThat(WsTickets.secretFrom(thirtyTwoAlnum)).isEqualTo(thirtyTwoAlnum.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void secretFromRefusesShortOrMissingSecretsWithoutEchoingThem() {
        assertThatThrownBy(() -> WsTickets.secretFrom("hunter2-hunter2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too short")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> WsTickets.secretFrom(Base64.getEncoder().encodeToString(new byte[16])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WsTickets.secretFrom(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WsTickets.secretFrom("   ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomSecretsAre32BytesAndDistinct() {
        assertThat(WsTickets.randomSecret()).hasSize(32).isNotEqualTo(WsTickets.randomSecret());
    }

    private void assertReason(String token, Reason reason) {
        assertThatThrownBy(() -> tickets.verify(token))
                .isInstanceOf(InvalidTicketException.class)
                .satisfies(e -> assertThat(((InvalidTicketException) e).reason()).isEqualTo(reason))
                .satisfies(e -> {
                    if (token != null && !token.isEmpty()) {
                        assertThat(e.getMessage()).doesNotContain(token);
                    }
                });
    }

    private static byte[] payload(byte version, long issuedAt, long expiresAt, String cid) {
        byte[] c = cid.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 8 + 8 + 16 + 1 + c.length)
                .put(version).putLong(issuedAt).putLong(expiresAt).put(new byte[16]).put((byte) c.length).put(c)
                .array();
    }

    /** Signs arbitrary bytes with the test secret, as only a holder of the secret could. */
    private static String signRaw(byte[] payload) {
        try {
            String part = Base64.getUrlEncoder().withoutPadding().encodeToString(payload);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
            return part + "." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(part.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String flipChar(String token, int index) {
        char c = token.charAt(index);
        char replacement = c == 'A' ? 'B' : 'A';
        return token.substring(0, index) + replacement + token.substring(index + 1);
    }

    private static String mutate(Random random, String s, String alphabet) {
        StringBuilder sb = new StringBuilder(s);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && sb.length() > 0; e++) {
            int at = random.nextInt(sb.length());
            switch (random.nextInt(3)) {
                case 0 -> sb.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                case 1 -> sb.deleteCharAt(at);
                default -> sb.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
            }
        }
        return sb.toString();
    }

    private static String randomString(Random random, String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
