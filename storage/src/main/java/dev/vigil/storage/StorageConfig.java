package dev.vigil.storage;

import dev.vigil.common.config.ConfigException;
import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.config.Setting;
import dev.vigil.common.config.Settings;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where recordings are stored ({@code VIGIL_STORAGE_*}): read by the ingest worker (writes segments,
 * enforces retention) and by control-api (plays and exports them); both must be given the same values.
 *
 * @param backend        local directory or S3-compatible bucket
 * @param dir            the local directory (backend {@code local})
 * @param s3             the bucket settings (backend {@code s3})
 */
public record StorageConfig(StorageBackend backend, Path dir, Optional<S3Settings> s3) {

    /**
     * Settings of an S3-compatible bucket.
     *
     * @param endpoint       the service URL; empty: AWS S3 of {@code region}
     * @param publicEndpoint the URL presigned links name (what browsers reach); empty: {@code endpoint}
     * @param bucket         the bucket, which must exist
     * @param region         the signing region
     * @param accessKey      static credentials; empty: the SDK's default chain (environment, profile, IAM role)
     * @param secretKey      the secret of {@code accessKey}
     * @param pathStyle      {@code http://host/bucket/key} instead of {@code http://bucket.host/key} (MinIO, Ceph)
     */
    public record S3Settings(Optional<URI> endpoint, Optional<URI> publicEndpoint, String bucket, String region,
            Optional<String> accessKey, Optional<String> secretKey, boolean pathStyle) {

        @Override
        public String toString() {
            // Never the secret: this appears in logs.
            return "S3Settings[endpoint=" + endpoint.map(URI::toString).orElse("AWS") + ", bucket=" + bucket
                    + ", region=" + region + ", pathStyle=" + pathStyle + ", credentials="
                    + (accessKey.isPresent() ? "static" : "default chain") + "]";
        }
    }

    public static final Setting<StorageBackend> BACKEND = Settings.enumeration("VIGIL_STORAGE_BACKEND", StorageBackend.class,
            StorageBackend.LOCAL, "Where recordings (store=true streams) are kept: local (VIGIL_STORAGE_DIR) or s3 "
                    + "(an S3-compatible bucket: AWS S3, MinIO, Ceph). The ingest worker and control-api must use the same.");
    public static final Setting<String> DIR = Settings.string("VIGIL_STORAGE_DIR",
            Path.of(System.getProperty("java.io.tmpdir"), "vigil-recordings").toString(),
            "Directory of the local backend (standalone: <data dir>/recordings). Separate services need a shared volume.");
    public static final Setting<URI> S3_ENDPOINT = Settings.uri("VIGIL_STORAGE_S3_ENDPOINT", null,
            "URL of the S3-compatible service (e.g. http://minio:9000); unset: AWS S3 in VIGIL_STORAGE_S3_REGION.");
    public static final Setting<URI> S3_PUBLIC_ENDPOINT = Settings.uri("VIGIL_STORAGE_S3_PUBLIC_ENDPOINT", null,
            "URL presigned playback links point at, when browsers reach the service under another address than "
                    + "Vigil does; unset: VIGIL_STORAGE_S3_ENDPOINT.");
    public static final Setting<String> S3_BUCKET = Settings.string("VIGIL_STORAGE_S3_BUCKET", null,
            "Bucket of the s3 backend (must exist; required with VIGIL_STORAGE_BACKEND=s3).")
            .check(b -> b.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"), "an S3 bucket name (3-63 of a-z, 0-9, '.', '-')");
    public static final Setting<String> S3_REGION = Settings.string("VIGIL_STORAGE_S3_REGION", "us-east-1",
            "Signing region of the s3 backend (MinIO and Ceph accept the default).");
    public static final Setting<String> S3_ACCESS_KEY = Settings.string("VIGIL_STORAGE_S3_ACCESS_KEY", null,
            "Access key of the s3 backend; unset: the AWS SDK's default credentials (environment, profile, IAM role).")
            .secret();
    public static final Setting<String> S3_SECRET_KEY = Settings.string("VIGIL_STORAGE_S3_SECRET_KEY", null,
            "Secret key of VIGIL_STORAGE_S3_ACCESS_KEY.").secret();
    public static final Setting<Boolean> S3_PATH_STYLE = Settings.bool("VIGIL_STORAGE_S3_PATH_STYLE", true,
            "Path-style addressing (http://host/bucket/key), what MinIO and Ceph expect; false: virtual-hosted style (AWS).");

    public static final List<Setting<?>> SETTINGS = List.of(BACKEND, DIR, S3_ENDPOINT, S3_PUBLIC_ENDPOINT, S3_BUCKET,
            S3_REGION, S3_ACCESS_KEY, S3_SECRET_KEY, S3_PATH_STYLE);

    /** Builds the config from validated values, checking the rules that join settings; lists every error. */
    public static StorageConfig from(ConfigValues values) {
        StorageBackend backend = values.get(BACKEND);
        Path dir = Path.of(values.get(DIR));
        if (backend == StorageBackend.LOCAL) {
            return new StorageConfig(backend, dir, Optional.empty());
        }
        List<String> errors = new ArrayList<>();
        if (values.find(S3_BUCKET).isEmpty()) {
            errors.add(S3_BUCKET.env() + ": required with " + BACKEND.env() + "=s3");
        }
        if (values.find(S3_ACCESS_KEY).isPresent() != values.find(S3_SECRET_KEY).isPresent()) {
            errors.add(S3_ACCESS_KEY.env() + " and " + S3_SECRET_KEY.env() + ": set both or neither");
        }
        for (Setting<URI> endpoint : List.of(S3_ENDPOINT, S3_PUBLIC_ENDPOINT)) {
            values.find(endpoint).ifPresent(uri -> {
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                    errors.add(endpoint.env() + ": must be an http or https URL");
                }
            });
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new StorageConfig(backend, dir, Optional.of(new S3Settings(values.find(S3_ENDPOINT),
                values.find(S3_PUBLIC_ENDPOINT), values.get(S3_BUCKET), values.get(S3_REGION), values.find(S3_ACCESS_KEY),
                values.find(S3_SECRET_KEY), values.get(S3_PATH_STYLE))));
    }

    /** A local store in {@code dir}, for tests and tools. */
    public static StorageConfig local(Path dir) {
        return new StorageConfig(StorageBackend.LOCAL, dir, Optional.empty());
    }
}
