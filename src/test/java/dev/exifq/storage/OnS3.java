package dev.exifq.storage;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/**
 * The service on the S3 store (S3Proxy in the test JVM, {@link S3TestResource}), with presigned downloads on as in
 * production on S3. Every S3 test uses this one profile, so they share one boot.
 */
public class OnS3 implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(S3TestResource.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("exifq.downloads.presigned", "true");
    }
}
