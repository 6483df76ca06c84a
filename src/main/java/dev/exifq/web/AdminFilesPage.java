package dev.exifq.web;

import dev.exifq.platform.ApiException;
import dev.exifq.writes.AdminFilesResource;
import dev.exifq.writes.ProcessedFiles;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;

/**
 * Admin: every user's processed files, filtered by status and user (the same listing as GET /api/admin/files),
 * their downloads, and the purge (static/admin-files.js POSTs /api/admin/files/purge and shows its counts).
 */
@Path("/admin/files")
@Produces(MediaType.TEXT_HTML)
public class AdminFilesPage {
    static final String LIMIT = "200";

    private final PageAuth auth;
    private final AdminFilesResource files;
    private final ProcessedFiles processedFiles;
    private final Template page;

    public AdminFilesPage(PageAuth auth, AdminFilesResource files, ProcessedFiles processedFiles,
                          @Location("admin/files.html") Template page) {
        this.auth = auth;
        this.files = files;
        this.processedFiles = processedFiles;
        this.page = page;
    }

    @GET
    public TemplateInstance show(@QueryParam("status") String status, @QueryParam("userId") String userId,
                                 @Context UriInfo uri) {
        auth.requireAdmin(uri);
        String shownStatus = status == null || status.isBlank() ? "all" : status;
        TemplateInstance t = page.data("layout", auth.layout("Admin: files", uri)).data("status", shownStatus)
                .data("userId", userId == null ? "" : userId).data("purgeable", processedFiles.purgeable());
        try {
            return t.data("files", files.entries(status, userId, LIMIT)).data("error", null);
        } catch (ApiException e) {
            return t.data("files", List.of()).data("error", e.getMessage());
        }
    }
}
