package dev.exifq.storage;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Runs the service against an S3Proxy server in the test JVM ({@link S3TestServer}); tests reach it through
 * {@link #server()} to look into the bucket and to simulate an outage.
 */
public class S3TestResource implements QuarkusTestResourceLifecycleManager {
    public static final String BUCKET = "exifq-quarkus-test";
    private static volatile S3TestServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = S3TestServer.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "exifq.storage.type", "s3",
                "exifq.storage.s3.bucket", BUCKET,
                "exifq.storage.s3.endpoint", server.endpoint().toString(),
                "exifq.storage.s3.path-style", "true",
                "exifq.storage.s3.region", S3TestServer.REGION,
                "exifq.storage.s3.access-key", S3TestServer.ACCESS_KEY,
                "exifq.storage.s3.secret-key", S3TestServer.SECRET_KEY,
                "exifq.storage.s3.create-bucket", "true");
    }

    @Override
    public void stop() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean stored(String key) {
        return server.storedInMemory(BUCKET, key);
    }

    public static void outage() throws Exception {
        server.stopProxy();
    }

    public static void recover() throws Exception {
        server.restartProxy();
    }
}
