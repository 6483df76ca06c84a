package dev.exifq.writes;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.exifq.accounts.AdminOnly;
import dev.exifq.platform.ApiException;
import dev.exifq.platform.Ulid;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Admin operations on processed files: every user's, listed and downloaded, and the purge. */
@Path("/api/admin/files")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin")
@SecurityRequirement(name = "apiKey")
@SecurityRequirement(name = "sessionCookie")
public class AdminFilesResource {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    static final String GONE = """
            {"ok": false, "error": "gone", "message": "This file was kept for 24 hours and is no longer available."}""";
    static final String FORBIDDEN = """
            {"ok": false, "error": "forbidden", "message": "Only admins may do this."}""";

    private final ProcessedFiles files;
    private final Downloads downloads;
    private final WritesClock clock;

    public AdminFilesResource(ProcessedFiles files, Downloads downloads, WritesClock clock) {
        this.files = files;
        this.downloads = downloads;
        this.clock = clock;
    }

    @JsonPropertyOrder({"id", "userId", "fileName", "tool", "contentType", "bytesize", "createdAt",
            "downloadExpiresAt", "status", "downloadUrl"})
    public record Entry(String id, long userId, String fileName, String tool, String contentType, long bytesize,
                        String createdAt, String downloadExpiresAt, String status, String downloadUrl) {
        static Entry of(ProcessedFile f, Instant now) {
            String status = f.status(now);
            return new Entry(f.imageId, f.userId, f.fileName, f.tool, f.contentType, f.bytesize,
                    HistoryResource.ISO_MILLIS.format(f.createdAt), HistoryResource.ISO_MILLIS.format(f.expiresAt),
                    status, status.equals("available") ? "/api/admin/files/" + f.imageId + "/download" : null);
        }
    }

    public record Listing(boolean ok, List<Entry> files) {}

    @GET
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_HTML})
    @Operation(summary = "Admin: every user's processed files, newest first",
            description = "status: all (default), available (downloadable), deleted (deleted or expired); userId: one "
                    + "user's; limit: 1..500 (default 50). JSON with Accept: application/json, an HTML table otherwise "
                    + "(every value escaped).")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "files", value = """
                    {"ok": true, "files": [{"id": "01hq3v6k2m8x9y7z5w4t3s2r1q", "userId": 42, "fileName": "photo.jpg",
                     "tool": "edit-exif", "contentType": "image/jpeg", "bytesize": 104857,
                     "createdAt": "2026-12-04T10:15:30.123Z", "downloadExpiresAt": "2026-12-05T10:15:30.123Z",
                     "status": "available", "downloadUrl": "/api/admin/files/01hq3v6k2m8x9y7z5w4t3s2r1q/download"}]}""")))
    @APIResponse(responseCode = "400", description = "A bad status, userId or limit, named", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "invalid_status", value = """
            {"ok": false, "error": "invalid_status", "message": "'status' must be all, available or deleted."}""")))
    @APIResponse(responseCode = "403", description = "Not an admin", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "forbidden", value = FORBIDDEN)))
    public Response list(@QueryParam("status") String status, @QueryParam("userId") String userId,
                         @QueryParam("limit") String limit, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        List<Entry> entries = entries(status, userId, limit);
        if (HistoryResource.wantsJson(accept)) {
            return Response.ok(new Listing(true, entries), MediaType.APPLICATION_JSON).build();
        }
        return Response.ok(html(entries), MediaType.TEXT_HTML + ";charset=UTF-8").build();
    }

    /** The listing behind GET (also the admin page's): newest first; 400 for a bad status, userId or limit. */
    public List<Entry> entries(String status, String userId, String limit) {
        Instant now = clock.now();
        StringBuilder q = new StringBuilder("1 = 1");
        List<Object> params = new ArrayList<>();
        switch (status == null || status.isBlank() ? "all" : status.strip().toLowerCase(Locale.ROOT)) {
            case "all" -> { }
            case "available" -> {
                params.add(now);
                q.append(" and deleted = false and expiresAt > ?").append(params.size());
            }
            case "deleted" -> {
                params.add(now);
                q.append(" and (deleted = true or expiresAt <= ?").append(params.size()).append(")");
            }
            default -> throw ApiException.badRequest("invalid_status", "'status' must be all, available or deleted.");
        }
        if (userId != null && !userId.isBlank()) {
            params.add(number("userId", userId, 1, Long.MAX_VALUE));
            q.append(" and userId = ?").append(params.size());
        }
        int n = limit == null || limit.isBlank() ? DEFAULT_LIMIT : (int) number("limit", limit, 1, MAX_LIMIT);
        return ProcessedFile.<ProcessedFile>find(q + " order by createdAt desc, imageId desc",
                params.toArray()).page(0, n).list().stream().map(f -> Entry.of(f, now)).toList();
    }

    @GET
    @Path("/{id}/download")
    @Produces({"image/*", MediaType.APPLICATION_JSON})
    @Operation(summary = "Admin: download any user's processed file", description = "While it is kept (24 hours).")
    @APIResponse(responseCode = "200", description = "The file (Content-Disposition: attachment)", content = @Content(
            mediaType = "image/jpeg", examples = @ExampleObject(name = "file",
            value = "(the file's bytes; Content-Disposition: attachment; filename=\"photo.jpg\")")))
    @APIResponse(responseCode = "302", description = "With exifq.downloads.presigned=true on the S3 store: Location is "
            + "a presigned URL of the file, valid for a few minutes, whose answer names the file (Content-Disposition)")
    @APIResponse(responseCode = "404", description = "Unknown id", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "not_found", value = """
            {"ok": false, "error": "not_found", "message": "No processed file with this id."}""")))
    @APIResponse(responseCode = "410", description = "Deleted or expired", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "gone", value = GONE)))
    public Response download(@PathParam("id") String id) throws IOException {
        String normalised = id == null ? null : id.toLowerCase(Locale.ROOT);
        ProcessedFile f = Ulid.isValid(normalised) ? ProcessedFile.findById(normalised) : null;
        if (f == null) {
            throw ApiException.notFound("No processed file with this id.");
        }
        return downloads.download(f);
    }

    private static long number(String name, String value, long min, long max) {
        try {
            long v = Long.parseLong(value.strip());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("invalid_" + name, "'" + name + "' must be a whole number from " + min
                + (max == Long.MAX_VALUE ? " up." : " to " + max + "."));
    }

    static String html(List<Entry> entries) {
        StringBuilder b = new StringBuilder("<table class=\"exifq-admin-files\">\n<thead><tr><th>File</th><th>User</th>"
                + "<th>Tool</th><th>Type</th><th>Bytes</th><th>Created</th><th>Download until</th><th>Status</th>"
                + "<th></th></tr></thead>\n<tbody>\n");
        for (Entry e : entries) {
            b.append("<tr><td>").append(HistoryResource.escape(e.fileName())).append("</td><td>").append(e.userId())
                    .append("</td><td>").append(HistoryResource.escape(e.tool())).append("</td><td>")
                    .append(HistoryResource.escape(e.contentType())).append("</td><td>").append(e.bytesize())
                    .append("</td><td>").append(e.createdAt()).append("</td><td>").append(e.downloadExpiresAt())
                    .append("</td><td>").append(e.status()).append("</td><td>");
            if (e.downloadUrl() != null) {
                b.append("<a href=\"").append(HistoryResource.escape(e.downloadUrl())).append("\" download>Download</a>");
            }
            b.append("</td></tr>\n");
        }
        return b.append("</tbody>\n</table>\n").toString();
    }

    @POST
    @Path("/purge")
    @Operation(summary = "Purge processed files deleted more than 24 hours ago",
            description = "Deletes blob and row; a blob that cannot be deleted keeps its row and counts as failed.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "purged", value = "{\"ok\": true, \"purged\": 12, \"failed\": 0}")))
    @APIResponse(responseCode = "403", description = "Not an admin")
    public ProcessedFiles.PurgeReport purge() {
        files.expire();
        return files.purge();
    }
}
