package dev.vigil.webhooks.signing;

import dev.vigil.common.secrets.SecretBox;
import dev.vigil.common.secrets.WebhookSecrets;
import dev.vigil.schemas.control.AlertBinding;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook requests per the Standard Webhooks spec: {@code webhook-id} (the notification id, the
 * same on every retry so receivers can deduplicate), {@code webhook-timestamp} (seconds, the time of
 * this attempt — verifiers reject old timestamps, so each retry is signed afresh) and
 * {@code webhook-signature: v1,<base64 HMAC-SHA256>} over {@code id.timestamp.body} with the alert's
 * {@code whsec_…} secret (the tests verify with the {@code com.standardwebhooks} library).
 *
 * <p>Signing is on every delivery, so nothing is set up twice: each secret's HMAC is keyed once and
 * cloned per signature (the library builds a {@code Mac} and formats the message string on every
 * call), and an alert's opened secrets are kept until the alert changes or one of them retires
 * (opening a sealed secret is an AES-GCM decryption). Both caches are bounded. Thread-safe.
 */
public final class WebhookSigner {

    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";

    private static final int MAX_CACHED = 10_000;
    private static final String PREFIX = "whsec_";
    private static final String HMAC = "HmacSHA256";

    private final Map<String, Mac> bySecret = new ConcurrentHashMap<>();
    private final Map<String, Opened> openedByAlert = new ConcurrentHashMap<>();
    private final WebhookSecrets secrets;

    /**
     * An alert's secrets as opened at {@code from}: valid for attempts in [{@code from}, {@code until})
     * while the alert still carries the same sealed list ({@code source}, compared by identity first).
     */
    private record Opened(Object source, String legacy, List<String> plain, long from, long until) {
    }

    /** A signer that opens alerts' sealed secrets with {@code secrets}. */
    public WebhookSigner(WebhookSecrets secrets) {
        this.secrets = secrets;
    }

    /** A signer for plaintext secrets only ({@link #sign(String, String, Instant, String)}). */
    public WebhookSigner() {
        this(null);
    }

    /** The three headers for one attempt. */
    public record SignedHeaders(String id, String timestamp, String signature) {
    }

    /** The secret cannot be used: not {@code whsec_} + base64. The message never contains it. */
    public static final class InvalidSecretException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidSecretException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Signs {@code payload} as message {@code id} sent at {@code at}.
     *
     * @throws InvalidSecretException if {@code secret} is malformed
     */
    public SignedHeaders sign(String secret, String id, Instant at, String payload) throws InvalidSecretException {
        String seconds = Long.toString(at.getEpochSecond());
        return new SignedHeaders(id, seconds, signature(secret, id, seconds, payload));
    }

    /**
     * Signs {@code payload} for {@code alert}: one {@code v1,…} signature per secret the alert signs with
     * at {@code at} (the current one, and a rotated-out one during its grace period), space-separated as
     * Standard Webhooks specifies, so a receiver holding either secret verifies.
     *
     * @throws InvalidSecretException if the alert has no usable secret, or a sealed one cannot be opened
     */
    public SignedHeaders sign(AlertBinding alert, String id, Instant at, String payload) throws InvalidSecretException {
        List<String> plain = signingSecrets(alert, at);
        if (plain.isEmpty()) {
            throw new InvalidSecretException("the alert has no webhook secret");
        }
        String seconds = Long.toString(at.getEpochSecond());
        if (plain.size() == 1) {
            return new SignedHeaders(id, seconds, signature(plain.get(0), id, seconds, payload));
        }
        StringBuilder signatures = new StringBuilder();
        for (String secret : plain) {
            signatures.append(signatures.length() == 0 ? "" : " ").append(signature(secret, id, seconds, payload));
        }
        return new SignedHeaders(id, seconds, signatures.toString());
    }

    private List<String> signingSecrets(AlertBinding alert, Instant at) throws InvalidSecretException {
        long now = at.toEpochMilli();
        Object source = alert.getWebhookSecrets();
        String legacy = alert.getWebhookSecret();
        Opened cached = openedByAlert.get(alert.getId());
        if (cached != null && now >= cached.from() && now < cached.until() && cached.source().equals(source)
                && Objects.equals(cached.legacy(), legacy)) {
            return cached.plain();
        }
        List<String> plain;
        try {
            plain = secrets.signingSecrets(alert, at);
        } catch (SecretBox.UnsealException e) {
            throw new InvalidSecretException("cannot open the alert's webhook secret: " + e.getMessage());
        }
        // Valid until the first of the kept secrets retires (those already retired stay so as time goes on).
        long until = Long.MAX_VALUE;
        for (var sealed : alert.getWebhookSecrets()) {
            Long retires = sealed.getRetiresAt();
            if (retires != null && retires > now) {
                until = Math.min(until, retires);
            }
        }
        if (openedByAlert.size() >= MAX_CACHED) {
            openedByAlert.clear(); // per alert; a reset keeps the bound without LRU bookkeeping
        }
        openedByAlert.put(alert.getId(), new Opened(source, legacy, plain, now, until));
        return plain;
    }

    /** {@code v1,} + base64 of HMAC-SHA256(key, {@code id.timestamp.payload}). */
    private String signature(String secret, String id, String seconds, String payload) throws InvalidSecretException {
        Mac mac;
        try {
            mac = (Mac) keyed(secret).clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's HmacSHA256 cannot be cloned", e);
        }
        mac.update(id.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) '.');
        mac.update(seconds.getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) '.');
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    }

    /** The HMAC keyed with {@code secret}, as a prototype to clone (a keyed Mac is not thread-safe). */
    private Mac keyed(String secret) throws InvalidSecretException {
        Mac cached = bySecret.get(secret);
        if (cached != null) {
            return cached;
        }
        byte[] key;
        try {
            // As the Standard Webhooks libraries read it: the prefix is optional, the rest is base64.
            key = Base64.getDecoder().decode(secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret);
        } catch (IllegalArgumentException e) {
            // Base64 errors quote the offending character, never the secret; still, keep it out.
            throw new InvalidSecretException("the alert's webhook secret is not 'whsec_' followed by base64");
        }
        Mac mac;
        try {
            mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            // E.g. an empty key ("whsec_" alone): the JDK refuses it.
            throw new InvalidSecretException("cannot sign with the alert's webhook secret: " + e.getMessage());
        }
        if (bySecret.size() >= MAX_CACHED) {
            bySecret.clear();
        }
        bySecret.put(secret, mac);
        return mac;
    }
}
