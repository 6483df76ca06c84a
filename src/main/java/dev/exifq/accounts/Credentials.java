package dev.exifq.accounts;

import dev.exifq.platform.LargeBodyAdmission;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The credential lookups: a live API key with its owner, an open session with its user. AuthFilter uses them per
 * request; as {@link LargeBodyAdmission} they decide, before a bulk body is read, that the caller is someone.
 *
 * <p>Plain JDBC in autocommit, one statement per lookup, no JTA transaction and no Hibernate session: every API
 * request passes here (ingest clients with their keys above all), and those cost more than the lookup (issue 19).
 */
@ApplicationScoped
public class Credentials implements LargeBodyAdmission {
    private final DataSource db;
    private final SessionTokens tokens;
    private final SessionCookies cookies;

    public Credentials(DataSource db, SessionTokens tokens, SessionCookies cookies) {
        this.db = db;
        this.tokens = tokens;
        this.cookies = cookies;
    }

    /** A live API key: its id and when it was last used, and its owner's id, role and plan. */
    record LiveKey(String id, Instant lastUsedAt, long userId, String role, String plan) {}

    /** An open session: its id, and its user's id, role and plan. */
    record OpenSession(String id, long userId, String role, String plan) {}

    /** The key and its owner in one statement; empty for an unknown, revoked or expired key. */
    Optional<LiveKey> liveKey(String token, Instant now) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select k.id, k.last_used_at, k.revoked_at, k.expires_at, u.id, u.role, u.plan
                       from api_keys k join users u on u.id = k.user_id
                      where k.key_hash = ?""")) {
            ps.setString(1, ApiKeys.hash(token));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !ApiKey.isLive(instant(rs, 3), instant(rs, 4), now)) {
                    return Optional.empty();
                }
                return Optional.of(new LiveKey(rs.getString(1), instant(rs, 2), rs.getLong(5), rs.getString(6),
                        rs.getString(7)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("API key lookup failed", e);
        }
    }

    /**
     * Sets the key's last_used_at to {@code now} unless it is already {@code staleBefore} or later (another request,
     * maybe on another replica, got there first): one UPDATE, in autocommit.
     */
    void markUsed(String keyId, Instant now, Instant staleBefore) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "update api_keys set last_used_at = ? where id = ? and (last_used_at is null or last_used_at < ?)")) {
            ps.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.setString(2, keyId);
            ps.setObject(3, OffsetDateTime.ofInstant(staleBefore, ZoneOffset.UTC));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Recording an API key's use failed", e);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** Signature and expiry first (no database), then the session row with its user. */
    Optional<OpenSession> openSession(String token) {
        if (!SessionTokens.looksLikeJwt(token)) {
            return Optional.empty();
        }
        Optional<SessionTokens.Verified> verified = tokens.verify(token);
        if (verified.isEmpty()) {
            return Optional.empty();
        }
        SessionTokens.Verified v = verified.get();
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select s.user_id, s.expires_at, s.revoked_at, u.role, u.plan
                       from sessions s join users u on u.id = s.user_id
                      where s.id = ?""")) {
            ps.setString(1, v.sessionId());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !Session.isOpen(instant(rs, 3), instant(rs, 2), Instant.now())
                        || rs.getLong(1) != v.userId()) {
                    return Optional.empty();
                }
                return Optional.of(new OpenSession(v.sessionId(), v.userId(), rs.getString(4), rs.getString(5)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Session lookup failed", e);
        }
    }

    @Override
    public boolean admits(HttpServerRequest request) {
        String bearer = AuthFilter.bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (bearer != null && bearer.startsWith(ApiKeys.PREFIX)) {
            return liveKey(bearer, Instant.now()).isPresent();
        }
        Cookie cookie = bearer != null ? null : request.getCookie(cookies.name());
        String token = bearer != null ? bearer : cookie == null || cookie.getValue() == null ? null : cookie.getValue().trim();
        return token != null && !token.isEmpty() && openSession(token).isPresent();
    }
}
