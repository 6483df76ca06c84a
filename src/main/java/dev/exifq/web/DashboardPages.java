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

/**
 * The signed-in pages for images and keys. They render the frame; static/dashboard.js and static/keys.js do the
 * work against the JSON API with the session cookie and the CSRF token, so the pages and curl share one API.
 */
@Path("/dashboard")
@Produces(MediaType.TEXT_HTML)
public class DashboardPages {
    private final PageAuth auth;
    private final Template dashboard;
    private final Template keys;

    public DashboardPages(PageAuth auth, @Location("dashboard.html") Template dashboard, @Location("keys.html") Template keys) {
        this.auth = auth;
        this.dashboard = dashboard;
        this.keys = keys;
    }

    @GET
    public TemplateInstance dashboard(@Context UriInfo uri) {
        auth.require(uri);
        return dashboard.data("layout", auth.layout("Dashboard", uri));
    }

    @GET
    @Path("keys")
    public TemplateInstance keys(@Context UriInfo uri) {
        auth.require(uri);
        return keys.data("layout", auth.layout("API keys", uri));
    }
}
