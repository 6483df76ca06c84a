package dev.exifq.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * Settings switched off or to zero that the tests using them never meet: originals kept for no time
 * (images.RetentionZeroTest), no Stripe secrets (billing.BillingDisabledTest), no wait for the clusters
 * (duplicates.ClustersStillComputingTest, which alone asks for them). One profile, so Quarkus starts once for the
 * three.
 */
public class SwitchedOffProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("exifq.retention.originals", "0",
                "exifq.stripe.api-key", "", "exifq.stripe.webhook-secret", "",
                "exifq.duplicates.cluster-wait", "0s");
    }
}
