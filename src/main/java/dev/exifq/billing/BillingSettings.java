package dev.exifq.billing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Map;

/** Plans and their limits, from config ({@code exifq.billing.plans.<id>.*}); see application.properties. */
@ConfigMapping(prefix = "exifq.billing")
public interface BillingSettings {
    /** Where a refused request points the client to upgrade. */
    @WithDefault("/pricing")
    String upgradeUrl();

    /** The plan of a user whose plan is not (or no longer) configured. */
    @WithDefault("free")
    String defaultPlan();

    Map<String, PlanSettings> plans();

    interface PlanSettings {
        String name();

        /** US dollars per month. */
        @WithDefault("0")
        int priceUsdPerMonth();

        /** Images a user may submit per UTC day, web and API together. */
        int imagesPerDay();

        /** May create API keys. */
        @WithDefault("false")
        boolean apiKeys();

        /** May submit several images in one request. */
        @WithDefault("false")
        boolean bulk();
    }
}
