package dev.vigil.storage.testing;

import dev.vigil.storage.StorageConfig;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3-compatible server in the test's JVM: S3Proxy (the S3 REST API, SigV4 authentication) over
 * jclouds' in-memory blob store, on a free loopback port. Not a mock of the client: the AWS SDK talks
 * HTTP to it like to MinIO. Users of the test-jar add {@code org.gaul:s3proxy} (test scope) themselves.
 */
public final class S3TestServer implements AutoCloseable {

    public static final String ACCESS_KEY = "vigil-test-access";
    public static final String SECRET_KEY = "vigil-test-secret-key";

    private final BlobStoreContext context;
    private final S3Proxy proxy;
    private final URI endpoint;

    private S3TestServer(BlobStoreContext context, S3Proxy proxy) {
        this.context = context;
        this.proxy = proxy;
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** Starts a server with an empty store on a free port; waits until it listens. */
    public static S3TestServer start() throws Exception {
        return start(0);
    }

    /** Starts a server with an empty store on {@code port} (0: a free one); waits until it listens. */
    public static S3TestServer start(int port) throws Exception {
        BlobStoreContext context = ContextBuilder.newBuilder("transient")
                .credentials(ACCESS_KEY, SECRET_KEY)
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                proxy.stop();
                context.close();
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.onSpinWait();
        }
        return new S3TestServer(context, proxy);
    }

    /** Creates {@code bucket} (if missing) and returns it. */
    public String createBucket(String bucket) {
        context.getBlobStore().createContainerInLocation(null, bucket);
        return bucket;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Settings for a store in {@code bucket} of this server, path-style, with the test credentials. */
    public StorageConfig.S3Settings settings(String bucket) {
        return new StorageConfig.S3Settings(Optional.of(endpoint), Optional.empty(), bucket, "us-east-1",
                Optional.of(ACCESS_KEY), Optional.of(SECRET_KEY), true);
    }

    /** The {@code VIGIL_STORAGE_*} variables of a store in {@code bucket} of this server. */
    public java.util.Map<String, String> env(String bucket) {
        return java.util.Map.of(
                "VIGIL_STORAGE_BACKEND", "s3",
                "VIGIL_STORAGE_S3_ENDPOINT", endpoint.toString(),
                "VIGIL_STORAGE_S3_BUCKET", bucket,
                "VIGIL_STORAGE_S3_ACCESS_KEY", ACCESS_KEY,
                "VIGIL_STORAGE_S3_SECRET_KEY", SECRET_KEY,
                "VIGIL_STORAGE_S3_PATH_STYLE", "true");
    }

    @Override
    public void close() throws Exception {
        try {
            proxy.stop();
        } finally {
            context.close();
        }
    }
}
