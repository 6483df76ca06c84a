package dev.exifq.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * Stricter intake than the default test profile, for the tests of it: no URL allowlist, so loopback and private
 * addresses are refused (images.UrlIngestWithoutAllowlistTest, which signs nobody up), and 3 sign-ups an hour per
 * address (accounts.SignUpThrottleTest, which fetches no URL). One profile, so Quarkus starts once for both.
 */
public class StrictIntakeProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("exifq.ingest.allowed-cidrs", "",
                "exifq.auth.sign-ups.max-per-address", "3", "exifq.auth.sign-ups.window", "1h");
    }
}
