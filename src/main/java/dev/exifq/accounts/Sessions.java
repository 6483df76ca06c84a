package dev.exifq.accounts;

import dev.exifq.platform.Ulid;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Opens sessions (a row plus its signed JWT) and closes them. */
@ApplicationScoped
public class Sessions {
    private static final int MAX_USER_AGENT = 256;

    private final SessionTokens tokens;
    private final AuthSettings settings;
    private final EntityManager em;

    public Sessions(SessionTokens tokens, AuthSettings settings, EntityManager em) {
        this.tokens = tokens;
        this.settings = settings;
        this.em = em;
    }

    public record Opened(String token, Session session) {}

    @Transactional
    public Opened open(User user, String ip, String userAgent) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Session s = new Session();
        s.id = Ulid.next();
        s.userId = user.id;
        s.createdAt = now;
        s.expiresAt = now.plus(settings.sessionTtl());
        s.ip = ip;
        s.userAgent = userAgent == null || userAgent.length() <= MAX_USER_AGENT ? userAgent
                : userAgent.substring(0, MAX_USER_AGENT);
        s.persist();
        return new Opened(tokens.sign(user.id, s.id, user.email, user.role, s.createdAt, s.expiresAt), s);
    }

    /** Ends a session: its JWT is refused from the next request on, on every replica. Idempotent. */
    @Transactional
    public void revoke(String sessionId) {
        em.createNativeQuery("update sessions set revoked_at = now() where id = :id and revoked_at is null")
                .setParameter("id", sessionId)
                .executeUpdate();
    }
}
