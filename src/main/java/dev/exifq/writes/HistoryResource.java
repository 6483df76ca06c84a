package dev.exifq.writes;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.exifq.accounts.CurrentUser;
import dev.exifq.platform.ApiException;
import dev.exifq.platform.Ulid;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
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
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** The caller's processed files: the last 50, and their downloads while they are kept. */
@Path("/api/images/history")
@Tag(name = "Writing metadata")
@SecurityRequirement(name = "apiKey")
@SecurityRequirement(name = "sessionCookie")
public class HistoryResource {
    static final int LIMIT = 50;
    static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final CurrentUser user;
    private final Downloads downloads;
    private final WritesClock clock;

    public HistoryResource(CurrentUser user, Downloads downloads, WritesClock clock) {
        this.user = user;
        this.downloads = downloads;
        this.clock = clock;
    }

    @JsonPropertyOrder({"id", "fileName", "tool", "createdAt", "downloadExpiresAt", "status", "canDownload", "downloadUrl"})
    public record Entry(String id, String fileName, String tool, String createdAt, String downloadExpiresAt,
                        String status, boolean canDownload, String downloadUrl) {
        static Entry of(ProcessedFile f, Instant now) {
            String status = f.status(now);
            boolean can = status.equals("available");
            return new Entry(f.imageId, f.fileName, f.tool, ISO_MILLIS.format(f.createdAt),
                    ISO_MILLIS.format(f.expiresAt), status, can,
                    can ? "/api/images/history/" + f.imageId + "/download" : null);
        }
    }

    public record History(boolean ok, List<Entry> files) {}

    @GET
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_HTML})
    @Operation(summary = "Your last 50 processed files",
            description = "JSON with Accept: application/json, an HTML fragment (a table) otherwise. status is "
                    + "available (downloadable for 24 hours), expired or deleted.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "history", value = """
                    {"ok": true, "files": [{"id": "01hq3v6k2m8x9y7z5w4t3s2r1q", "fileName": "photo.jpg",
                     "tool": "edit-exif", "createdAt": "2026-12-04T10:15:30.123Z",
                     "downloadExpiresAt": "2026-12-05T10:15:30.123Z", "status": "available", "canDownload": true,
                     "downloadUrl": "/api/images/history/01hq3v6k2m8x9y7z5w4t3s2r1q/download"}]}""")))
    public Response history(@HeaderParam(HttpHeaders.ACCEPT) String accept) {
        List<Entry> entries = latest(user.id(), clock.now());
        if (wantsJson(accept)) {
            return Response.ok(new History(true, entries), MediaType.APPLICATION_JSON).build();
        }
        return Response.ok(html(entries), MediaType.TEXT_HTML + ";charset=UTF-8").build();
    }

    /** The user's last 50 processed files, newest first, as of {@code now}. */
    public static List<Entry> latest(long userId, Instant now) {
        return ProcessedFile.<ProcessedFile>find("userId = ?1 order by createdAt desc, imageId desc", userId)
                .page(0, LIMIT).list().stream().map(f -> Entry.of(f, now)).toList();
    }

    @GET
    @Path("/{id}/download")
    @Produces({"image/*", MediaType.APPLICATION_JSON})
    @Operation(summary = "Download a processed file", description = "For 24 hours after it was written.")
    @APIResponse(responseCode = "200", description = "The file (Content-Disposition: attachment)")
    @APIResponse(responseCode = "302", description = "With exifq.downloads.presigned=true on the S3 store: Location is "
            + "a presigned URL of the file, valid for a few minutes, whose answer names the file (Content-Disposition)")
    @APIResponse(responseCode = "404", description = "Unknown id, or not yours")
    @APIResponse(responseCode = "410", description = "Older than 24 hours", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "gone", value = AdminFilesResource.GONE)))
    public Response download(@PathParam("id") String id) throws IOException {
        return downloads.download(owned(id, user.id()));
    }

    static boolean wantsJson(String accept) {
        return accept != null && accept.toLowerCase(Locale.ROOT).contains(MediaType.APPLICATION_JSON);
    }

    static ProcessedFile owned(String id, long userId) {
        String normalised = id == null ? null : id.toLowerCase(Locale.ROOT);
        if (!Ulid.isValid(normalised)) {
            throw ApiException.notFound("No processed file with this id.");
        }
        return ProcessedFile.findOwned(normalised, userId)
                .orElseThrow(() -> ApiException.notFound("No processed file with this id."));
    }

    static String html(List<Entry> entries) {
        StringBuilder b = new StringBuilder("<table class=\"exifq-history\">\n<thead><tr><th>File</th><th>Tool</th>"
                + "<th>Created</th><th>Download until</th><th>Status</th><th></th></tr></thead>\n<tbody>\n");
        for (Entry e : entries) {
            b.append("<tr><td>").append(escape(e.fileName())).append("</td><td>").append(escape(e.tool()))
                    .append("</td><td>").append(e.createdAt()).append("</td><td>").append(e.downloadExpiresAt())
                    .append("</td><td>").append(e.status()).append("</td><td>");
            if (e.canDownload()) {
                b.append("<a href=\"").append(escape(e.downloadUrl())).append("\" download>Download</a>");
            }
            b.append("</td></tr>\n");
        }
        return b.append("</tbody>\n</table>\n").toString();
    }

    static String escape(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
