package dev.vigil.webhooks.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import dev.vigil.common.ids.Ids;
import dev.vigil.common.secrets.SecretKeys;
import dev.vigil.common.secrets.WebhookSecrets;
import dev.vigil.schemas.control.AlertBinding;
import dev.vigil.testkit.TestSecrets;
import dev.vigil.webhooks.testing.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    private final WebhookSigner signer = new WebhookSigner();

    @Test
    void signaturesVerifyWithTheStandardWebhooksVerifier() throws Exception {
        String secret = Ids.webhookSecret();
        String body = "{\"id\":\"ntf-1\",\"label\":\"x\"}";
        WebhookSigner.SignedHeaders h = signer.sign(secret, "ntf-1", Instant.now(), body);

        assertThat(h.id()).isEqualTo("ntf-1");
        assertThat(h.signature()).startsWith("v1,");
        new Webhook(secret).verify(body, headers(h));
    }

    @Test
    void anotherSecretOrAChangedBodyDoesNotVerify() throws Exception {
        String body = "{\"id\":\"ntf-1\"}";
        WebhookSigner.SignedHeaders h = signer.sign(Ids.webhookSecret(), "ntf-1", Instant.now(), body);
        assertThatThrownBy(() -> new Webhook(Ids.webhookSecret()).verify(body, headers(h)))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void theTimestampIsThatOfTheAttemptInSeconds() throws Exception {
        Instant at = Instant.parse("2026-01-15T10:30:45.900Z");
        assertThat(signer.sign(Ids.webhookSecret(), "ntf-1", at, "{}").timestamp()).isEqualTo("1768473045");
    }

    @Test
    void aMalformedSecretIsReportedWithoutQuotingIt() {
        assertThatThrownBy(() -> signer.sign("whsec_%%%not-base64%%%", "ntf-1", Instant.now(), "{}"))
                .isInstanceOf(WebhookSigner.InvalidSecretException.class)
                .hasMessageNotContaining("not-base64");
        assertThatThrownBy(() -> signer.sign("whsec_", "ntf-1", Instant.now(), "{}"))
                .isInstanceOf(WebhookSigner.InvalidSecretException.class);
    }

    @Test
    void signaturesAreTheStandardWebhooksLibrarysByteForByte() throws Exception {
        for (int i = 0; i < 5; i++) {
            String secret = Ids.webhookSecret();
            String body = "{\"id\":\"ntf-" + i + "\",\"text\":\"caf\u00e9 \u2603 " + i + "\"}";
            Instant at = Instant.parse("2026-01-15T10:30:45Z").plusSeconds(i);
            assertThat(signer.sign(secret, "ntf-" + i, at, body).signature())
                    .isEqualTo(new Webhook(secret).sign("ntf-" + i, at.getEpochSecond(), body));
        }
    }

    @Test
    void aRotatedSecretSignsAlongsideTheNewOneUntilItRetiresThenNot() throws Exception {
        WebhookSecrets secrets = new WebhookSecrets(SecretKeys.of(List.of(TestSecrets.KEYS)));
        WebhookSigner sealedSigner = new WebhookSigner(secrets);
        String oldSecret = Ids.webhookSecret();
        String newSecret = Ids.webhookSecret();
        Instant t0 = Instant.parse("2026-01-15T10:00:00Z");
        AlertBinding alert = AlertBinding.newBuilder(Fixtures.alert("alert-1", "https://example.com/h", null))
                .setWebhookSecrets(secrets.initial("alert-1", oldSecret)).build();
        String body = "{}";

        // Signed once before the rotation: the opened secret is kept for the alert.
        assertThat(sealedSigner.sign(alert, "ntf-1", t0, body).signature()).isEqualTo(expected(oldSecret, "ntf-1", t0, body));
        AlertBinding rotated = secrets.rotate(alert, newSecret, t0.plusSeconds(60), Duration.ofHours(1));

        Instant during = t0.plusSeconds(120);
        assertThat(sealedSigner.sign(rotated, "ntf-2", during, body).signature())
                .isEqualTo(expected(newSecret, "ntf-2", during, body) + " " + expected(oldSecret, "ntf-2", during, body));
        Instant after = t0.plus(Duration.ofHours(2));
        assertThat(sealedSigner.sign(rotated, "ntf-3", after, body).signature())
                .isEqualTo(expected(newSecret, "ntf-3", after, body));
    }

    private static String expected(String secret, String id, Instant at, String body) throws Exception {
        return new Webhook(secret).sign(id, at.getEpochSecond(), body);
    }

    private static Map<String, List<String>> headers(WebhookSigner.SignedHeaders h) {
        return Map.of(WebhookSigner.ID, List.of(h.id()), WebhookSigner.TIMESTAMP, List.of(h.timestamp()),
                WebhookSigner.SIGNATURE, List.of(h.signature()));
    }
}
