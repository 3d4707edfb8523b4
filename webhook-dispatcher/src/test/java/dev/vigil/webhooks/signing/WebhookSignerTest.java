package dev.vigil.webhooks.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import dev.vigil.common.ids.Ids;
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

    private static Map<String, List<String>> headers(WebhookSigner.SignedHeaders h) {
        return Map.of(WebhookSigner.ID, List.of(h.id()), WebhookSigner.TIMESTAMP, List.of(h.timestamp()),
                WebhookSigner.SIGNATURE, List.of(h.signature()));
    }
}
