package dev.vigil.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.config.ConfigReference;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration reference is generated from the code; this keeps the two in step. */
class ReadmeConfigReferenceTest {

    @Test
    void readmeListsExactlyTheSettingsOfTheCode() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf('\n', readme.indexOf("<!-- config:start")) + 1;
        int end = readme.indexOf("<!-- config:end -->");

        assertThat(readme.substring(start, end))
                .as("README.md configuration table; regenerate it with ./vigil config")
                .isEqualTo(ConfigReference.markdown(StandaloneConfig.settings()));
    }
}
