package dev.exifq.web;

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

/** The pages anyone may see: what exifq does (with a try-it upload), sign in, sign up. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class PublicPages {
    private final PageAuth auth;
    private final Template home;
    private final Template signIn;
    private final Template signUp;

    public PublicPages(PageAuth auth, @Location("home.html") Template home, @Location("sign-in.html") Template signIn,
                       @Location("sign-up.html") Template signUp) {
        this.auth = auth;
        this.home = home;
        this.signIn = signIn;
        this.signUp = signUp;
    }

    @GET
    public TemplateInstance home(@Context UriInfo uri) {
        return home.data("layout", auth.layout("Image metadata, read and written", uri));
    }

    @GET
    @Path("sign-in")
    public TemplateInstance signIn(@QueryParam("next") String next, @Context UriInfo uri) {
        return signIn.data("layout", auth.layout("Sign in", uri)).data("next", LocalPaths.safeNext(next));
    }

    @GET
    @Path("sign-up")
    public TemplateInstance signUp(@QueryParam("next") String next, @Context UriInfo uri) {
        return signUp.data("layout", auth.layout("Sign up", uri)).data("next", LocalPaths.safeNext(next));
    }
}
