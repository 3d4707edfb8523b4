package dev.vigil.common.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies expiring URLs to recorded media (playlists, segments, players, snapshots, exports),
 * so a link handed to a player, a webhook receiver or a browser works without the API key until it
 * expires — and only for the path and parameters it was issued for.
 *
 * <p>The signature is HMAC-SHA256 under a key derived from one of {@code VIGIL_SECRETS_KEYS} (the HMAC of
 * the AES key of {@link SecretKeys} over a fixed purpose label, so the URL key is never the key that seals
 * secrets) over {@code "vigil-url-v1\n" + path + "\n" + name=value lines sorted by name}; the parameters
 * {@value #EXPIRES} (epoch seconds) and {@value #KEY_ID} are among the signed ones, {@value #SIGNATURE}
 * (base64url, no padding) is not. The first key signs, every key verifies, so rotating
 * {@code VIGIL_SECRETS_KEYS} as docs/security.md describes keeps issued URLs valid until they expire.
 * Every service that signs URLs (control-api, alert-router) and control-api, which verifies them, hold the
 * same keys. Thread-safe.
 */
public final class SignedUrls {

    public static final String EXPIRES = "exp";
    public static final String KEY_ID = "kid";
    public static final String SIGNATURE = "sig";

    private static final String HMAC = "HmacSHA256";
    private static final String PURPOSE = "vigil signed media urls v1";
    private static final int SIGNATURE_CHARS = 43;
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeys keys;
    private final Map<String, SecretKeySpec> macKeys;
    private final Clock clock;

    /** Why a signed URL was refused. */
    public enum Refusal {
        /** Parameters missing or malformed. */
        MALFORMED,
        /** Signed with a key this deployment does not hold, or the signature does not match (forged, altered). */
        BAD_SIGNATURE,
        /** Genuine but past its expiry. */
        EXPIRED
    }

    /** A signed URL was refused; the message is safe to show and never contains key material. */
    public static final class InvalidSignatureException extends Exception {
        private static final long serialVersionUID = 1L;
        private final Refusal refusal;

        InvalidSignatureException(Refusal refusal, String message) {
            super(message, null, false, false);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    public SignedUrls(SecretKeys keys, Clock clock) {
        this.keys = Objects.requireNonNull(keys);
        this.clock = Objects.requireNonNull(clock);
        Map<String, SecretKeySpec> derived = new LinkedHashMap<>();
        for (String id : keys.ids()) {
            derived.put(id, new SecretKeySpec(mac(new SecretKeySpec(keys.find(id).orElseThrow().getEncoded(), HMAC),
                    PURPOSE.getBytes(StandardCharsets.UTF_8)), HMAC));
        }
        this.macKeys = Map.copyOf(derived);
    }

    /**
     * The query string (without '?') that makes {@code path} with {@code params} valid until now + {@code ttl}
     * (rounded up to the second): the parameters, URL-encoded, then exp, kid and sig.
     */
    public String sign(String path, Map<String, String> params, Duration ttl) {
        Instant expires = clock.instant().plus(ttl);
        long exp = expires.getEpochSecond() + (expires.getNano() > 0 ? 1 : 0);
        return signUntil(path, params, exp);
    }

    /** {@link #sign} with an absolute expiry, epoch seconds. */
    public String signUntil(String path, Map<String, String> params, long expiresEpochSeconds) {
        Map<String, String> all = new LinkedHashMap<>(params);
        all.put(EXPIRES, Long.toString(expiresEpochSeconds));
        all.put(KEY_ID, keys.activeId());
        String sig = signature(macKeys.get(keys.activeId()), path, all);
        StringBuilder query = new StringBuilder();
        all.forEach((name, value) -> query.append(query.length() == 0 ? "" : "&").append(encode(name)).append('=')
                .append(encode(value)));
        return query.append('&').append(SIGNATURE).append('=').append(sig).toString();
    }

    /**
     * Checks that {@code params} (decoded query parameters, first value each) carry a genuine, unexpired
     * signature for {@code path}; returns the expiry.
     */
    public Instant verify(String path, Map<String, String> params) throws InvalidSignatureException {
        String sig = params.get(SIGNATURE);
        String kid = params.get(KEY_ID);
        String exp = params.get(EXPIRES);
        if (sig == null || kid == null || exp == null) {
            throw new InvalidSignatureException(Refusal.MALFORMED, "signed URL is missing exp, kid or sig");
        }
        long expires;
        try {
            expires = Long.parseLong(exp);
        } catch (NumberFormatException e) {
            throw new InvalidSignatureException(Refusal.MALFORMED, "signed URL has a malformed exp");
        }
        SecretKeySpec key = macKeys.get(kid);
        if (key == null || sig.length() != SIGNATURE_CHARS) {
            throw new InvalidSignatureException(Refusal.BAD_SIGNATURE, "URL signature is invalid");
        }
        Map<String, String> signed = new TreeMap<>(params);
        signed.remove(SIGNATURE);
        byte[] expected = signature(key, path, signed).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, sig.getBytes(StandardCharsets.US_ASCII))) {
            throw new InvalidSignatureException(Refusal.BAD_SIGNATURE, "URL signature is invalid");
        }
        Instant expiry = Instant.ofEpochSecond(expires);
        if (!clock.instant().isBefore(expiry)) {
            throw new InvalidSignatureException(Refusal.EXPIRED, "signed URL expired at " + expiry + "; request a new one");
        }
        return expiry;
    }

    private static String signature(SecretKeySpec key, String path, Map<String, String> params) {
        StringBuilder text = new StringBuilder("vigil-url-v1\n").append(path);
        new TreeMap<>(params).forEach((name, value) -> text.append('\n').append(name).append('=').append(value));
        return B64URL.encodeToString(mac(key, text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] mac(SecretKeySpec key, byte[] data) {
        try {
            // A Mac is stateful and not thread-safe; one per call is cheap next to serving media.
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JRE", e);
        }
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
