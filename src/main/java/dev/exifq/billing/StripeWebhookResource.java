package dev.exifq.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import dev.exifq.accounts.PublicEndpoint;
import dev.exifq.platform.ApiException;
import dev.exifq.platform.JsonBodies;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** Stripe's webhook: signed with the endpoint secret, so it needs no session or key. */
@Path("/api/billing/webhook")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Billing")
@PublicEndpoint
public class StripeWebhookResource {
    private final StripeSettings settings;
    private final StripeEvents events;
    private final ObjectMapper json;

    public StripeWebhookResource(StripeSettings settings, StripeEvents events, ObjectMapper json) {
        this.settings = settings;
        this.events = events;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Stripe webhook", description = "For Stripe only. The `Stripe-Signature` header must "
            + "sign the exact body with the endpoint secret (EXIFQ_STRIPE_WEBHOOK_SECRET), with a timestamp at most "
            + "5 minutes old. Handles checkout.session.completed, customer.subscription.created/updated/deleted and "
            + "invoice.payment_failed: the user is on Pro while a subscription is active or trialing. Each event id "
            + "is processed once (`duplicate` for Stripe's retries); other types, and events about users that no "
            + "longer exist, are answered 200 and ignored.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "event", value = """
            {"id": "evt_1OqXyz", "object": "event", "type": "customer.subscription.updated", "created": 1708700130,
             "data": {"object": {"id": "sub_1OqXyz", "object": "subscription", "customer": "cus_PfXyz",
                                 "status": "active", "current_period_end": 1711205730}}}""")))
    @APIResponse(responseCode = "200", description = "Processed, a replay, or ignored", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "processed", value = """
            {"ok": true, "id": "evt_1OqXyz", "outcome": "processed"}""")))
    @APIResponse(responseCode = "400", description = "Missing, wrong or stale signature, or not an event", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "invalid_signature", value = """
            {"ok": false, "error": "invalid_signature", "message": "The Stripe-Signature header does not match this body."}""")))
    @APIResponse(responseCode = "503", description = "No webhook secret configured", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "billing_disabled", value = StripeGateway.DISABLED_EXAMPLE)))
    public Map<String, Object> receive(@HeaderParam("Stripe-Signature") String signature, byte[] body) {
        String secret = settings.webhookSecret().orElseThrow(StripeGateway::disabled);
        // the signature covers the exact bytes, so they are decoded once and never re-serialised before checking
        String payload = new String(body == null ? new byte[0] : body, StandardCharsets.UTF_8);
        if (signature == null || signature.isBlank()) {
            throw ApiException.badRequest("missing_signature", "The Stripe-Signature header is missing.");
        }
        try {
            Webhook.Signature.verifyHeader(payload, signature, secret, settings.webhookTolerance().toSeconds());
        } catch (SignatureVerificationException e) {
            boolean stale = e.getMessage() != null && e.getMessage().contains("tolerance");
            throw stale
                    ? ApiException.badRequest("stale_signature", "The Stripe-Signature timestamp is too old.")
                    : ApiException.badRequest("invalid_signature", "The Stripe-Signature header does not match this body.");
        }
        JsonNode event = JsonBodies.object(json, payload, "missing_event", "The body must be a Stripe event.");
        if (!event.path("id").isTextual() || !event.path("type").isTextual()) {
            throw ApiException.badRequest("invalid_event", "The body must be a Stripe event with an 'id' and a 'type'.");
        }
        StripeEvents.Outcome outcome = events.apply(event);
        return Map.of("ok", true, "id", event.path("id").asText(), "outcome", outcome.name().toLowerCase(Locale.ROOT));
    }
}
