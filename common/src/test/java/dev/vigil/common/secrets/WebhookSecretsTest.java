package dev.vigil.common.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.common.config.ConfigException;
import dev.vigil.common.config.ConfigValues;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.AlertBinding;
import dev.vigil.schemas.control.AlertStatus;
import dev.vigil.schemas.control.SealedSecret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSecretsTest {

    private static final String OLD = "k2025=" + "o".repeat(40);
    private static final String NEW = "k2026=" + "n".repeat(40);
    private static final String SECRET = "whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0";
    private static final String ROTATED = "whsec_cm90YXRlZHJvdGF0ZWRyb3RhdGVkcm90YXRlZA==";
    private static final Instant NOW = Instant.parse("2026-12-06T08:00:00Z");

    @Test
    void theTopicNeverHoldsThePlaintextSecret() {
        WebhookSecrets secrets = new WebhookSecrets(SecretKeys.of(List.of(NEW)));
        AlertBinding alert = alert("0123456789abcdef", secrets.initial("0123456789abcdef", SECRET));

        byte[] onTheTopic = Topics.ALERTS.valueSerde().serializer().serialize("vigil.alerts", alert);

        String asText = new String(onTheTopic, StandardCharsets.ISO_8859_1);
        assertThat(asText).doesNotContain(SECRET).doesNotContain(SECRET.substring(6))
                .doesNotContain(new String(Base64.getDecoder().decode(SECRET.substring(6)), StandardCharsets.ISO_8859_1));
        assertThat(alert.getWebhookSecrets()).singleElement().extracting(SealedSecret::getKeyId).isEqualTo("k2026");
    }

    @Test
    void opensWhatItSealedAndOnlyForTheSameAlert() throws Exception {
        WebhookSecrets secrets = new WebhookSecrets(SecretKeys.of(List.of(NEW)));
        List<SealedSecret> sealed = secrets.initial("0123456789abcdef", SECRET);

        assertThat(secrets.signingSecrets(alert("0123456789abcdef", sealed), NOW)).containsExactly(SECRET);
        assertThatThrownBy(() -> secrets.signingSecrets(alert("fedcba9876543210", sealed), NOW))
                .isInstanceOf(SecretBox.UnsealException.class)
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void aNewKeyFirstStillOpensSecretsSealedWithTheOldOneAndResealsWithTheNew() throws Exception {
        AlertBinding sealedWithOld = alert("0123456789abcdef",
                new WebhookSecrets(SecretKeys.of(List.of(OLD))).initial("0123456789abcdef", SECRET));
        WebhookSecrets rotatedKeys = new WebhookSecrets(SecretKeys.of(List.of(NEW, OLD)));

        assertThat(rotatedKeys.signingSecrets(sealedWithOld, NOW)).containsExactly(SECRET);
        AlertBinding resealed = rotatedKeys.reseal(sealedWithOld, NOW);
        assertThat(resealed.getWebhookSecrets()).extracting(SealedSecret::getKeyId).containsExactly("k2026");
        assertThat(new WebhookSecrets(SecretKeys.of(List.of(NEW))).signingSecrets(resealed, NOW)).containsExactly(SECRET);
    }

    @Test
    void withoutTheKeyASecretCannotBeOpenedAndTheErrorSaysWhichKey() {
        AlertBinding sealedWithOld = alert("0123456789abcdef",
                new WebhookSecrets(SecretKeys.of(List.of(OLD))).initial("0123456789abcdef", SECRET));

        assertThatThrownBy(() -> new WebhookSecrets(SecretKeys.of(List.of(NEW))).signingSecrets(sealedWithOld, NOW))
                .isInstanceOf(SecretBox.UnsealException.class).hasMessageContaining("'k2025'");
        // Same id, other material: the tag does not verify.
        assertThatThrownBy(() -> new WebhookSecrets(SecretKeys.of(List.of("k2025=" + "x".repeat(40))))
                .signingSecrets(sealedWithOld, NOW)).isInstanceOf(SecretBox.UnsealException.class)
                .hasMessageContaining("wrong key or altered");
    }

    @Test
    void aRotatedSecretSignsBesideTheNewOneUntilItsGraceEnds() throws Exception {
        WebhookSecrets secrets = new WebhookSecrets(SecretKeys.of(List.of(NEW)));
        AlertBinding alert = alert("0123456789abcdef", secrets.initial("0123456789abcdef", SECRET));

        AlertBinding rotated = secrets.rotate(alert, ROTATED, NOW, Duration.ofHours(24));

        assertThat(secrets.signingSecrets(rotated, NOW.plusSeconds(60))).containsExactly(ROTATED, SECRET);
        assertThat(secrets.signingSecrets(rotated, NOW.plus(Duration.ofHours(24)))).containsExactly(ROTATED);
        // A second rotation inside the grace keeps the first secret no longer than its own grace.
        AlertBinding twice = secrets.rotate(rotated, "whsec_dHdpY2V0d2ljZXR3aWNldHdpY2V0d2ljZQ==", NOW.plusSeconds(60),
                Duration.ofDays(7));
        assertThat(twice.getWebhookSecrets()).hasSize(3);
        assertThat(twice.getWebhookSecrets().get(2).getRetiresAt()).isEqualTo(NOW.plus(Duration.ofHours(24)).toEpochMilli());
        assertThat(secrets.rotate(alert, ROTATED, NOW, Duration.ZERO).getWebhookSecrets()).hasSize(1);
    }

    @Test
    void aLegacyPlaintextSecretStillSignsAndIsSealedAtTheNextWrite() throws Exception {
        WebhookSecrets secrets = new WebhookSecrets(SecretKeys.of(List.of(NEW)));
        AlertBinding legacy = AlertBinding.newBuilder(alert("0123456789abcdef", List.of())).setWebhookSecret(SECRET).build();

        assertThat(secrets.signingSecrets(legacy, NOW)).containsExactly(SECRET);
        AlertBinding resealed = secrets.reseal(legacy, NOW);
        assertThat(resealed.getWebhookSecret()).isNull();
        assertThat(secrets.signingSecrets(resealed, NOW)).containsExactly(SECRET);
    }

    @Test
    void keysAreValidatedAsASettingWithoutEchoingTheMaterial() {
        assertThatThrownBy(() -> ConfigValues.read(Map.of("VIGIL_SECRETS_KEYS", "k1=short"), List.of(SecretKeys.KEYS)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("VIGIL_SECRETS_KEYS").hasMessageNotContaining("short");
        assertThatThrownBy(() -> ConfigValues.read(Map.of("VIGIL_SECRETS_KEYS", OLD + "," + OLD), List.of(SecretKeys.KEYS)))
                .isInstanceOf(ConfigException.class);
        assertThat(SecretKeys.from(ConfigValues.read(Map.of("VIGIL_SECRETS_KEYS", NEW + "," + OLD),
                List.of(SecretKeys.KEYS))).orElseThrow().ids()).containsExactly("k2026", "k2025");
        assertThat(SecretKeys.of(List.of(NEW)).toString()).doesNotContain("nnnn");
    }

    private static AlertBinding alert(String id, List<SealedSecret> secrets) {
        return AlertBinding.newBuilder().setId(id).setCollectionId("default").setRtstreamId("rts-1").setIndexId("idx")
                .setEventId("evt").setCallbackUrl("https://example.test/hook").setStatus(AlertStatus.ENABLED)
                .setWebhookSecrets(secrets).setCreatedAt(NOW).setUpdatedAt(NOW).build();
    }
}
