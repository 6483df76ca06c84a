package dev.exifq.web;

import dev.exifq.writes.HistoryResource;
import dev.exifq.writes.WritesClock;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import java.time.Instant;
import java.util.List;

/**
 * The caller's last 50 processed files with their downloads. The countdown (static/history.js) counts from the
 * server's clock, given in {@code data-now}, so it agrees with what the download answers.
 */
@Path("/dashboard/history")
@Produces(MediaType.TEXT_HTML)
public class HistoryPage {
    private final PageAuth auth;
    private final WritesClock clock;
    private final Template page;

    public HistoryPage(PageAuth auth, WritesClock clock, @Location("dashboard/history.html") Template page) {
        this.auth = auth;
        this.clock = clock;
        this.page = page;
    }

    @TemplateData
    public record Row(String id, String fileName, String tool, String createdAt, String expiresAt, String status,
                      String downloadUrl, String timeLeft) {
        public boolean available() {
            return downloadUrl != null;
        }
    }

    @GET
    public TemplateInstance show(@Context UriInfo uri) {
        Viewer viewer = auth.require(uri);
        Instant now = clock.now();
        List<Row> rows = HistoryResource.latest(viewer.id(), now).stream().map(e -> new Row(e.id(), e.fileName(),
                e.tool(), e.createdAt(), e.downloadExpiresAt(), e.status(), e.downloadUrl(),
                TimeLeft.until(now, Instant.parse(e.downloadExpiresAt())))).toList();
        return page.data("layout", auth.layout("History", uri)).data("rows", rows)
                .data("now", now.toString());
    }
}
