package dev.vigil.common.secrets;

import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.AlertBinding;
import dev.vigil.schemas.control.SealedSecret;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An alert's webhook signing secrets as {@code vigil.alerts} keeps them: sealed with the deployment's
 * key ({@link SecretBox}, the alert id as associated data), the current one first, rotated-out ones
 * after it until their grace period ends. control-api seals and rotates; the webhook dispatcher opens
 * them to sign. Plaintext never reaches the topic; alerts written before sealing existed still carry
 * it in the legacy {@code webhook_secret} field, which is used only while {@code webhook_secrets} is
 * empty and is dropped (sealed) at the alert's next write. Thread-safe.
 */
public final class WebhookSecrets {

    static {
        // Avro 1.12 lets builders copy records holding generated enums (AlertStatus) only once the
        // catalogue's serdes have trusted them (schemas' TrustedTypes): create them first.
        Objects.requireNonNull(Topics.ALERTS.valueSerde());
    }

    private final SecretBox box;

    public WebhookSecrets(SecretKeys keys) {
        this.box = new SecretBox(keys);
    }

    /** The sealed list of a new alert whose only secret is {@code secret}. */
    public List<SealedSecret> initial(String alertId, String secret) {
        return List.of(seal(alertId, secret, null));
    }

    /**
     * {@code alert} with {@code newSecret} as its current secret; the previous current secret keeps
     * signing until {@code now + grace} (zero: it stops at once). Secrets whose grace has ended are
     * dropped, and every kept one is sealed again with the active key (so retiring an old key only
     * needs each alert written once).
     */
    public AlertBinding rotate(AlertBinding alert, String newSecret, Instant now, Duration grace) throws SecretBox.UnsealException {
        List<SealedSecret> next = new ArrayList<>();
        next.add(seal(alert.getId(), newSecret, null));
        Instant retiresAt = now.plus(grace);
        for (Active previous : active(alert, now)) {
            Instant until = previous.retiresAt() == null ? retiresAt : min(previous.retiresAt(), retiresAt);
            if (until.isAfter(now)) {
                next.add(seal(alert.getId(), previous.secret(), until));
            }
        }
        return AlertBinding.newBuilder(alert).setWebhookSecret(null).setWebhookSecrets(next).build();
    }

    /**
     * {@code alert} with its secrets sealed again under the active key, retired ones dropped and a legacy
     * plaintext secret moved into the sealed list: what control-api writes whenever it rewrites an alert.
     */
    public AlertBinding reseal(AlertBinding alert, Instant now) throws SecretBox.UnsealException {
        List<SealedSecret> next = new ArrayList<>();
        for (Active secret : active(alert, now)) {
            next.add(seal(alert.getId(), secret.secret(), secret.retiresAt()));
        }
        return AlertBinding.newBuilder(alert).setWebhookSecret(null).setWebhookSecrets(next).build();
    }

    /** The secrets that sign a webhook of {@code alert} sent at {@code at}: the current one first. */
    public List<String> signingSecrets(AlertBinding alert, Instant at) throws SecretBox.UnsealException {
        return active(alert, at).stream().map(Active::secret).toList();
    }

    /** Whether {@code alert} has a secret at all (alerts without a callback URL have none). */
    public static boolean hasSecret(AlertBinding alert) {
        return !alert.getWebhookSecrets().isEmpty()
                || (alert.getWebhookSecret() != null && !alert.getWebhookSecret().isEmpty());
    }

    private record Active(String secret, Instant retiresAt) {
    }

    private List<Active> active(AlertBinding alert, Instant at) throws SecretBox.UnsealException {
        List<Active> out = new ArrayList<>();
        if (alert.getWebhookSecrets().isEmpty()) {
            if (alert.getWebhookSecret() != null && !alert.getWebhookSecret().isEmpty()) {
                out.add(new Active(alert.getWebhookSecret(), null));
            }
            return out;
        }
        for (SealedSecret sealed : alert.getWebhookSecrets()) {
            Instant retiresAt = sealed.getRetiresAt() == null ? null : Instant.ofEpochMilli(sealed.getRetiresAt());
            if (retiresAt == null || retiresAt.isAfter(at)) {
                out.add(new Active(box.open(sealed.getKeyId(), sealed.getSealed(), alert.getId()), retiresAt));
            }
        }
        return out;
    }

    private SealedSecret seal(String alertId, String secret, Instant retiresAt) {
        SecretBox.Sealed sealed = box.seal(Objects.requireNonNull(secret), alertId);
        return SealedSecret.newBuilder().setKeyId(sealed.keyId()).setSealed(sealed.sealed()).setRetiresAt(retiresAt == null ? null : retiresAt.toEpochMilli()).build();
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
