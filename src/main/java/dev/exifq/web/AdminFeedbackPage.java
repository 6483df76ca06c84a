package dev.exifq.web;

import dev.exifq.feedback.AdminFeedbackResource;
import dev.exifq.platform.ApiException;
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

/** Admin: what the feedback form collected, newest first, 50 a page; every text escaped by the template. */
@Path("/admin/feedback")
@Produces(MediaType.TEXT_HTML)
public class AdminFeedbackPage {
    static final int PAGE = 50;

    private final PageAuth auth;
    private final AdminFeedbackResource feedback;
    private final Template page;

    public AdminFeedbackPage(PageAuth auth, AdminFeedbackResource feedback, @Location("admin/feedback.html") Template page) {
        this.auth = auth;
        this.feedback = feedback;
        this.page = page;
    }

    @GET
    public TemplateInstance show(@QueryParam("type") String type, @QueryParam("offset") String offset,
                                 @Context UriInfo uri) {
        auth.requireAdmin(uri);
        String t = type == null || type.isBlank() ? null : type;
        TemplateInstance p = page.data("layout", auth.layout("Admin: feedback", uri)).data("type", t == null ? "" : t);
        try {
            AdminFeedbackResource.Page found = feedback.list(t, PAGE, offset(offset));
            return p.data("page", found).data("error", null)
                    .data("previous", found.offset() > 0 ? Math.max(0, found.offset() - PAGE) : -1)
                    .data("next", found.offset() + PAGE < found.total() ? found.offset() + PAGE : -1);
        } catch (ApiException e) {
            return p.data("page", null).data("error", e.getMessage()).data("previous", -1).data("next", -1);
        }
    }

    private static int offset(String value) {
        try {
            return value == null || value.isBlank() ? 0 : Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_paging", "'offset' must be a whole number.");
        }
    }
}
