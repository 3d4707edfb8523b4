package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.common.config.ConfigException;
import dev.vigil.common.config.ConfigValues;
import dev.vigil.ingest.media.Pacing;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestWorkerConfigTest {

    @Test
    void defaultsMatchTheDocumentedValues() {
        IngestWorkerConfig config = IngestWorkerConfig.defaults();
        assertThat(config.maxWidth()).isEqualTo(640);
        assertThat(config.jpegQuality()).isEqualTo(80);
        assertThat(config.audioChunk()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.backoffMin()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.backoffMax()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.sessionTimeout()).isEqualTo(Duration.ofSeconds(6));
        assertThat(config.allowFiles()).isFalse();
        assertThat(config.pacing()).isEqualTo(Pacing.RECORDED);
    }

    @Test
    void readsEveryErrorAtOnce() {
        Map<String, String> env = Map.of("VIGIL_INGEST_JPEG_QUALITY", "0", "VIGIL_INGEST_AUDIO_CHUNK", "5ms",
                "VIGIL_INGEST_PACING", "sometimes");
        assertThatThrownBy(() -> IngestWorkerConfig.from(ConfigValues.read(env, IngestWorkerConfig.allSettings())))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).errors()).hasSize(3));
    }

    @Test
    void backoffMaxMustNotBeShorterThanMin() {
        Map<String, String> env = Map.of("VIGIL_INGEST_BACKOFF_MIN", "10s", "VIGIL_INGEST_BACKOFF_MAX", "5s");
        assertThatThrownBy(() -> IngestWorkerConfig.from(ConfigValues.read(env, IngestWorkerConfig.allSettings())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("VIGIL_INGEST_BACKOFF_MAX");
    }

    @Test
    void parsesOverrides() {
        Map<String, String> env = Map.of("VIGIL_INGEST_PACING", "none", "VIGIL_INGEST_ALLOW_FILES", "true",
                "VIGIL_INGEST_MAX_RETRIES", "0");
        IngestWorkerConfig config = IngestWorkerConfig.from(ConfigValues.read(env, IngestWorkerConfig.allSettings()));
        assertThat(config.pacing()).isEqualTo(Pacing.NONE);
        assertThat(config.allowFiles()).isTrue();
        assertThat(config.maxRetries()).isZero();
    }
}
