package dev.exifq.billing;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.exifq.accounts.CurrentUser;
import jakarta.ws.rs.GET;
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

/** The caller's plan, today's usage and every plan's limits. */
@Path("/api/billing")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Billing")
@SecurityRequirement(name = "apiKey")
@SecurityRequirement(name = "sessionCookie")
public class BillingResource {
    private final CurrentUser user;
    private final Usage usage;
    private final Plans plans;

    public BillingResource(CurrentUser user, Usage usage, Plans plans) {
        this.user = user;
        this.usage = usage;
        this.plans = plans;
    }

    @JsonPropertyOrder({"ok", "plan", "usage", "limits"})
    @Schema(name = "BillingStatus")
    public record Status(@Schema(example = "true") boolean ok,
                         @Schema(description = "The caller's plan id", example = "free") String plan,
                         UsageView usage,
                         @Schema(description = "Every plan by id, cheapest first") Map<String, Plan> limits) {}

    @GET
    @Path("/status")
    @Operation(summary = "Plan and usage", description = "The caller's plan, how many images it processed today "
            + "(UTC) against its daily limit, when that resets, and the limits of every plan.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Status.class), examples = @ExampleObject(name = "free", value = """
            {"ok": true, "plan": "free",
             "usage": {"today": 3, "limit": 5, "resets_at": "2024-02-24 00:00:00 UTC"},
             "limits": {"free": {"id": "free", "name": "Free", "price_usd_per_month": 0, "images_per_day": 5,
                                 "api_keys": false, "bulk": false},
                        "pro": {"id": "pro", "name": "Pro", "price_usd_per_month": 9, "images_per_day": 300,
                                "api_keys": true, "bulk": true}}}""")))
    @APIResponse(responseCode = "401", description = "No or invalid credentials", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "unauthorized", value = """
            {"ok": false, "error": "unauthorized", "message": "Authentication required."}""")))
    public Status status() {
        String planId = plans.of(user.plan()).id();
        return new Status(true, planId, UsageView.of(usage.today(user.id(), user.role(), user.plan())), plans.all());
    }
}
