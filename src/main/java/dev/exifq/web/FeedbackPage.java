package dev.exifq.web;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

/** The feedback form; static/feedback.js sends it to POST /api/feedback and shows the answer. */
@Path("/dashboard/feedback")
@Produces(MediaType.TEXT_HTML)
public class FeedbackPage {
    private final PageAuth auth;
    private final Template page;

    public FeedbackPage(PageAuth auth, @Location("dashboard/feedback.html") Template page) {
        this.auth = auth;
        this.page = page;
    }

    @GET
    public TemplateInstance show(@Context UriInfo uri) {
        auth.require(uri);
        return page.data("layout", auth.layout("Feedback", uri));
    }
}
