package dev.exifq.accounts;

import dev.exifq.platform.ErrorBody;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;

/** The check behind {@link AdminOnly}; runs after authentication. */
@Provider
@AdminOnly
@Priority(Priorities.AUTHORIZATION)
public class AdminOnlyFilter implements ContainerRequestFilter {
    private final CurrentUser user;

    public AdminOnlyFilter(CurrentUser user) {
        this.user = user;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!user.isPresent()) {
            request.abortWith(ErrorBody.response(401, "unauthorized", "Authentication required."));
        } else if (!user.isAdmin()) {
            request.abortWith(ErrorBody.response(403, "forbidden", "Only admins may do this."));
        }
    }
}
