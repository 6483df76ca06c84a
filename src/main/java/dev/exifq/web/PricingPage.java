package dev.exifq.web;

import dev.exifq.billing.Plan;
import dev.exifq.billing.Plans;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;

/** The plans, from billing's configuration (exifq.billing.plans.*), cheapest first: the limit's upgradeUrl. */
@Path("/pricing")
@Produces(MediaType.TEXT_HTML)
public class PricingPage {
    private final PageAuth auth;
    private final Plans plans;
    private final Template page;

    public PricingPage(PageAuth auth, Plans plans, @Location("public/pricing.html") Template page) {
        this.auth = auth;
        this.plans = plans;
        this.page = page;
    }

    @TemplateData
    public record PlanCard(String id, String name, int priceUsdPerMonth, int imagesPerDay, boolean apiKeys,
                           boolean bulk, boolean current) {
        static PlanCard of(Plan p, String currentPlanId) {
            return new PlanCard(p.id(), p.name(), p.priceUsdPerMonth(), p.imagesPerDay(), p.apiKeys(), p.bulk(),
                    p.id().equals(currentPlanId));
        }

        public boolean free() {
            return priceUsdPerMonth == 0;
        }
    }

    @GET
    public TemplateInstance show(@Context UriInfo uri) {
        Layout layout = auth.layout("Pricing", uri);
        String current = layout.viewer() == null ? null : plans.of(layout.viewer().plan()).id();
        List<PlanCard> cards = plans.all().values().stream().map(p -> PlanCard.of(p, current)).toList();
        return page.data("layout", layout).data("plans", cards);
    }
}
