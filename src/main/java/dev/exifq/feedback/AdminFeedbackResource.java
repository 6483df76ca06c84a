package dev.exifq.feedback;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.exifq.accounts.AdminOnly;
import dev.exifq.platform.ApiException;
import dev.exifq.platform.ApiTime;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
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

import java.time.Instant;
import java.util.List;

/** Admins read what the public form collected. */
@Path("/api/admin/feedback")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin")
@SecurityRequirement(name = "apiKey")
@SecurityRequirement(name = "sessionCookie")
@AdminOnly
public class AdminFeedbackResource {
    private static final int MAX_LIMIT = 200;
    private static final String EPOCH_MS = "cast(extract(epoch from %s) * 1000 as bigint)";
    private final EntityManager em;

    public AdminFeedbackResource(EntityManager em) {
        this.em = em;
    }

    @JsonPropertyOrder({"id", "type", "subject", "message", "name", "email", "user_id", "source_path", "created_at"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "Feedback")
    public record Item(long id, String type, String subject, String message, String name, String email,
                       @JsonProperty("user_id") Long userId, @JsonProperty("source_path") String sourcePath,
                       @JsonProperty("created_at") String createdAt) {}

    @JsonPropertyOrder({"ok", "total", "limit", "offset", "feedback"})
    @Schema(name = "FeedbackList")
    public record Page(boolean ok, long total, int limit, int offset, List<Item> feedback) {}

    @GET
    @Transactional
    @Operation(summary = "List feedback", description = "Admins only. Newest first, `limit` (1..200, default 50) "
            + "from `offset`, optionally only one `type` (feedback or feature). Texts are as sent: escape them "
            + "before showing them in HTML.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Page.class), examples = @ExampleObject(name = "feedback", value = """
            {"ok": true, "total": 1, "limit": 50, "offset": 0,
             "feedback": [{"id": 17, "type": "feature", "subject": "HEIC thumbnails",
                           "message": "Could the viewer show HEIC previews?", "name": "Ada",
                           "email": "ada@example.com", "user_id": null, "source_path": "/viewer",
                           "created_at": "2024-02-23 15:15:30 UTC"}]}""")))
    @APIResponse(responseCode = "403", description = "Not an admin", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "forbidden", value = """
            {"ok": false, "error": "forbidden", "message": "Only admins may do this."}""")))
    public Page list(@QueryParam("type") String type, @QueryParam("limit") @DefaultValue("50") int limit,
                     @QueryParam("offset") @DefaultValue("0") int offset) {
        if (limit < 1 || limit > MAX_LIMIT || offset < 0) {
            throw ApiException.badRequest("invalid_paging", "'limit' must be 1.." + MAX_LIMIT + " and 'offset' >= 0.");
        }
        if (type != null && !FeedbackForm.TYPES.contains(type)) {
            throw ApiException.badRequest("invalid_type", "'type' must be 'feedback' or 'feature'.");
        }
        String where = type == null ? "" : " where type = '" + type + "'"; // one of TYPES, checked above
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select id, type, subject, message, name, email, user_id, "
                        + "source_path, " + EPOCH_MS.formatted("created_at") + " from feedback" + where + " order by id desc limit :n offset :o")
                .setParameter("n", limit).setParameter("o", offset).getResultList();
        long total = ((Number) em.createNativeQuery("select count(*) from feedback" + where).getSingleResult()).longValue();
        return new Page(true, total, limit, offset, rows.stream().map(r -> new Item(((Number) r[0]).longValue(),
                (String) r[1], (String) r[2], (String) r[3], (String) r[4], (String) r[5],
                r[6] == null ? null : ((Number) r[6]).longValue(), (String) r[7], ApiTime.format(Instant.ofEpochMilli(((Number) r[8]).longValue())))).toList());
    }
}
