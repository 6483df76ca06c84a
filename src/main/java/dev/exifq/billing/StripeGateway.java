package dev.exifq.billing;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.checkout.SessionCreateParams;
import dev.exifq.platform.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The one place that talks to Stripe's API, through a {@link StripeClient} instance (not stripe-java's global
 * static key), built once from {@link StripeSettings}.
 */
@ApplicationScoped
public class StripeGateway {
    private static final Logger LOG = Logger.getLogger(StripeGateway.class);
    static final String USER_ID = "exifq_user_id";
    static final String DISABLED_MESSAGE = "Billing is not configured on this server.";
    static final String DISABLED_EXAMPLE = "{\"ok\": false, \"error\": \"billing_disabled\", \"message\": \""
            + DISABLED_MESSAGE + "\"}";

    private final StripeSettings settings;
    private final StripeClient client;

    public StripeGateway(StripeSettings settings) {
        this.settings = settings;
        this.client = settings.apiKey().map(key -> {
            StripeClient.StripeClientBuilder b = StripeClient.builder().setApiKey(key).setMaxNetworkRetries(2)
                    .setConnectTimeout(10_000).setReadTimeout(30_000);
            settings.apiBase().ifPresent(b::setApiBase);
            return b.build();
        }).orElse(null);
    }

    /** A new Stripe customer for the user; its metadata names the user so the dashboard can find them. */
    public String createCustomer(long userId, String email, String name) {
        CustomerCreateParams.Builder p = CustomerCreateParams.builder().setEmail(email)
                .putMetadata(USER_ID, Long.toString(userId));
        if (name != null && !name.isBlank()) {
            p.setName(name);
        }
        return call("create a customer", () -> client().customers().create(p.build()).getId());
    }

    /** A Checkout Session subscribing the customer to the paid plan's price; returns its URL. */
    public String checkoutUrl(long userId, String customerId) {
        String price = settings.proPriceId().orElseThrow(StripeGateway::disabled);
        SessionCreateParams params = SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.SUBSCRIPTION)
                .setCustomer(customerId)
                .setClientReferenceId(Long.toString(userId))
                .addLineItem(SessionCreateParams.LineItem.builder().setPrice(price).setQuantity(1L).build())
                .setSubscriptionData(SessionCreateParams.SubscriptionData.builder()
                        .putMetadata(USER_ID, Long.toString(userId)).build())
                .setSuccessUrl(settings.successUrl())
                .setCancelUrl(settings.cancelUrl())
                .build();
        return call("create a Checkout Session", () -> client().checkout().sessions().create(params).getUrl());
    }

    /** A Billing Portal session for the customer; returns its URL. */
    public String portalUrl(String customerId) {
        com.stripe.param.billingportal.SessionCreateParams params = com.stripe.param.billingportal.SessionCreateParams
                .builder().setCustomer(customerId).setReturnUrl(settings.portalReturnUrl()).build();
        return call("create a Billing Portal session", () -> client().billingPortal().sessions().create(params).getUrl());
    }

    /** Whether checkout can work here: the API key and the Pro price are configured. */
    public boolean checkoutConfigured() {
        return client != null && settings.proPriceId().isPresent();
    }

    /** Whether the Billing Portal can work here: the API key is configured. */
    public boolean portalConfigured() {
        return client != null;
    }

    /** @throws ApiException 503 billing_disabled unless the API key is configured (enough for the portal) */
    public void requireApiKey() {
        if (client == null) {
            throw disabled();
        }
    }

    /** @throws ApiException 503 billing_disabled unless the API key and the price are configured (checkout) */
    public void requireCheckout() {
        requireApiKey();
        if (settings.proPriceId().isEmpty()) {
            throw disabled();
        }
    }

    private StripeClient client() {
        requireApiKey();
        return client;
    }

    static ApiException disabled() {
        return new ApiException(503, "billing_disabled", DISABLED_MESSAGE);
    }

    private interface StripeCall<T> {
        T run() throws StripeException;
    }

    private static <T> T call(String what, StripeCall<T> c) {
        try {
            return c.run();
        } catch (StripeException e) {
            // Stripe's messages never carry our secret key; the request id lets support find the call in Stripe
            LOG.warnf("Stripe refused to %s: %s (HTTP %d, code %s, request %s)", what, e.getClass().getSimpleName(),
                    e.getStatusCode(), e.getCode(), e.getRequestId());
            throw new ApiException(502, "stripe_error", "The payment provider did not answer as expected. Try again later.");
        }
    }
}
