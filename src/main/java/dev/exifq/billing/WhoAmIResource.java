package dev.exifq.billing;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.exifq.accounts.CurrentUser;
import dev.exifq.accounts.Session;
import dev.exifq.accounts.User;
import dev.exifq.accounts.UserView;
import dev.exifq.platform.ApiException;
import dev.exifq.platform.ApiTime;
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

/**
 * "Who am I": the caller as accounts knows them, with their plan and today's usage. It lives here, not in
 * accounts, because it joins both and accounts may not depend on billing.
 */
@Path("/api/auth/session")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Auth")
@SecurityRequirement(name = "apiKey")
@SecurityRequirement(name = "sessionCookie")
public class WhoAmIResource {
    private final CurrentUser user;
    private final Plans plans;
    private final Usage usage;

    public WhoAmIResource(CurrentUser user, Plans plans, Usage usage) {
        this.user = user;
        this.plans = plans;
        this.usage = usage;
    }

    @JsonPropertyOrder({"ok", "via", "user", "session", "plan", "usage"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "CurrentSession")
    public record CurrentSession(boolean ok,
                                 @Schema(enumeration = {"session", "api_key"}) String via,
                                 UserView user,
                                 @Schema(nullable = true, description = "null when called with an API key") SessionView session,
                                 Plan plan,
                                 UsageView usage) {}

    @JsonPropertyOrder({"id", "created_at", "expires_at"})
    @Schema(name = "Session")
    public record SessionView(@Schema(example = "01hq3v6k2m8x9y7z5w4t3s2r1q") String id,
                              @JsonProperty("created_at") String createdAt,
                              @JsonProperty("expires_at") String expiresAt) {}

    @GET
    @Operation(summary = "Who am I", description = "The caller, their session (null with an API key), plan and "
            + "today's usage.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CurrentSession.class), examples = @ExampleObject(name = "session", value = """
            {"ok": true, "via": "session",
             "user": {"id": 42, "email": "ada@example.com", "name": "Ada Lovelace", "role": "user", "plan": "free",
                      "created_at": "2024-02-23 15:15:30 UTC"},
             "session": {"id": "01hq3v6k2m8x9y7z5w4t3s2r1q", "created_at": "2024-02-23 15:15:30 UTC",
                         "expires_at": "2024-03-01 15:15:30 UTC"},
             "plan": {"id": "free", "name": "Free", "price_usd_per_month": 0, "images_per_day": 5, "api_keys": false,
                      "bulk": false},
             "usage": {"today": 3, "limit": 5, "resets_at": "2024-02-24 00:00:00 UTC"}}""")))
    @APIResponse(responseCode = "401", description = "Not signed in", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "unauthorized", value = """
            {"ok": false, "error": "unauthorized", "message": "Authentication required."}""")))
    public CurrentSession session() {
        User u = User.findById(user.id());
        if (u == null) {
            throw new ApiException(401, "unauthorized", "Authentication required.");
        }
        SessionView sessionView = null;
        if (user.via() == CurrentUser.Via.SESSION) {
            Session s = Session.findById(user.credentialId());
            if (s == null) { // ended between the filter and here
                throw new ApiException(401, "unauthorized", "Authentication required.");
            }
            sessionView = new SessionView(s.id, ApiTime.format(s.createdAt), ApiTime.format(s.expiresAt));
        }
        return new CurrentSession(true, user.via() == CurrentUser.Via.SESSION ? "session" : "api_key",
                UserView.of(u), sessionView, plans.of(u.plan), UsageView.of(usage.today(u.id, u.role, u.plan)));
    }
}
