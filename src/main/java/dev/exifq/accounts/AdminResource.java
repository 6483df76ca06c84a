package dev.exifq.accounts;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.exifq.platform.ApiException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Admin endpoints; {@link AdminOnly} on the class covers every method added here. */
@Path("/api/admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin")
@SecurityRequirement(name = "apiKey")
@SecurityRequirement(name = "sessionCookie")
@AdminOnly
public class AdminResource {
    private static final int MAX_LIMIT = 200;
    private static final int MAX_QUERY = 200;

    @JsonPropertyOrder({"ok", "total", "limit", "offset", "users"})
    @Schema(name = "UserList")
    public record UserList(boolean ok, long total, int limit, int offset, List<UserView> users) {}

    @GET
    @Path("/users")
    @Operation(summary = "List users", description = "Admins only. Oldest first, `limit` (1..200, default 50) "
            + "from `offset`; `q` keeps users whose email or name contains it (any case), `plan` those on that plan. "
            + "`total` counts the matches.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = UserList.class), examples = @ExampleObject(name = "users", value = """
            {"ok": true, "total": 1, "limit": 50, "offset": 0,
             "users": [{"id": 1, "email": "admin@example.com", "name": "Admin", "role": "admin", "plan": "pro",
                        "created_at": "2024-02-23 15:15:30 UTC"}]}""")))
    @APIResponse(responseCode = "401", description = "No or invalid credentials", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "unauthorized", value = """
            {"ok": false, "error": "unauthorized", "message": "Authentication required."}""")))
    @APIResponse(responseCode = "403", description = "Not an admin", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "forbidden", value = """
            {"ok": false, "error": "forbidden", "message": "Only admins may do this."}""")))
    public UserList users(@QueryParam("q") String q, @QueryParam("plan") String plan,
                          @QueryParam("limit") @DefaultValue("50") int limit,
                          @QueryParam("offset") @DefaultValue("0") int offset) {
        if (limit < 1 || limit > MAX_LIMIT || offset < 0) {
            throw ApiException.badRequest("invalid_paging", "'limit' must be 1.." + MAX_LIMIT + " and 'offset' >= 0.");
        }
        if (q != null && q.length() > MAX_QUERY) {
            throw ApiException.badRequest("invalid_query", "'q' must be at most " + MAX_QUERY + " characters.");
        }
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (q != null && !q.isBlank()) {
            where.append(" and (lower(email) like :q escape '!' or lower(coalesce(name, '')) like :q escape '!')");
            params.put("q", "%" + likeEscaped(q.strip().toLowerCase(Locale.ROOT)) + "%");
        }
        if (plan != null && !plan.isBlank()) {
            where.append(" and plan = :plan");
            params.put("plan", plan.strip());
        }
        List<User> users = User.find(where + " order by id", params).range(offset, offset + limit - 1).list();
        return new UserList(true, User.count(where.toString(), params), limit, offset,
                users.stream().map(UserView::of).toList());
    }

    private static String likeEscaped(String s) {
        return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
