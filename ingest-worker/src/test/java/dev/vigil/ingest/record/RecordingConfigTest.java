package dev.vigil.ingest.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.common.config.ConfigException;
import dev.vigil.common.config.ConfigValues;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordingConfigTest {

    @Test
    void defaultsRecordOnlyStoreTrueStreamsInFourSecondSegmentsForADay() {
        RecordingConfig config = RecordingConfig.defaults();
        assertThat(config.defaultOn()).isFalse();
        assertThat(config.segment()).isEqualTo(Duration.ofSeconds(4));
        assertThat(config.retention()).isEqualTo(Duration.ofHours(24));
        assertThat(config.maxBytesPerStream()).isZero();
        assertThat(config.pendingBytes()).isEqualTo(256L << 20);
        assertThat(config.sweepInterval()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void readsSizesWithUnits() {
        RecordingConfig config = RecordingConfig.from(ConfigValues.read(Map.of("VIGIL_RECORDING_MAX_BYTES_PER_STREAM", "10GB",
                "VIGIL_RECORDING_SEGMENT", "45s", "VIGIL_RECORDING_DEFAULT", "true"), RecordingConfig.SETTINGS));
        assertThat(config.maxBytesPerStream()).isEqualTo(10L << 30);
        assertThat(config.defaultOn()).isTrue();
        assertThat(config.sweepInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void rejectsBadValuesAllAtOnce() {
        assertThatThrownBy(() -> RecordingConfig.from(ConfigValues.read(Map.of("VIGIL_RECORDING_SEGMENT", "100ms",
                "VIGIL_RECORDING_MAX_BYTES_PER_STREAM", "lots", "VIGIL_RECORDING_PENDING_MAX_BYTES", "1KB"),
                RecordingConfig.SETTINGS)))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).errors()).hasSize(3));
    }
}
