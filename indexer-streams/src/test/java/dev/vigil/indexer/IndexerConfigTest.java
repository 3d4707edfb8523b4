package dev.vigil.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.common.config.ConfigException;
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
        assertThat(c.transcriptEngine()).isEqualTo("sphinx4-grammar");
        assertThat(c.openAiUrl()).isEmpty();
        assertThat(IndexerService.speechEngines(c).names()).containsExactly("sphinx4-grammar", "sphinx4-freeform");
    }

    @Test
    void anOpenAiUrlAddsTheOpenAiEngine() {
        IndexerConfig c = IndexerConfig.fromEnv(Map.of("VIGIL_INDEXER_OPENAI_URL", "http://whisper:8080/v1",
                "VIGIL_INDEXER_TRANSCRIPT_ENGINE", "openai"));
        assertThat(c.openAiUrl()).contains(URI.create("http://whisper:8080/v1"));
        assertThat(IndexerService.speechEngines(c).forIndex("i", null).name()).isEqualTo("openai");
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
    void anUnavailableDefaultEngineFailsAtStart() {
        assertThatThrownBy(() -> IndexerService.speechEngines(IndexerConfig.fromEnv(Map.of("VIGIL_INDEXER_TRANSCRIPT_ENGINE", "vosk"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vosk");
    }
}
