package dev.exifq.web;

import dev.exifq.billing.Plan;
import dev.exifq.billing.Plans;
import dev.exifq.billing.StripeGateway;
import dev.exifq.billing.Subscriptions;
import dev.exifq.billing.Usage;
import dev.exifq.platform.ApiTime;
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

/**
 * Plan, today's usage as a meter, and the ways into Stripe: the buttons (static/billing.js) POST to
 * /api/billing/checkout or /portal with the session and CSRF token and follow the URL they return.
 */
@Path("/dashboard/billing")
@Produces(MediaType.TEXT_HTML)
public class BillingPage {
    private final PageAuth auth;
    private final Plans plans;
    private final Usage usage;
    private final Subscriptions subscriptions;
    private final StripeGateway stripe;
    private final Template page;

    public BillingPage(PageAuth auth, Plans plans, Usage usage, Subscriptions subscriptions, StripeGateway stripe,
                       @Location("dashboard/billing.html") Template page) {
        this.auth = auth;
        this.plans = plans;
        this.usage = usage;
        this.subscriptions = subscriptions;
        this.stripe = stripe;
        this.page = page;
    }

    @TemplateData
    public record Meter(int today, Integer limit, String resetsAt) {
        public boolean unlimited() {
            return limit == null;
        }

        public boolean atLimit() {
            return limit != null && today >= limit;
        }

        /** From here the meter shows a warning colour (with optimum 0, low..high is the middle band). */
        public int low() {
            return limit == null ? 0 : (int) Math.ceil(limit * 0.6);
        }

        /** From here (the last unit up to the limit itself) the meter shows the alarm colour. */
        public int high() {
            return limit == null ? 0 : Math.max(1, limit - Math.max(1, limit / 10));
        }

        /** The meter's value, capped at its maximum (a refund race can leave today above the limit). */
        public int shown() {
            return limit == null ? today : Math.min(today, limit);
        }
    }

    @TemplateData
    public record Subscription(String status, String currentPeriodEnd, String paymentFailedAt) {}

    @GET
    public TemplateInstance show(@Context UriInfo uri) {
        Viewer viewer = auth.require(uri);
        String role = viewer.admin() ? "admin" : "user";
        Plan plan = plans.of(viewer.plan());
        Usage.Today t = usage.today(viewer.id(), role, viewer.plan());
        boolean paid = plan.priceUsdPerMonth() > 0;
        Subscription sub = subscriptions.current(viewer.id()).map(s -> new Subscription(s.status(),
                ApiTime.format(s.currentPeriodEnd()), ApiTime.format(s.paymentFailedAt()))).orElse(null);
        return page.data("layout", auth.layout("Billing", uri))
                .data("plan", PricingPage.PlanCard.of(plan, plan.id()))
                .data("meter", new Meter(t.today(), t.limit(), ApiTime.format(t.resetsAt())))
                .data("subscription", sub)
                .data("canUpgrade", !paid && !viewer.admin())
                .data("hasCustomer", subscriptions.customerOf(viewer.id()).isPresent())
                .data("checkoutConfigured", stripe.checkoutConfigured())
                .data("portalConfigured", stripe.portalConfigured())
                .data("upgradeUrl", plans.upgradeUrl());
    }
}
