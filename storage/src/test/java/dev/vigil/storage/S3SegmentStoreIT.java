package dev.vigil.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.common.storage.SegmentStore;
import dev.vigil.storage.testing.S3TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The segment store contract on the S3 backend against a real S3-compatible server (S3Proxy, in
 * process), plus what only S3 does: presigned GETs that work without credentials and stop working when
 * tampered with, and a clear error (not a hang) when the service is unreachable.
 */
class S3SegmentStoreIT extends SegmentStoreContract {

    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3TestServer server;
    private SegmentStore opened;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3TestServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @AfterEach
    void closeStore() {
        if (opened != null) {
            opened.close();
        }
    }

    @Override
    SegmentStore store() {
        String bucket = server.createBucket("vigil-test-" + BUCKETS.incrementAndGet());
        opened = SegmentStores.open(new StorageConfig(StorageBackend.S3, tmp, Optional.of(server.settings(bucket))));
        return opened;
    }

    @Test
    void opensAnS3Store() {
        assertThat(store()).isInstanceOf(S3SegmentStore.class);
        assertThat(opened.describe()).startsWith("s3://vigil-test-").contains(server.endpoint().toString());
    }

    @Test
    void presignedGetReadsTheObjectWithoutCredentialsUntilTamperedWith() throws Exception {
        SegmentStore store = store();
        byte[] bytes = randomBytes(50_000);
        store.put("col-1/rts-1/5-s-0.ts", Files.write(tmp.resolve("p.ts"), bytes), "video/mp2t");

        URI url = store.presignedGet("col-1/rts-1/5-s-0.ts", Duration.ofMinutes(5)).orElseThrow();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> ok = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo(bytes);
        assertThat(ok.headers().firstValue("Content-Type")).hasValue("video/mp2t");

        URI otherKey = URI.create(url.toString().replace("5-s-0.ts", "6-s-0.ts"));
        HttpResponse<byte[]> forged = http.send(HttpRequest.newBuilder(otherKey).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(forged.statusCode()).isEqualTo(403);
        HttpResponse<byte[]> unsigned = http.send(HttpRequest.newBuilder(URI.create(url.toString().replaceFirst("\\?.*", "")))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(unsigned.statusCode()).isEqualTo(403);
    }

    @Test
    void presignedLinksNameThePublicEndpointWhenOneIsSet() {
        String bucket = server.createBucket("vigil-test-" + BUCKETS.incrementAndGet());
        StorageConfig.S3Settings s = server.settings(bucket);
        StorageConfig.S3Settings withPublic = new StorageConfig.S3Settings(s.endpoint(),
                Optional.of(URI.create("https://media.example.org")), s.bucket(), s.region(), s.accessKey(), s.secretKey(), true);
        try (S3SegmentStore store = new S3SegmentStore(withPublic)) {
            URI url = store.presignedGet("col-1/rts-1/a.ts", Duration.ofDays(30)).orElseThrow();
            assertThat(url.toString()).startsWith("https://media.example.org/" + bucket + "/col-1/rts-1/a.ts?")
                    // capped at SigV4's maximum of 7 days
                    .contains("X-Amz-Expires=604800");
        }
    }

    @Test
    void anUnreachableServiceFailsWithAnIoExceptionNotAHang() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        StorageConfig.S3Settings s = server.settings("vigil-nowhere");
        StorageConfig.S3Settings unreachable = new StorageConfig.S3Settings(
                Optional.of(URI.create("http://127.0.0.1:" + closedPort)), Optional.empty(), s.bucket(), s.region(),
                s.accessKey(), s.secretKey(), true);
        try (S3SegmentStore store = new S3SegmentStore(unreachable)) {
            assertThatThrownBy(() -> store.put("col-1/rts-1/a.ts", Files.writeString(tmp.resolve("u.ts"), "u"), "video/mp2t"))
                    .isInstanceOf(IOException.class)
                    .isNotInstanceOf(NoSuchFileException.class)
                    .hasMessageContaining("S3 put of col-1/rts-1/a.ts");
        }
    }

    @Test
    void aMissingBucketIsAnErrorNotAMissingObject() throws Exception {
        StorageConfig.S3Settings missing = server.settings("vigil-no-such-bucket");
        try (S3SegmentStore store = new S3SegmentStore(missing)) {
            assertThatThrownBy(() -> store.put("col-1/rts-1/a.ts", Files.writeString(tmp.resolve("m.ts"), "m"), "video/mp2t"))
                    .isInstanceOf(IOException.class)
                    .isNotInstanceOf(NoSuchFileException.class);
        }
    }
}
