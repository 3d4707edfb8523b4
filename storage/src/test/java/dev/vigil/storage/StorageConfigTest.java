package dev.vigil.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.common.config.ConfigException;
import dev.vigil.common.config.ConfigValues;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageConfigTest {

    private static StorageConfig read(Map<String, String> env) {
        return StorageConfig.from(ConfigValues.read(env, StorageConfig.SETTINGS));
    }

    @Test
    void defaultsToALocalDirectory() {
        StorageConfig config = read(Map.of());
        assertThat(config.backend()).isEqualTo(StorageBackend.LOCAL);
        assertThat(config.dir()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "vigil-recordings"));
        assertThat(config.s3()).isEmpty();
    }

    @Test
    void readsTheS3Settings() {
        StorageConfig config = read(Map.of("VIGIL_STORAGE_BACKEND", "s3", "VIGIL_STORAGE_S3_ENDPOINT", "http://minio:9000",
                "VIGIL_STORAGE_S3_BUCKET", "vigil-recordings", "VIGIL_STORAGE_S3_ACCESS_KEY", "ak",
                "VIGIL_STORAGE_S3_SECRET_KEY", "sk", "VIGIL_STORAGE_S3_PATH_STYLE", "false"));
        StorageConfig.S3Settings s3 = config.s3().orElseThrow();
        assertThat(s3.endpoint()).contains(URI.create("http://minio:9000"));
        assertThat(s3.bucket()).isEqualTo("vigil-recordings");
        assertThat(s3.region()).isEqualTo("us-east-1");
        assertThat(s3.pathStyle()).isFalse();
        assertThat(s3.toString()).doesNotContain("sk").contains("static");
    }

    @Test
    void reportsEveryS3MistakeAtOnce() {
        assertThatThrownBy(() -> read(Map.of("VIGIL_STORAGE_BACKEND", "s3", "VIGIL_STORAGE_S3_ACCESS_KEY", "ak",
                "VIGIL_STORAGE_S3_ENDPOINT", "ftp://minio")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).errors()).containsExactlyInAnyOrder(
                        "VIGIL_STORAGE_S3_BUCKET: required with VIGIL_STORAGE_BACKEND=s3",
                        "VIGIL_STORAGE_S3_ACCESS_KEY and VIGIL_STORAGE_S3_SECRET_KEY: set both or neither",
                        "VIGIL_STORAGE_S3_ENDPOINT: must be an http or https URL"));
    }

    @Test
    void refusesAnUnknownBackendAndABadBucketName() {
        assertThatThrownBy(() -> read(Map.of("VIGIL_STORAGE_BACKEND", "gcs", "VIGIL_STORAGE_S3_BUCKET", "Bad_Bucket")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("VIGIL_STORAGE_BACKEND")
                .hasMessageContaining("VIGIL_STORAGE_S3_BUCKET");
    }

    @Test
    void secretsAreMaskedInTheDescription() {
        ConfigValues values = ConfigValues.read(Map.of("VIGIL_STORAGE_S3_SECRET_KEY", "very-secret"), StorageConfig.SETTINGS);
        assertThat(values.describe()).contains("VIGIL_STORAGE_S3_SECRET_KEY=******").noneMatch(l -> l.contains("very-secret"));
    }
}
