package dev.exifq.accounts;

import dev.exifq.platform.ApiException;
import jakarta.enterprise.context.RequestScoped;

/** Who made this request, and with what, set by {@link AuthFilter}. */
@RequestScoped
public class CurrentUser {
    /** How the caller proved who they are. */
    public enum Via { API_KEY, SESSION }

    private Long id;
    private String role;
    private String plan;
    private Via via;
    private String credentialId;

    void set(long id, String role, String plan, Via via, String credentialId) {
        this.id = id;
        this.role = role;
        this.plan = plan;
        this.via = via;
        this.credentialId = credentialId;
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

    public Via via() { return via; }

    /** For what a signed-in person does in a browser, never a program holding an API key: 403 otherwise. */
    public void requireSession(String message) {
        if (via != Via.SESSION) {
            throw new ApiException(403, "session_required", message);
        }
    }

    /** The session id (for {@link Via#SESSION}) or API key id (for {@link Via#API_KEY}). */
    public String credentialId() { return credentialId; }

    public boolean isAdmin() {
        return User.ROLE_ADMIN.equals(role);
    }
}
