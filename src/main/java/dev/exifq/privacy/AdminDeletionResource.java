package dev.exifq.privacy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exifq.accounts.AdminOnly;
import dev.exifq.accounts.AdminReason;
import dev.exifq.accounts.CurrentUser;
import dev.exifq.platform.ApiException;
import dev.exifq.platform.ApiTime;
import dev.exifq.platform.JsonBodies;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;

/** Admins delete any account (the same deletion as a user's own), and see the record of deletions. */
@Path("/api/admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin")
@SecurityRequirement(name = "apiKey")
@SecurityRequirement(name = "sessionCookie")
@AdminOnly
public class AdminDeletionResource {
    private static final int MAX_LIMIT = 200;

    private final CurrentUser user;
    private final AccountDeletion deletion;
    private final EntityManager em;
    private final ObjectMapper json;

    public AdminDeletionResource(CurrentUser user, AccountDeletion deletion, EntityManager em, ObjectMapper json) {
        this.user = user;
        this.deletion = deletion;
        this.em = em;
        this.json = json;
    }

    @JsonPropertyOrder({"id", "deleted_user_id", "deleted_by", "by_admin", "reason", "images", "deleted_at"})
    @Schema(name = "AccountDeletionRecord", description = "Who deleted which account, when and why; nothing else of it")
    public record DeletionRecord(long id, @JsonProperty("deleted_user_id") long deletedUserId,
                                 @JsonProperty("deleted_by") long deletedBy, @JsonProperty("by_admin") boolean byAdmin,
                                 String reason, int images, @JsonProperty("deleted_at") String deletedAt) {}

    @JsonPropertyOrder({"ok", "deletions"})
    @Schema(name = "AccountDeletionList")
    public record DeletionList(boolean ok, List<DeletionRecord> deletions) {}

    @DELETE
    @Path("/users/{id}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Delete a user's account", description = "Admins only. The same deletion as DELETE "
            + "/api/account, for any user; recorded with the admin, the time and the `reason` (required), without "
            + "keeping any of the deleted data.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "reason",
            value = "{\"reason\": \"GDPR erasure request #1234\"}")))
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "400", description = "No reason given", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "invalid_reason", value = """
            {"ok": false, "error": "invalid_reason", "message": "Say why in 'reason' (at most 500 characters)."}""")))
    @APIResponse(responseCode = "403", description = "Not an admin")
    @APIResponse(responseCode = "404", description = "No such user", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "not_found", value = """
            {"ok": false, "error": "not_found", "message": "No user with this id."}""")))
    public Response deleteUser(@PathParam("id") String id, String body) {
        long userId;
        try {
            userId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiException.notFound("No user with this id.");
        }
        JsonNode reason = JsonBodies.object(json, body, AdminReason.INVALID, AdminReason.MESSAGE).get("reason");
        String why = AdminReason.require(reason != null && reason.isTextual() ? reason.asText() : null);
        if (!deletion.delete(new AccountDeletion.Request(userId, user.id(), true, why))) {
            throw ApiException.notFound("No user with this id.");
        }
        return Response.noContent().build();
    }

    @GET
    @Path("/deletions")
    @Transactional
    @Operation(summary = "Account deletions", description = "Admins only. Newest first, `limit` (1..200, default 50) "
            + "from `offset`; self-service deletions too (deleted_by = the user, by_admin false).")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DeletionList.class), examples = @ExampleObject(name = "deletions", value = """
            {"ok": true, "deletions": [{"id": 7, "deleted_user_id": 42, "deleted_by": 1, "by_admin": true,
             "reason": "GDPR erasure request #1234", "images": 12, "deleted_at": "2024-02-23 15:15:30 UTC"}]}""")))
    @APIResponse(responseCode = "403", description = "Not an admin")
    public DeletionList deletions(@QueryParam("limit") @DefaultValue("50") int limit,
                                  @QueryParam("offset") @DefaultValue("0") int offset) {
        if (limit < 1 || limit > MAX_LIMIT || offset < 0) {
            throw ApiException.badRequest("invalid_paging", "'limit' must be 1.." + MAX_LIMIT + " and 'offset' >= 0.");
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select id, deleted_user_id, deleted_by, by_admin, reason, images,
                       cast(extract(epoch from deleted_at) * 1000 as bigint) from account_deletions
                 order by id desc limit :limit offset :offset""")
                .setParameter("limit", limit).setParameter("offset", offset).getResultList();
        return new DeletionList(true, rows.stream().map(r -> new DeletionRecord(((Number) r[0]).longValue(),
                ((Number) r[1]).longValue(), ((Number) r[2]).longValue(), (Boolean) r[3], (String) r[4],
                ((Number) r[5]).intValue(), ApiTime.format(Instant.ofEpochMilli(((Number) r[6]).longValue())))).toList());
    }
}
