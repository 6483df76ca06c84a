package dev.exifq.accounts;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.io.ByteArrayInputStream;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
    /** One parser per verification key (current and previous), each bound to that key's algorithm. */
    private final Map<PublicKey, JWTParser> parsers = new ConcurrentHashMap<>();

    public SessionTokens(SigningKeys keys, AuthSettings settings) {
        this.keys = keys;
        this.issuer = settings.jwt().issuer();
    }

    private JWTParser parserFor(PublicKey key) {
        return parsers.computeIfAbsent(key, k -> {
            JWTAuthContextInfo info = new JWTAuthContextInfo(k, issuer);
            info.setSignatureAlgorithm(Set.of(SigningKeys.algorithmOf(k)));
            info.setExpectedAudience(Set.of(AUDIENCE));
            info.setRequiredClaims(Set.of("sub", SESSION_CLAIM, "exp", "iat"));
            info.setExpGracePeriodSecs(0);
            return new DefaultJWTParser(info);
        });
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
            // the key is chosen by the token's kid among keys we hold; the kid selects, the signature decides
            Optional<PublicKey> key = keys.verificationKey(keyIdOf(token));
            if (key.isEmpty()) {
                return Optional.empty();
            }
            JsonWebToken jwt = parserFor(key.get()).verify(token, key.get());
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

    /** The "kid" of a compact JWS header, or null if the header is not a JSON object with a string kid. */
    static String keyIdOf(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0 || dot > 4096) {
            return null;
        }
        try {
            byte[] header = Base64.getUrlDecoder().decode(token.substring(0, dot));
            try (JsonReader r = Json.createReader(new ByteArrayInputStream(header))) {
                JsonValue kid = r.readObject().get("kid");
                return kid instanceof JsonString s ? s.getString() : null;
            }
        } catch (IllegalArgumentException | JsonException | ClassCastException e) {
            return null;
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
