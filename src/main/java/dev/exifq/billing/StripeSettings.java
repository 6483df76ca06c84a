package dev.exifq.billing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * Stripe, from config ({@code exifq.stripe.*}, set by the {@code EXIFQ_STRIPE_*} variables). An absent secret
 * turns off only the endpoints that need it: they answer 503 billing_disabled without calling Stripe.
 */
@ConfigMapping(prefix = "exifq.stripe")
public interface StripeSettings {
    /** Secret API key (sk_test_… / sk_live_… or a restricted rk_… key): checkout and portal. */
    Optional<String> apiKey();

    /** The recurring Price of the Pro plan (price_…). */
    Optional<String> proPriceId();

    /** The webhook endpoint's signing secret (whsec_…). */
    Optional<String> webhookSecret();

    /** Where stripe-java sends API calls; only tests change it (to a local server). */
    Optional<String> apiBase();

    /** The plan an active or trialing subscription gives. */
    @WithDefault("pro")
    String paidPlan();

    /** Where Checkout sends the customer after paying. */
    @WithDefault("http://localhost:8080/account?checkout=success")
    String successUrl();

    /** Where Checkout sends the customer who cancels. */
    @WithDefault("http://localhost:8080/pricing?checkout=cancelled")
    String cancelUrl();

    /** Where the Billing Portal's "return" link goes. */
    @WithDefault("http://localhost:8080/account")
    String portalReturnUrl();

    /** How old a webhook signature's timestamp may be (Stripe's own default is 5 minutes). */
    @WithDefault("5m")
    Duration webhookTolerance();
}
