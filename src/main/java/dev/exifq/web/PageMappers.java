package dev.exifq.web;

import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.net.URI;

/** Pages for signed-in people send everyone else to sign in, and back here afterwards. */
public class PageMappers {
    @ServerExceptionMapper
    public Response signIn(SignInRequired e) {
        return Response.seeOther(URI.create(LocalPaths.signInFor(e.next()))).build();
    }
}
