package dev.exifq.accounts;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Signs and verifies session JWTs with SmallRye JWT. Only the signature algorithm of our own key, our
 * issuer and audience, and unexpired tokens that name a user ({@code sub}) and a session ({@code sid})
 * are accepted; whether the session is still open is the database's to say ({@link Sessions}).
 */
@ApplicationScoped
public class SessionTokens {
    static final String AUDIENCE = "exifq-session";
    static final String SESSION_CLAIM = "sid";

    private final SigningKeys keys;
    private final String issuer;
    private final JWTParser parser;

    public SessionTokens(SigningKeys keys, AuthSettings settings) {
        this.keys = keys;
        this.issuer = settings.jwt().issuer();
        JWTAuthContextInfo info = new JWTAuthContextInfo(keys.publicKey(), issuer);
        info.setSignatureAlgorithm(Set.of(keys.algorithm()));
        info.setExpectedAudience(Set.of(AUDIENCE));
        info.setRequiredClaims(Set.of("sub", SESSION_CLAIM, "exp", "iat"));
        info.setExpGracePeriodSecs(0);
        this.parser = new DefaultJWTParser(info);
    }

    /** A verified token's user and session. */
    public record Verified(long userId, String sessionId) {}

    public String sign(long userId, String sessionId, String email, String role, Instant issuedAt, Instant expiresAt) {
        return Jwt.claims()
                .issuer(issuer)
                .audience(AUDIENCE)
                .subject(Long.toString(userId))
                .claim(SESSION_CLAIM, sessionId)
                .claim("email", email)
                .claim("role", role)
                .issuedAt(issuedAt)
                .expiresAt(expiresAt)
                .jws()
                .algorithm(keys.algorithm())
                .keyId(keys.keyId())
                .sign(keys.privateKey());
    }

    /** The token's user and session when its signature, issuer, audience and expiry check out. */
    public Optional<Verified> verify(String token) {
        try {
            JsonWebToken jwt = parser.verify(token, keys.publicKey());
            Object sid = jwt.getClaim(SESSION_CLAIM);
            String sub = jwt.getSubject();
            if (sid == null || sub == null) {
                return Optional.empty();
            }
            String sessionId = sid instanceof jakarta.json.JsonString js ? js.getString() : sid.toString();
            return Optional.of(new Verified(Long.parseLong(sub), sessionId));
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether a bearer value is shaped like a JWT (three base64url parts) rather than an API key. */
    static boolean looksLikeJwt(String token) {
        int dots = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                dots++;
            } else if (!(Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
                return false;
            }
        }
        return dots == 2;
    }
}
