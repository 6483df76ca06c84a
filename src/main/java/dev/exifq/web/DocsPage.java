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

/** The API reference, rendered from the OpenAPI document (the same one /q/openapi serves). */
@Path("/docs")
@Produces(MediaType.TEXT_HTML)
public class DocsPage {
    static final String ERROR_SHAPE = "{\"ok\": false, \"error\": \"<code>\", \"message\": \"...\"}";
    private final PageAuth auth;
    private final ApiReference reference;
    private final Template page;

    public DocsPage(PageAuth auth, ApiReference reference, @Location("public/docs.html") Template page) {
        this.auth = auth;
        this.reference = reference;
        this.page = page;
    }

    @GET
    public TemplateInstance show(@Context UriInfo uri) {
        return page.data("layout", auth.layout("API reference", uri)).data("sections", reference.sections())
                .data("errorShape", ERROR_SHAPE);
    }
}
