package dev.exifq.storage;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.TransientApiMetadata;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.file.Path;

/**
 * A real S3 server in the test JVM: S3Proxy over jclouds' in-memory "transient" blob store, on 127.0.0.1 at a
 * free port, checking AWS V4 signatures with fixed test credentials.
 */
final class S3TestServer implements AutoCloseable {
    static final String ACCESS_KEY = "exifq-test-access";
    static final String SECRET_KEY = "exifq-test-secret-0123456789";
    static final String REGION = "us-east-1";

    private final BlobStoreContext context;
    private S3Proxy proxy;
    private final URI endpoint;

    private S3TestServer(BlobStoreContext context, S3Proxy proxy) {
        this.context = context;
        this.proxy = proxy;
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    static S3TestServer start() throws Exception {
        // By its metadata, not its name: a name makes jclouds load every provider it can find, and S3Proxy's
        // Azure one needs the jclouds Azure modules we leave off the classpath.
        BlobStoreContext context = ContextBuilder.newBuilder(new TransientApiMetadata())
                .credentials("unused", "unused")
                .build(BlobStoreContext.class);
        return new S3TestServer(context, startProxy(context, 0));
    }

    /** An outage: the S3 endpoint stops answering; what it stored stays (see {@link #storedInMemory}). */
    void stopProxy() throws Exception {
        proxy.stop();
    }

    /** The end of the outage: the same store answers again at the same address. */
    void restartProxy() throws Exception {
        proxy = startProxy(context, endpoint.getPort());
    }

    /** Whether the server holds the object, looked up behind the S3 API (so also while it is stopped). */
    boolean storedInMemory(String bucket, String key) {
        return context.getBlobStore().blobExists(bucket, key);
    }

    private static S3Proxy startProxy(BlobStoreContext context, int port) throws Exception {
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        try {
            proxy.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
                }
                Thread.sleep(10);
            }
        } catch (Exception e) {
            proxy.stop();
            if (port == 0) {
                context.close();
            }
            throw e;
        }
        return proxy;
    }

    URI endpoint() {
        return endpoint;
    }

    /** Settings for a store on this server; {@code createBucket} so each test class can use a fresh bucket. */
    S3BlobStore.Settings settings(String bucket, String prefix, Path scratchDir) {
        return new S3BlobStore.Settings(bucket, REGION, endpoint, true, ACCESS_KEY, SECRET_KEY, prefix, scratchDir, true);
    }

    /** A plain SDK client, to look at what the store wrote without going through it. */
    S3Client rawClient() {
        return S3Client.builder()
                .httpClientBuilder(Apache5HttpClient.builder())
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
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
