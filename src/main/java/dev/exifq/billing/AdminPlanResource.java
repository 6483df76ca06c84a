package dev.exifq.billing;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.exifq.accounts.AdminOnly;
import dev.exifq.accounts.AdminReason;
import dev.exifq.accounts.CurrentUser;
import dev.exifq.platform.ApiException;
import dev.exifq.platform.ApiTime;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** Support and comped accounts: admins set a user's plan, and see every change made to it. */
// the class path is /api/admin like every admin resource: RESTEasy matches the longest class path first and does
// not fall back, so a class at /api/admin/users/{id} would hide DELETE /api/admin/users/{id} (privacy)
@Path("/api/admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin")
@SecurityRequirement(name = "apiKey")
@SecurityRequirement(name = "sessionCookie")
@AdminOnly
public class AdminPlanResource {
    private static final String NO_USER = "No user with this id.";
    private static final String FORBIDDEN_EXAMPLE = """
            {"ok": false, "error": "forbidden", "message": "Only admins may do this."}""";
    private static final String CHANGE_EXAMPLE = """
            {"id": 7, "user_id": 42, "from_plan": "free", "to_plan": "pro", "source": "admin", "admin_id": 1,
             "stripe_event_id": null, "subscription_id": null, "reason": "Comped: conference speaker",
             "changed_at": "2024-02-23 15:15:30 UTC"}""";

    private final CurrentUser admin;
    private final PlanChanges changes;
    private final Plans plans;

    public AdminPlanResource(CurrentUser admin, PlanChanges changes, Plans plans) {
        this.admin = admin;
        this.changes = changes;
        this.plans = plans;
    }

    @Schema(name = "SetPlanRequest")
    public record SetPlan(@Schema(example = "pro", required = true) String plan,
                          @Schema(example = "Comped: conference speaker", required = true, maxLength = AdminReason.MAX)
                          String reason) {}

    @JsonPropertyOrder({"id", "user_id", "from_plan", "to_plan", "source", "admin_id", "stripe_event_id",
            "subscription_id", "reason", "changed_at"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "PlanChange", description = "Who (an admin) or what (a Stripe event) changed a plan, when and why")
    public record ChangeView(long id, @JsonProperty("user_id") long userId,
                             @JsonProperty("from_plan") String fromPlan, @JsonProperty("to_plan") String toPlan,
                             @Schema(enumeration = {"admin", "stripe"}) String source,
                             @JsonProperty("admin_id") Long adminId,
                             @JsonProperty("stripe_event_id") String stripeEventId,
                             @JsonProperty("subscription_id") String subscriptionId,
                             @Schema(description = "The admin's reason, or the Stripe event type") String reason,
                             @JsonProperty("changed_at") String changedAt) {
        static ChangeView of(PlanChanges.Change c) {
            return new ChangeView(c.id(), c.userId(), c.fromPlan(), c.toPlan(), c.source(), c.adminId(),
                    c.stripeEventId(), c.subscriptionId(), c.reason(), ApiTime.format(c.changedAt()));
        }
    }

    @JsonPropertyOrder({"ok", "change"})
    @Schema(name = "PlanSet")
    public record PlanSet(boolean ok, ChangeView change) {}

    @JsonPropertyOrder({"ok", "changes"})
    @Schema(name = "PlanChangeList")
    public record ChangeList(boolean ok, List<ChangeView> changes) {}

    @POST
    @Path("/users/{id}/plan")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a user's plan", description = "Admins only. For support and comped accounts. Stripe "
            + "events about subscriptions that existed before this change do not undo it; Stripe only takes away "
            + "a plan a subscription gave. Logged with the admin, the time and the reason.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SetPlan.class),
            examples = @ExampleObject(name = "comp", value = """
                    {"plan": "pro", "reason": "Comped: conference speaker"}""")))
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = PlanSet.class), examples = @ExampleObject(name = "set", value =
            "{\"ok\": true, \"change\": " + CHANGE_EXAMPLE + "}")))
    @APIResponse(responseCode = "400", description = "Unknown plan, or no reason", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "invalid_plan", value = """
            {"ok": false, "error": "invalid_plan", "message": "'plan' must be one of: free, pro."}""")))
    @APIResponse(responseCode = "403", description = "Not an admin", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "forbidden", value = FORBIDDEN_EXAMPLE)))
    @APIResponse(responseCode = "404", description = "No such user", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "not_found", value = """
            {"ok": false, "error": "not_found", "message": "No user with this id."}""")))
    public PlanSet setPlan(@PathParam("id") long userId, SetPlan body) {
        if (body == null || body.plan() == null || !plans.all().containsKey(body.plan().strip())) {
            throw ApiException.badRequest("invalid_plan", "'plan' must be one of: " + String.join(", ", plans.all().keySet()) + ".");
        }
        String reason = AdminReason.require(body.reason());
        return changes.setByAdmin(userId, body.plan().strip(), admin.id(), reason)
                .map(c -> new PlanSet(true, ChangeView.of(c)))
                .orElseThrow(() -> ApiException.notFound(NO_USER));
    }

    @GET
    @Path("/users/{id}/plan-changes")
    @Operation(summary = "A user's plan changes", description = "Admins only. Newest first, at most `limit` (1..200, "
            + "default 50): by admins (with their id and reason) and by Stripe events (with the event and subscription).")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ChangeList.class), examples = @ExampleObject(name = "changes", value =
            "{\"ok\": true, \"changes\": [" + CHANGE_EXAMPLE + "]}")))
    @APIResponse(responseCode = "403", description = "Not an admin", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "forbidden", value = FORBIDDEN_EXAMPLE)))
    public ChangeList planChanges(@PathParam("id") long userId, @QueryParam("limit") @DefaultValue("50") int limit) {
        if (limit < 1 || limit > 200) {
            throw ApiException.badRequest("invalid_paging", "'limit' must be 1..200.");
        }
        return new ChangeList(true, changes.of(userId, limit).stream().map(ChangeView::of).toList());
    }
}
