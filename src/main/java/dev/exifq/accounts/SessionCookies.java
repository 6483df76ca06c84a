package dev.exifq.accounts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;

import java.time.Duration;
import java.time.Instant;

/** The browser side of a session: an HttpOnly, SameSite=Lax cookie holding the JWT (Secure per config). */
@ApplicationScoped
public class SessionCookies {
    private final AuthSettings.Cookie settings;

    public SessionCookies(AuthSettings settings) {
        this.settings = settings.cookie();
    }

    public String name() {
        return settings.name();
    }

    public NewCookie issue(String token, Instant expiresAt) {
        return builder(token).maxAge((int) Math.max(0, Duration.between(Instant.now(), expiresAt).toSeconds())).build();
    }

    public NewCookie clear() {
        return builder("").maxAge(0).build();
    }

    private NewCookie.Builder builder(String value) {
        return new NewCookie.Builder(settings.name())
                .value(value)
                .path("/")
                .httpOnly(true)
                .secure(settings.secure())
                .sameSite(NewCookie.SameSite.LAX);
    }
}
