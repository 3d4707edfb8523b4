package dev.vigil.common.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.common.config.ConfigException;
import dev.vigil.common.config.ConfigValues;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelConfigTest {

    private static ModelConfig read(Map<String, String> env) {
        return ModelConfig.from(ConfigValues.read(env, ModelConfig.SETTINGS));
    }

    @Test
    void withoutAServerEverythingIsOffline() {
        ModelConfig c = read(Map.of());
        assertThat(c.visionAvailable()).isFalse();
        assertThat(c.textAvailable()).isFalse();
        assertThat(c.transcribeAvailable()).isFalse();
    }

    @Test
    void tiersMapVideoDbModelNamesAndUnmappedNamesUseTheDefault() {
        ModelConfig c = read(Map.of("VIGIL_MODEL_BASE_URL", "http://ollama:11434/v1", "VIGIL_MODEL_VISION", "qwen2.5vl:3b",
                "VIGIL_MODEL_TIERS", "pro=qwen2.5vl:32b, MINI=moondream"));
        assertThat(c.modelFor("pro", c.vision())).contains("qwen2.5vl:32b");
        assertThat(c.modelFor("mini", c.vision())).contains("moondream");
        assertThat(c.modelFor("basic", c.vision())).contains("qwen2.5vl:3b");
        assertThat(c.modelFor("gpt-5", c.vision())).contains("qwen2.5vl:3b");
        assertThat(c.modelFor(null, Optional.empty())).isEmpty();
    }

    @Test
    void aModelOrTierWithoutAServerAndABadTierAreStartUpErrors() {
        assertThatThrownBy(() -> read(Map.of("VIGIL_MODEL_TEXT", "qwen2.5:3b", "VIGIL_MODEL_TIERS", "pro=x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("VIGIL_MODEL_TEXT").hasMessageContaining("VIGIL_MODEL_TIERS");
        assertThatThrownBy(() -> read(Map.of("VIGIL_MODEL_BASE_URL", "http://x/v1", "VIGIL_MODEL_TIERS", "huge=x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("VIGIL_MODEL_TIERS");
        assertThatThrownBy(() -> read(Map.of("VIGIL_MODEL_BASE_URL", "ftp://x/v1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("VIGIL_MODEL_BASE_URL");
    }

    @Test
    void theApiKeyIsNeverPrinted() {
        ModelConfig c = read(Map.of("VIGIL_MODEL_BASE_URL", "https://api.openai.com/v1", "VIGIL_MODEL_API_KEY", "sk-secret-123"));
        assertThat(c.apiKey()).contains("sk-secret-123");
        assertThat(c.toString()).doesNotContain("sk-secret-123").contains("apiKey=******");
        assertThat(ModelConfig.API_KEY.isSecret()).isTrue();
    }
}
