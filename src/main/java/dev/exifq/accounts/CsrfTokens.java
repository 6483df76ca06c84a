package dev.exifq.accounts;

import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * The CSRF token of a session: HMAC-SHA256 of the session id. The HMAC key is derived from the JWT signing key,
 * which every replica already shares, so a token made on one replica is accepted by all, and nothing new has to
 * be configured. Rotating the signing key changes the tokens: pages get the new one when they load, cookie API
 * clients ask GET /api/auth/csrf again.
 */
@ApplicationScoped
public class CsrfTokens {
    private final SecretKeySpec key;

    public CsrfTokens(SigningKeys keys) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("exifq csrf v1\n".getBytes(StandardCharsets.US_ASCII));
            this.key = new SecretKeySpec(sha.digest(keys.privateKey().getEncoded()), "HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String forSession(String sessionId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(sessionId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time: the comparison takes as long whatever prefix of the token is right. */
    public boolean matches(String sessionId, String token) {
        return token != null && MessageDigest.isEqual(
                forSession(sessionId).getBytes(StandardCharsets.US_ASCII), token.trim().getBytes(StandardCharsets.UTF_8));
    }
}
