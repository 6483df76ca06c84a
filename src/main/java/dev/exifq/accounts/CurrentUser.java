package dev.exifq.accounts;

import dev.exifq.platform.ApiException;
import jakarta.enterprise.context.RequestScoped;

/** Who made this request, set by {@link AuthFilter}. */
@RequestScoped
public class CurrentUser {
    private Long id;
    private String role;
    private String plan;

    void set(long id, String role, String plan) {
        this.id = id;
        this.role = role;
        this.plan = plan;
    }

    public boolean isPresent() {
        return id != null;
    }

    public long id() {
        if (id == null) {
            throw new ApiException(401, "unauthorized", "Authentication required.");
        }
        return id;
    }

    public String role() { return role; }

    public String plan() { return plan; }

    public boolean isAdmin() {
        return User.ROLE_ADMIN.equals(role);
    }
}
