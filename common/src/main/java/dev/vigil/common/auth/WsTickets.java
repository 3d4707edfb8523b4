package dev.vigil.common.auth;

import dev.vigil.common.auth.InvalidTicketException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and verifies the short-lived WebSocket tickets carried in the {@code websocket_url}
 * ({@code ws://…/ws?ticket=…}, docs/videodb-wire.md). control-api issues them; ws-gateway verifies them
 * with nothing but the shared secret — no shared store, so any gateway instance can admit any
 * client. Single use is enforced per gateway instance by {@link SingleUseGuard}.
 *
 * <p>A token is {@code base64url(payload) + "." + base64url(HMAC-SHA256(secret, base64url(payload)))},
 * both without padding, so it is safe in a URL query without escaping. The payload is binary,
 * big-endian:
 * <pre>
 *   version (1 byte, = 1) | issued-at (8, epoch s) | expires-at (8, epoch s) | nonce (16, random)
 *   | collection id length n (1) | collection id (n bytes UTF-8)
 * </pre>
 * The MAC covers the encoded text (as JWS does), so the token has exactly one valid spelling and
 * the payload is parsed only after it has been authenticated.
 *
 * <p>Expiry is checked against this instance's clock with no leeway: choose a TTL that covers the
 * clock skew between control-api and ws-gateway hosts as well as the client's connect time.
 * Instances are immutable and thread-safe.
 */
public final class WsTickets {

    /** Shortest accepted secret: the HMAC-SHA256 key size (RFC 2104 §3 recommends at least the hash length). */
    public static final int MIN_SECRET_BYTES = 32;
    /** Longest accepted TTL: the tickets are meant to be short-lived, and the guard remembers nonces this long. */
    public static final Duration MAX_TTL = Duration.ofHours(1);
    /** Longest collection id a ticket can carry, in UTF-8 bytes (its length is one byte). */
    public static final int MAX_COLLECTION_ID_BYTES = 255;

    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 16;
    private static final int HEADER_BYTES = 1 + 8 + 8 + NONCE_BYTES + 1;
    private static final String HMAC = "HmacSHA256";
    /** base64url without padding of a 32-byte MAC. */
    private static final int SIGNATURE_CHARS = 43;
    /** Longest token {@link #issue} can produce; anything longer is refused before any work. */
    static final int MAX_TOKEN_CHARS = base64Length(HEADER_BYTES + MAX_COLLECTION_ID_BYTES) + 1 + SIGNATURE_CHARS;

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final Duration ttl;
    private final Clock clock;

    /**
     * @param secret the shared secret, at least {@value #MIN_SECRET_BYTES} bytes (copied)
     * @param ttl how long an issued ticket stays valid, between 1 second and {@link #MAX_TTL}
     * @param clock the time source for issuing and verifying
     * @throws IllegalArgumentException if the secret is too short or the TTL out of range
     */
    public WsTickets(byte[] secret, Duration ttl, Clock clock) {
        if (secret == null || secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("WebSocket ticket secret must be at least " + MIN_SECRET_BYTES + " bytes, got "
                    + (secret == null ? "none" : secret.length));
        }
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("WebSocket ticket TTL must be between 1s and " + MAX_TTL + ", got " + ttl);
        }
        this.key = new SecretKeySpec(secret, HMAC); // SecretKeySpec keeps its own copy
        this.ttl = ttl;
        this.clock = Objects.requireNonNull(clock, "clock");
        newMac(); // fail at construction, not on the first connect, if the JCE cannot do HMAC-SHA256
    }

    /** A verified ticket: the collection it admits to, when it stops being valid, and its unique nonce. */
    public record Ticket(String collectionId, Instant expiresAt, String nonce) {
        public Ticket {
            Objects.requireNonNull(collectionId, "collectionId");
            Objects.requireNonNull(expiresAt, "expiresAt");
            Objects.requireNonNull(nonce, "nonce");
        }
    }

    /**
     * A new ticket for {@code collectionId}, valid from now for the TTL (rounded up to whole seconds).
     *
     * @throws IllegalArgumentException if the collection id is empty or longer than
     *     {@value #MAX_COLLECTION_ID_BYTES} UTF-8 bytes
     */
    public String issue(String collectionId) {
        Objects.requireNonNull(collectionId, "collectionId");
        byte[] cid = collectionId.getBytes(StandardCharsets.UTF_8);
        if (cid.length == 0 || cid.length > MAX_COLLECTION_ID_BYTES) {
            throw new IllegalArgumentException("collection id must be 1 to " + MAX_COLLECTION_ID_BYTES + " UTF-8 bytes, got " + cid.length);
        }
        Instant now = clock.instant();
        Instant expires = now.plus(ttl);
        // Round up so a ticket never lives shorter than the configured TTL.
        long expiresSeconds = expires.getEpochSecond() + (expires.getNano() > 0 ? 1 : 0);
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);

        byte[] payload = ByteBuffer.allocate(HEADER_BYTES + cid.length)
                .put(VERSION)
                .putLong(now.getEpochSecond())
                .putLong(expiresSeconds)
                .put(nonce)
                .put((byte) cid.length)
                .put(cid)
                .array();
        String payloadPart = B64URL.encodeToString(payload);
        return payloadPart + "." + sign(payloadPart);
    }

    /**
     * Checks {@code token} and returns the ticket it carries. Does not check single use: pass the
     * result to a {@link SingleUseGuard}.
     *
     * @throws InvalidTicketException for any input that is not a genuine, unexpired ticket — and
     *     nothing else, whatever the input (including {@code null} and huge strings)
     */
    public Ticket verify(String token) throws InvalidTicketException {
        if (token == null || token.isEmpty()) {
            throw invalid(Reason.MALFORMED, "ticket is missing");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw invalid(Reason.MALFORMED, "ticket is malformed (too long)");
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            throw invalid(Reason.MALFORMED, "ticket is malformed");
        }
        String payloadPart = token.substring(0, dot);
        String signaturePart = token.substring(dot + 1);
        if (signaturePart.length() != SIGNATURE_CHARS || !isBase64UrlText(payloadPart) || !isBase64UrlText(signaturePart)) {
            throw invalid(Reason.MALFORMED, "ticket is malformed");
        }

        // Compare the encoded signatures in constant time; comparing text rather than decoded bytes
        // also refuses alternative spellings of the same signature.
        byte[] expected = sign(payloadPart).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signaturePart.getBytes(StandardCharsets.US_ASCII))) {
            throw invalid(Reason.BAD_SIGNATURE, "ticket signature is invalid");
        }

        // Authenticated from here on: the checks below only catch a peer signing another format.
        Ticket ticket = parse(payloadPart);
        if (!clock.instant().isBefore(ticket.expiresAt())) {
            throw invalid(Reason.EXPIRED, "ticket has expired; request a new websocket_url");
        }
        return ticket;
    }

    private static Ticket parse(String payloadPart) throws InvalidTicketException {
        byte[] payload;
        try {
            payload = B64URL_DECODER.decode(payloadPart);
        } catch (IllegalArgumentException e) {
            throw invalid(Reason.MALFORMED, "ticket is malformed (encoding)");
        }
        if (payload.length < HEADER_BYTES || payload[0] != VERSION) {
            throw invalid(Reason.MALFORMED, "ticket is malformed (unknown version)");
        }
        ByteBuffer buf = ByteBuffer.wrap(payload, 1, payload.length - 1);
        long issuedAt = buf.getLong();
        long expiresAt = buf.getLong();
        byte[] nonce = new byte[NONCE_BYTES];
        buf.get(nonce);
        int cidLength = Byte.toUnsignedInt(buf.get());
        if (cidLength == 0 || buf.remaining() != cidLength || issuedAt < 0 || expiresAt < issuedAt
                || expiresAt > Instant.MAX.getEpochSecond()) {
            throw invalid(Reason.MALFORMED, "ticket is malformed (fields)");
        }
        String collectionId;
        try {
            // Strict decoding: invalid UTF-8 is refused rather than silently replaced.
            collectionId = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(buf)
                    .toString();
        } catch (CharacterCodingException e) {
            throw invalid(Reason.MALFORMED, "ticket is malformed (collection id)");
        }
        return new Ticket(collectionId, Instant.ofEpochSecond(expiresAt), B64URL.encodeToString(nonce));
    }

    private String sign(String payloadPart) {
        Mac mac = newMac();
        return B64URL.encodeToString(mac.doFinal(payloadPart.getBytes(StandardCharsets.US_ASCII)));
    }

    private Mac newMac() {
        // A Mac is stateful and not thread-safe; a fresh one per call is cheap next to a WebSocket handshake.
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable in this JVM", e);
        }
    }

    /**
     * Decodes a configured secret: if {@code configured} (trimmed) is base64 (standard or URL-safe)
     * of at least {@value #MIN_SECRET_BYTES} bytes, those bytes; otherwise, if it is at least 32
     * characters of text, its UTF-8 bytes. Base64 wins when both readings apply, so generate secrets
     * with {@code openssl rand -base64 32}. Control-api and ws-gateway must use the same value.
     *
     * @throws IllegalArgumentException if neither reading gives a long enough secret; the message
     *     never contains the value
     */
    public static byte[] secretFrom(String configured) {
        if (configured == null || configured.isBlank()) {
            throw new IllegalArgumentException("WebSocket ticket secret is not set");
        }
        // Secrets mounted from files or Kubernetes secrets often end with a newline.
        String value = configured.strip();
        byte[] decoded = decodeBase64(value);
        if (decoded != null && decoded.length >= MIN_SECRET_BYTES) {
            return decoded;
        }
        if (value.length() >= MIN_SECRET_BYTES) {
            return value.getBytes(StandardCharsets.UTF_8);
        }
        throw new IllegalArgumentException("WebSocket ticket secret is too short: use base64 of at least " + MIN_SECRET_BYTES
                + " random bytes (openssl rand -base64 32) or at least " + MIN_SECRET_BYTES + " characters");
    }

    /** {@value #MIN_SECRET_BYTES} bytes from a {@link SecureRandom}, for single-JVM setups (standalone, tests). */
    public static byte[] randomSecret() {
        byte[] secret = new byte[MIN_SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return secret;
    }

    private static byte[] decodeBase64(String value) {
        for (Base64.Decoder decoder : new Base64.Decoder[] {Base64.getDecoder(), Base64.getUrlDecoder()}) {
            try {
                return decoder.decode(value);
            } catch (IllegalArgumentException notThisAlphabet) {
                // try the next alphabet; text secrets end up here too
            }
        }
        return null;
    }

    private static boolean isBase64UrlText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    private static int base64Length(int bytes) {
        return (bytes * 4 + 2) / 3;
    }

    private static InvalidTicketException invalid(Reason reason, String message) {
        return new InvalidTicketException(reason, message);
    }
}
