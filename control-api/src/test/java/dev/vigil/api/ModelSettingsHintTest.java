package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.models.ModelConfig;
import dev.vigil.rules.prompt.PromptCompiler;
import org.junit.jupiter.api.Test;

/** The rules module names the model settings in its refusals without depending on common: keep the names in step. */
class ModelSettingsHintTest {

    @Test
    void refusalsNameTheSettingsThatMakeAJudgeAvailable() {
        assertThat(PromptCompiler.JUDGE_SETTINGS_HINT).contains(ModelConfig.BASE_URL.env(), ModelConfig.TEXT.env());
    }

    @Test
    void refusalsOfWhatNoOfflineEngineReportsNameTheVisionSettingToo() {
        assertThat(PromptCompiler.VISION_SETTINGS_HINT).contains(ModelConfig.BASE_URL.env(), ModelConfig.VISION.env(),
                ModelConfig.TEXT.env());
    }

    @Test
    void controlApiReadsTheModelSettings() {
        assertThat(ControlApiConfig.SETTINGS).containsAll(ModelConfig.SETTINGS);
    }
}
