package dev.exifq.web;

import dev.exifq.accounts.CurrentUser;
import dev.exifq.accounts.SessionCookies;
import dev.exifq.accounts.Sessions;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import java.net.URI;

/**
 * The navigation's sign-out button: a plain form (works without JavaScript) carrying the {@code csrf} field,
 * which AuthFilter checks like any other cookie-authenticated POST. Ends the session, clears the cookie, home.
 */
@Path("/sign-out")
public class SignOutPage {
    private final CurrentUser user;
    private final Sessions sessions;
    private final SessionCookies cookies;

    public SignOutPage(CurrentUser user, Sessions sessions, SessionCookies cookies) {
        this.user = user;
        this.sessions = sessions;
        this.cookies = cookies;
    }

    @POST
    public Response signOut() {
        if (user.isPresent() && user.via() == CurrentUser.Via.SESSION) {
            sessions.revoke(user.credentialId());
        }
        return Response.seeOther(URI.create("/")).cookie(cookies.clear()).build();
    }
}
