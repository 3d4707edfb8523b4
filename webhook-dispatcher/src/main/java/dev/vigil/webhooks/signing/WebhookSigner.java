package dev.vigil.webhooks.signing;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import dev.vigil.common.secrets.SecretBox;
import dev.vigil.common.secrets.WebhookSecrets;
import dev.vigil.schemas.control.AlertBinding;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signs webhook requests per the Standard Webhooks spec with the {@code com.standardwebhooks}
 * library: {@code webhook-id} (the notification id, the same on every retry so receivers can
 * deduplicate), {@code webhook-timestamp} (seconds, the time of this attempt — verifiers reject old
 * timestamps, so each retry is signed afresh) and {@code webhook-signature: v1,<base64 HMAC-SHA256>}
 * over {@code id.timestamp.body} with the alert's {@code whsec_…} secret.
 *
 * <p>Decoded secrets are cached (bounded), as the library decodes base64 in its constructor.
 * Thread-safe.
 */
public final class WebhookSigner {

    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";

    private static final int MAX_CACHED = 10_000;

    private final Map<String, Webhook> bySecret = new ConcurrentHashMap<>();
    private final WebhookSecrets secrets;

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
        Webhook webhook = webhook(secret);
        long seconds = at.getEpochSecond();
        try {
            return new SignedHeaders(id, Long.toString(seconds), webhook.sign(id, seconds, payload));
        } catch (WebhookSigningException | IllegalArgumentException e) {
            // E.g. an empty key ("whsec_" alone): the JDK refuses it when the MAC is initialised.
            throw new InvalidSecretException("cannot sign with the alert's webhook secret: " + e.getMessage());
        }
    }

    /**
     * Signs {@code payload} for {@code alert}: one {@code v1,…} signature per secret the alert signs with
     * at {@code at} (the current one, and a rotated-out one during its grace period), space-separated as
     * Standard Webhooks specifies, so a receiver holding either secret verifies.
     *
     * @throws InvalidSecretException if the alert has no usable secret, or a sealed one cannot be opened
     */
    public SignedHeaders sign(AlertBinding alert, String id, Instant at, String payload) throws InvalidSecretException {
        List<String> plain;
        try {
            plain = secrets.signingSecrets(alert, at);
        } catch (SecretBox.UnsealException e) {
            throw new InvalidSecretException("cannot open the alert's webhook secret: " + e.getMessage());
        }
        if (plain.isEmpty()) {
            throw new InvalidSecretException("the alert has no webhook secret");
        }
        StringBuilder signatures = new StringBuilder();
        String timestamp = null;
        for (String secret : plain) {
            SignedHeaders one = sign(secret, id, at, payload);
            timestamp = one.timestamp();
            signatures.append(signatures.length() == 0 ? "" : " ").append(one.signature());
        }
        return new SignedHeaders(id, timestamp, signatures.toString());
    }

    private Webhook webhook(String secret) throws InvalidSecretException {
        Webhook cached = bySecret.get(secret);
        if (cached != null) {
            return cached;
        }
        Webhook created;
        try {
            created = new Webhook(secret);
        } catch (RuntimeException e) {
            // Base64 errors quote the offending character, never the secret; still, keep it out.
            throw new InvalidSecretException("the alert's webhook secret is not 'whsec_' followed by base64");
        }
        if (bySecret.size() >= MAX_CACHED) {
            // Secrets are per alert; a simple reset keeps the bound without LRU bookkeeping.
            bySecret.clear();
        }
        bySecret.put(secret, created);
        return created;
    }
}
