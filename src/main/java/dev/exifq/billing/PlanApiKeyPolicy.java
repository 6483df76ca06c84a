package dev.exifq.billing;

import dev.exifq.accounts.ApiKeyPolicy;
import dev.exifq.accounts.CurrentUser;
import jakarta.enterprise.context.ApplicationScoped;

/** API keys are a plan feature. */
@ApplicationScoped
public class PlanApiKeyPolicy implements ApiKeyPolicy {
    private final Plans plans;

    public PlanApiKeyPolicy(Plans plans) {
        this.plans = plans;
    }

    @Override
    public void checkMayCreate(CurrentUser user) {
        plans.require(user.role(), user.plan(), Feature.API_KEYS);
    }
}
