package dev.vigil.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.common.config.ConfigException;
import dev.vigil.common.models.ModelConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexerConfigTest {

    @Test
    void defaultsAreTheMeasuredOnes() {
        IndexerConfig c = IndexerConfig.fromEnv(Map.of());
        assertThat(c.maxLag()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.detectInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.detectMaxAge()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.visionQueue()).isEqualTo(64);
        assertThat(c.applicationId()).isEqualTo("vigil-indexer"); // the deployed one: its internal topics keep their names
        assertThat(c.startTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.closeTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.transcriptEngine()).isEqualTo("sphinx4-grammar");
        assertThat(c.models().baseUrl()).isEmpty();
        assertThat(IndexerService.speechEngines(c).names()).containsExactly("sphinx4-grammar", "sphinx4-freeform");
    }

    @Test
    void theModelSettingsAreReadWithTheIndexers() {
        IndexerConfig c = IndexerConfig.fromEnv(Map.of("VIGIL_MODEL_BASE_URL", "http://ollama:11434/v1",
                "VIGIL_MODEL_VISION", "qwen2.5vl:3b", "VIGIL_MODEL_TRANSCRIBE", "whisper-1"));
        assertThat(c.models().baseUrl()).contains(URI.create("http://ollama:11434/v1"));
        assertThat(c.models().vision()).contains("qwen2.5vl:3b");
        assertThat(c.models().transcribeAvailable()).isTrue();
        assertThat(IndexerConfig.allSettings()).containsAll(ModelConfig.SETTINGS);
        // the transcription model is not an engine an index names: the offline engines stay the choice
        assertThat(IndexerService.speechEngines(c).names()).containsExactly("sphinx4-grammar", "sphinx4-freeform");
    }

    @Test
    void aModelWithoutAServerFailsAtStart() {
        assertThatThrownBy(() -> IndexerConfig.fromEnv(Map.of("VIGIL_MODEL_VISION", "llava")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("VIGIL_MODEL_BASE_URL");
    }

    @Test
    void reportsEveryBadSettingAtOnce() {
        assertThatThrownBy(() -> IndexerConfig.fromEnv(Map.of("VIGIL_INDEXER_MAX_LAG", "5ms",
                "VIGIL_INDEXER_SPEECH_THREADS", "0", "VIGIL_INDEXER_MAX_UTTERANCE", "5m")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("VIGIL_INDEXER_MAX_LAG")
                .hasMessageContaining("VIGIL_INDEXER_SPEECH_THREADS")
                .hasMessageContaining("VIGIL_INDEXER_MAX_UTTERANCE");
    }

    @Test
    void anUnknownDefaultEngineFailsAtStart() {
        assertThatThrownBy(() -> IndexerConfig.fromEnv(Map.of("VIGIL_INDEXER_TRANSCRIPT_ENGINE", "vosk")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("VIGIL_INDEXER_TRANSCRIPT_ENGINE");
    }
}
