package dev.vigil.storage;

import dev.vigil.common.storage.SegmentKeys;
import dev.vigil.common.storage.SegmentStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.GetObjectPresignRequest;

/**
 * A {@link SegmentStore} in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW) through the AWS SDK for
 * Java v2's synchronous client over the JDK's HTTP stack. Compatibility choices:
 * <ul>
 *   <li>path-style addressing by default ({@code VIGIL_STORAGE_S3_PATH_STYLE}): MinIO and Ceph are
 *       usually reached by one host name, not one per bucket;</li>
 *   <li>request checksums only where the API requires them: since SDK 2.30 the default adds CRC32
 *       trailers in aws-chunked uploads, which older S3-compatible servers reject;</li>
 *   <li>bounded calls (connect 5 s, socket 30 s, one call at most 2 min with the SDK's standard retries),
 *       so a store that hangs fails the call instead of holding the recorder's upload thread.</li>
 * </ul>
 * Presigned GETs (SigV4, at most 7 days) name {@code VIGIL_STORAGE_S3_PUBLIC_ENDPOINT} when set.
 */
public final class S3SegmentStore implements SegmentStore {

    /** SigV4 presigned URLs are valid for at most a week. */
    static final Duration MAX_PRESIGN = Duration.ofDays(7);

    private final StorageConfig.S3Settings settings;
    private final S3Client s3;
    private final S3Presigner presigner;

    public S3SegmentStore(StorageConfig.S3Settings settings) {
        this.settings = settings;
        AwsCredentialsProvider credentials = settings.accessKey().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey().get(),
                        settings.secretKey().orElseThrow()))
                : DefaultCredentialsProvider.builder().build();
        Region region = Region.of(settings.region());
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30))
                        .build())
                .region(region)
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).apiCallTimeout(Duration.ofMinutes(2)));
        settings.endpoint().ifPresent(builder::endpointOverride);
        this.s3 = builder.build();
        var presign = S3Presigner.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build());
        settings.publicEndpoint().or(settings::endpoint).ifPresent(presign::endpointOverride);
        this.presigner = presign.build();
    }

    @Override
    public void put(String key, Path file, String contentType) throws IOException {
        SegmentKeys.check(key);
        try {
            s3.putObject(b -> b.bucket(settings.bucket()).key(key).contentType(contentType), RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw failure("put", key, e);
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        SegmentKeys.check(key);
        try {
            return s3.getObject(b -> b.bucket(settings.bucket()).key(key));
        } catch (SdkException e) {
            throw failure("get", key, e);
        }
    }

    @Override
    public long size(String key) throws IOException {
        SegmentKeys.check(key);
        try {
            return s3.headObject(b -> b.bucket(settings.bucket()).key(key)).contentLength();
        } catch (SdkException e) {
            throw failure("head", key, e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        SegmentKeys.check(key);
        try {
            // S3 answers 204 for a missing key too: deleting twice is not an error.
            s3.deleteObject(b -> b.bucket(settings.bucket()).key(key));
        } catch (SdkException e) {
            throw failure("delete", key, e);
        }
    }

    @Override
    public Optional<URI> presignedGet(String key, Duration ttl) {
        SegmentKeys.check(key);
        Duration valid = ttl.compareTo(MAX_PRESIGN) > 0 ? MAX_PRESIGN : ttl;
        GetObjectPresignRequest request = GetObjectPresignRequest.builder()
                .signatureDuration(valid)
                .getObjectRequest(b -> b.bucket(settings.bucket()).key(key))
                .build();
        try {
            return Optional.of(presigner.presignGetObject(request).url().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the SDK presigned an invalid URL for " + key, e);
        }
    }

    @Override
    public String describe() {
        return "s3://" + settings.bucket() + " at " + settings.endpoint().map(URI::toString).orElse("AWS " + settings.region());
    }

    @Override
    public void close() {
        try {
            presigner.close();
        } finally {
            s3.close();
        }
    }

    /** A missing object becomes {@link NoSuchFileException} (the interface's contract); anything else an IOException with context. */
    private IOException failure(String operation, String key, SdkException e) {
        // A missing bucket is a misconfiguration, not a missing object (both answer 404).
        boolean missing = e instanceof NoSuchKeyException
                || (e instanceof S3Exception s && s.statusCode() == 404 && !(e instanceof NoSuchBucketException));
        if (missing) {
            NoSuchFileException notFound = new NoSuchFileException(key, null, "no such object in " + describe());
            notFound.initCause(e);
            return notFound;
        }
        return new IOException("S3 " + operation + " of " + key + " in " + describe() + " failed: " + e.getMessage(), e);
    }
}
