package dev.exifq.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * An {@code api} replica behind an ingress whose addresses are 10.0.0.0/8: the tests' own loopback connections come
 * from outside the trusted range, as a client reaching the pod directly would. Shared by the test classes that need
 * it, so Quarkus starts it once.
 */
public class ApiReplicaProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("exifq.role", "api", "exifq.http.trusted-proxies", "10.0.0.0/8");
    }
}
