package dev.exifq.web;

import dev.exifq.accounts.CsrfTokens;
import dev.exifq.accounts.CurrentUser;
import dev.exifq.accounts.User;
import dev.exifq.platform.ApiException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.core.UriInfo;

import java.util.Optional;

/**
 * Who a page is for. {@code AuthFilter} has already read the session cookie (pages never take a Bearer header);
 * this turns that into the {@link Layout} every template gets, or sends the browser to sign in.
 */
@RequestScoped
public class PageAuth {
    private final CurrentUser current;
    private final CsrfTokens csrf;
    private Optional<Viewer> viewer;

    public PageAuth(CurrentUser current, CsrfTokens csrf) {
        this.current = current;
        this.csrf = csrf;
    }

    /** The signed-in person, if the request carries a valid session cookie. */
    public Optional<Viewer> viewer() {
        if (viewer == null) {
            User u = current.isPresent() && current.via() == CurrentUser.Via.SESSION ? User.findById(current.id()) : null;
            viewer = Optional.ofNullable(u).map(x -> new Viewer(x.id, x.email, x.name, current.isAdmin(), current.plan()));
        }
        return viewer;
    }

    /** The signed-in person; otherwise {@link SignInRequired}, a 303 to /sign-in that comes back to this page. */
    public Viewer require(UriInfo uri) {
        return viewer().orElseThrow(() -> new SignInRequired(pathOf(uri)));
    }

    /** An admin; signed out: to /sign-in; anybody else: 404, as if the page did not exist. */
    public Viewer requireAdmin(UriInfo uri) {
        Viewer v = require(uri);
        if (!v.admin()) {
            throw new ApiException(404, "not_found", "No such page.");
        }
        return v;
    }

    /** The layout data for a page titled {@code title}, for whoever is (or is not) signed in. */
    public Layout layout(String title, UriInfo uri) {
        Viewer v = viewer().orElse(null);
        return new Layout(title, v, v == null ? "" : csrf.forSession(current.credentialId()), uri.getPath());
    }

    private static String pathOf(UriInfo uri) {
        String query = uri.getRequestUri().getRawQuery();
        return uri.getRequestUri().getRawPath() + (query == null ? "" : "?" + query);
    }
}
