package dev.exifq.billing;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.exifq.accounts.CurrentUser;
import dev.exifq.accounts.User;
import dev.exifq.platform.ApiException;
import dev.exifq.platform.ApiTime;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Map;

/** The caller's plan, usage and subscription, and the ways into Stripe to change it: Checkout and the Billing Portal. */
@Path("/api/billing")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Billing")
@SecurityRequirement(name = "apiKey")
@SecurityRequirement(name = "sessionCookie")
public class BillingResource {
    private static final String SESSION_ONLY = "Sign in to manage your subscription; an API key cannot.";

    private final CurrentUser user;
    private final Usage usage;
    private final Plans plans;
    private final Subscriptions subscriptions;
    private final StripeGateway stripe;

    public BillingResource(CurrentUser user, Usage usage, Plans plans, Subscriptions subscriptions, StripeGateway stripe) {
        this.user = user;
        this.usage = usage;
        this.plans = plans;
        this.subscriptions = subscriptions;
        this.stripe = stripe;
    }

    @JsonPropertyOrder({"ok", "plan", "usage", "limits", "subscription"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "BillingStatus")
    public record Status(@Schema(example = "true") boolean ok,
                         @Schema(description = "The caller's plan id", example = "free") String plan,
                         UsageView usage,
                         @Schema(description = "Every plan by id, cheapest first") Map<String, Plan> limits,
                         @Schema(nullable = true, description = "The Stripe subscription (a paying one first); null "
                                 + "when the caller never subscribed") SubscriptionView subscription) {}

    @JsonPropertyOrder({"id", "status", "current_period_end", "payment_failed_at"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "Subscription")
    public record SubscriptionView(@Schema(example = "sub_1OqXyz") String id,
                                   @Schema(description = "Stripe's status; Pro while active or trialing",
                                           example = "active") String status,
                                   @JsonProperty("current_period_end") @Schema(nullable = true,
                                           example = "2024-03-23 15:15:30 UTC") String currentPeriodEnd,
                                   @JsonProperty("payment_failed_at") @Schema(nullable = true,
                                           description = "When Stripe last reported a failed payment") String paymentFailedAt) {
        static SubscriptionView of(Subscriptions.State s) {
            return new SubscriptionView(s.id(), s.status(), ApiTime.format(s.currentPeriodEnd()),
                    ApiTime.format(s.paymentFailedAt()));
        }
    }

    @JsonPropertyOrder({"ok", "url"})
    @Schema(name = "StripeRedirect")
    public record Redirect(@Schema(example = "true") boolean ok,
                           @Schema(description = "Send the browser here") String url) {}

    @GET
    @Path("/status")
    @Operation(summary = "Plan and usage", description = "The caller's plan, how many images it processed today "
            + "(UTC) against its daily limit, when that resets, the limits of every plan, and the caller's Stripe "
            + "subscription (null if none).")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Status.class), examples = @ExampleObject(name = "free", value = """
            {"ok": true, "plan": "pro",
             "usage": {"today": 3, "limit": 300, "resets_at": "2024-02-24 00:00:00 UTC"},
             "limits": {"free": {"id": "free", "name": "Free", "price_usd_per_month": 0, "images_per_day": 5,
                                 "api_keys": false, "bulk": false},
                        "pro": {"id": "pro", "name": "Pro", "price_usd_per_month": 9, "images_per_day": 300,
                                "api_keys": true, "bulk": true}},
             "subscription": {"id": "sub_1OqXyz", "status": "active", "current_period_end": "2024-03-23 15:15:30 UTC",
                              "payment_failed_at": null}}""")))
    @APIResponse(responseCode = "401", description = "No or invalid credentials", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "unauthorized", value = """
            {"ok": false, "error": "unauthorized", "message": "Authentication required."}""")))
    @Transactional
    public Status status() {
        String planId = plans.of(user.plan()).id();
        return new Status(true, planId, UsageView.of(usage.today(user.id(), user.role(), user.plan())), plans.all(),
                subscriptions.current(user.id()).map(SubscriptionView::of).orElse(null));
    }

    @POST
    @Path("/checkout")
    @Operation(summary = "Subscribe to Pro", description = "Creates a Stripe Checkout Session (subscription mode, the "
            + "Pro price) for the caller's Stripe customer, created on first use, and returns its URL. The plan "
            + "changes when Stripe's webhook confirms the subscription.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Redirect.class), examples = @ExampleObject(name = "checkout", value = """
            {"ok": true, "url": "https://checkout.stripe.com/c/pay/cs_test_a1b2c3"}""")))
    @APIResponse(responseCode = "409", description = "Already subscribed: use the portal", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "already_subscribed", value = """
            {"ok": false, "error": "already_subscribed",
             "message": "You already have an active subscription. Manage it in the billing portal."}""")))
    @APIResponse(responseCode = "502", description = "Stripe refused or did not answer", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "stripe_error", value = """
            {"ok": false, "error": "stripe_error", "message": "The payment provider did not answer as expected. Try again later."}""")))
    @APIResponse(responseCode = "403", description = "Called with an API key: subscriptions are managed from a "
            + "signed-in session", content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(
            name = "session_required", value = """
            {"ok": false, "error": "session_required", "message": "Sign in to manage your subscription; an API key cannot."}""")))
    @APIResponse(responseCode = "503", description = "No Stripe API key or Pro price configured", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "billing_disabled", value = StripeGateway.DISABLED_EXAMPLE)))
    public Redirect checkout() {
        user.requireSession(SESSION_ONLY);
        long userId = user.id();
        stripe.requireCheckout();
        if (inTransaction(() -> subscriptions.anyPaid(userId))) {
            throw new ApiException(409, "already_subscribed",
                    "You already have an active subscription. Manage it in the billing portal.");
        }
        String customer = inTransaction(() -> subscriptions.customerOf(userId)).orElseGet(() -> {
            User u = inTransaction(() -> User.<User>findById(userId));
            if (u == null) {
                throw new ApiException(401, "unauthorized", "Authentication required.");
            }
            String created = stripe.createCustomer(userId, u.email, u.name);
            return inTransaction(() -> subscriptions.link(userId, created)); // a concurrent checkout's link wins
        });
        return new Redirect(true, stripe.checkoutUrl(userId, customer));
    }

    @POST
    @Path("/portal")
    @Operation(summary = "Manage the subscription", description = "A Stripe Billing Portal session for the caller's "
            + "customer (change card, see invoices, cancel); returns its URL.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Redirect.class), examples = @ExampleObject(name = "portal", value = """
            {"ok": true, "url": "https://billing.stripe.com/p/session/test_a1b2c3"}""")))
    @APIResponse(responseCode = "400", description = "Never went through checkout", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "no_customer", value = """
            {"ok": false, "error": "no_customer",
             "message": "You have no billing account yet. Subscribe first (POST /api/billing/checkout)."}""")))
    @APIResponse(responseCode = "403", description = "Called with an API key: subscriptions are managed from a "
            + "signed-in session", content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(
            name = "session_required", value = """
            {"ok": false, "error": "session_required", "message": "Sign in to manage your subscription; an API key cannot."}""")))
    @APIResponse(responseCode = "503", description = "No Stripe API key configured", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "billing_disabled", value = StripeGateway.DISABLED_EXAMPLE)))
    public Redirect portal() {
        user.requireSession(SESSION_ONLY);
        long userId = user.id();
        stripe.requireApiKey();
        String customer = inTransaction(() -> subscriptions.customerOf(userId)).orElseThrow(() -> ApiException.badRequest(
                "no_customer", "You have no billing account yet. Subscribe first (POST /api/billing/checkout)."));
        return new Redirect(true, stripe.portalUrl(customer));
    }

    /** Short transactions around the Stripe calls: no database connection is held while Stripe answers. */
    private static <T> T inTransaction(java.util.concurrent.Callable<T> work) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(work);
    }
}
