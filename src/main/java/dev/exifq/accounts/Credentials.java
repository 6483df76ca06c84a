package dev.exifq.accounts;

import dev.exifq.platform.LargeBodyAdmission;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;

import java.time.Instant;
import java.util.Optional;

/**
 * The credential lookups: a live API key with its owner, an open session with its user. AuthFilter uses them per
 * request; as {@link LargeBodyAdmission} they decide, before a bulk body is read, that the caller is someone.
 */
@ApplicationScoped
public class Credentials implements LargeBodyAdmission {
    private final SessionTokens tokens;
    private final SessionCookies cookies;

    public Credentials(SessionTokens tokens, SessionCookies cookies) {
        this.tokens = tokens;
        this.cookies = cookies;
    }

    record KeyAndOwner(ApiKey key, User owner) {}

    record SessionAndUser(Session session, User user) {}

    /** In the caller's transaction. */
    Optional<KeyAndOwner> liveKey(String token, Instant now) {
        // key and owner in one statement: every API request passes here
        Object[] found = ApiKey.getEntityManager().createQuery(
                        "select k, u from ApiKey k, User u where k.keyHash = :hash and u.id = k.userId", Object[].class)
                .setParameter("hash", ApiKeys.hash(token))
                .getResultStream().findFirst().orElse(null);
        return found == null || !((ApiKey) found[0]).isLive(now) ? Optional.empty()
                : Optional.of(new KeyAndOwner((ApiKey) found[0], (User) found[1]));
    }

    /** Signature and expiry first (no database), then the session row, in a transaction of its own. */
    Optional<SessionAndUser> openSession(String token) {
        if (!SessionTokens.looksLikeJwt(token)) {
            return Optional.empty();
        }
        Optional<SessionTokens.Verified> verified = tokens.verify(token);
        if (verified.isEmpty()) {
            return Optional.empty();
        }
        SessionTokens.Verified v = verified.get();
        return QuarkusTransaction.requiringNew().call(() -> {
            Session session = Session.findById(v.sessionId());
            if (session == null || !session.isOpen(Instant.now()) || session.userId != v.userId()) {
                return Optional.empty();
            }
            User user = User.findById(session.userId);
            return user == null ? Optional.empty() : Optional.of(new SessionAndUser(session, user));
        });
    }

    @Override
    public boolean admits(HttpServerRequest request) {
        String bearer = AuthFilter.bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (bearer != null && bearer.startsWith(ApiKeys.PREFIX)) {
            return QuarkusTransaction.requiringNew().call(() -> liveKey(bearer, Instant.now()).isPresent());
        }
        Cookie cookie = bearer != null ? null : request.getCookie(cookies.name());
        String token = bearer != null ? bearer : cookie == null || cookie.getValue() == null ? null : cookie.getValue().trim();
        return token != null && !token.isEmpty() && openSession(token).isPresent();
    }
}
