package dev.exifq.billing;

import dev.exifq.platform.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/** The configured plans, and the checks that a plan allows something. Admins are never limited. */
@ApplicationScoped
public class Plans {
    private static final Logger LOG = Logger.getLogger(Plans.class);
    private static final String ROLE_ADMIN = "admin";

    private final Map<String, Plan> plans;
    private final Plan fallback;
    private final String upgradeUrl;

    public Plans(BillingSettings settings) {
        Map<String, Plan> byPrice = new LinkedHashMap<>();
        settings.plans().entrySet().stream()
                .map(e -> new Plan(e.getKey(), e.getValue().name(), e.getValue().priceUsdPerMonth(),
                        e.getValue().imagesPerDay(), e.getValue().apiKeys(), e.getValue().bulk()))
                .sorted(Comparator.comparingInt(Plan::priceUsdPerMonth).thenComparing(Plan::id))
                .forEach(p -> byPrice.put(p.id(), p));
        this.plans = Collections.unmodifiableMap(byPrice);
        this.fallback = byPrice.get(settings.defaultPlan());
        if (fallback == null) {
            throw new IllegalStateException("exifq.billing.default-plan '" + settings.defaultPlan()
                    + "' is not among the configured plans " + byPrice.keySet());
        }
        this.upgradeUrl = settings.upgradeUrl();
    }

    /** All plans, cheapest first. */
    public Map<String, Plan> all() {
        return plans;
    }

    /** The plan with this id; an unknown id (a plan since removed from config) counts as the default plan. */
    public Plan of(String planId) {
        Plan p = planId == null ? null : plans.get(planId);
        if (p == null) {
            if (planId != null) {
                LOG.warnf("Plan '%s' is not configured; treating it as '%s'", planId, fallback.id());
            }
            return fallback;
        }
        return p;
    }

    /** Images a day for this user, or null when unlimited (admins). */
    public Integer dailyLimit(String role, String planId) {
        return ROLE_ADMIN.equals(role) ? null : of(planId).imagesPerDay();
    }

    /** @throws ApiException 403 plan_required when the user's plan lacks the feature (admins pass) */
    public void require(String role, String planId, Feature feature) {
        if (ROLE_ADMIN.equals(role) || of(planId).includes(feature)) {
            return;
        }
        String needed = plans.values().stream().filter(p -> p.includes(feature)).map(Plan::name).findFirst()
                .orElse("a paid");
        throw new ApiException(403, "plan_required", "The " + needed + " plan is required for " + feature.label() + ".",
                Map.of("upgradeUrl", upgradeUrl));
    }

    public String upgradeUrl() {
        return upgradeUrl;
    }
}
