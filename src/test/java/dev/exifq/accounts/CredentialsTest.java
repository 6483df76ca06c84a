package dev.exifq.accounts;

import dev.exifq.platform.Ulid;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.hamcrest.Matchers.equalTo;

/**
 * Expired, tampered, wrongly signed and revoked credentials, JWT and API key alike, are 401 wherever
 * credentials are required, and cookie and bearer are both accepted.
 */
@QuarkusTest
class CredentialsTest {
    private static final String IMAGE = "/v1/images/01hq3v6k2m8x9y7z5w4t3s2r1q"; // 404 once authenticated
    private static final List<String> PROTECTED = List.of(IMAGE, "/api/auth/session", "/api/keys", "/api/billing/status");

    @Inject
    SessionTokens tokens;

    @Inject
    SigningKeys keys;

    @Test
    void bearerAndCookieSessionsBothWork() {
        AuthApi.Account a = AuthApi.signUp("paths");
        for (String path : PROTECTED) {
            int expected = path.equals(IMAGE) ? 404 : 200;
            a.bearer().get(path).then().statusCode(expected);
            a.cookie().get(path).then().statusCode(expected);
        }
        // a bearer header wins over a cookie
        RestAssured.given().header("Authorization", "Bearer " + a.token()).cookie(AuthApi.COOKIE, "garbage")
                .get("/api/auth/session").then().statusCode(200);
    }

    @Test
    void missingCredentialsAre401Everywhere() {
        for (String path : PROTECTED) {
            RestAssured.given().get(path).then().statusCode(401).body("ok", equalTo(false))
                    .body("error", equalTo("unauthorized"));
        }
        RestAssured.given().get("/api/admin/users").then().statusCode(401);
        RestAssured.given().delete("/api/keys/01hq3v6k2m8x9y7z5w4t3s2r1q").then().statusCode(401);
        RestAssured.given().contentType("application/json").body("{\"name\":\"x\"}").post("/api/keys").then().statusCode(401);
    }

    @Test
    void expiredJwtIs401() {
        AuthApi.Account a = AuthApi.signUp("expired");
        Instant past = Instant.now().minusSeconds(3600);
        String expired = tokens.sign(a.id(), AuthApi.sessionId(a.token()), a.email(), "user", past, past.plusSeconds(60));
        assertRefused(expired);
    }

    @Test
    void jwtOfAnExpiredSessionIs401() {
        AuthApi.Account a = AuthApi.signUp("sessionexpired");
        QuarkusTransaction.requiringNew().run(() -> Session.update("expiresAt = ?1 where id = ?2",
                Instant.now().minusSeconds(1), AuthApi.sessionId(a.token())));
        assertRefused(a.token());
    }

    @Test
    void tamperedJwtIs401() {
        AuthApi.Account a = AuthApi.signUp("tampered");
        String[] parts = a.token().split("\\.");
        Map<String, Object> claims = AuthApi.claims(a.token());
        // claim to be someone else (the admin, user 1), keep the original signature
        String payload = AuthApi.b64(new String(java.util.Base64.getUrlDecoder().decode(parts[1]))
                .replace("\"sub\":\"" + claims.get("sub") + "\"", "\"sub\":\"1\""));
        assertRefused(parts[0] + "." + payload + "." + parts[2]);
        // flip one character of the signature
        char last = parts[2].charAt(0);
        assertRefused(parts[0] + "." + parts[1] + "." + (last == 'A' ? 'B' : 'A') + parts[2].substring(1));
        // strip the signature / use alg none
        assertRefused(parts[0] + "." + parts[1] + ".");
        assertRefused(AuthApi.b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".");
    }

    @Test
    void jwtSignedWithAnotherKeyIs401() {
        AuthApi.Account a = AuthApi.signUp("otherkey");
        Instant now = Instant.now();
        String forged = Jwt.claims().issuer("exifq").audience(SessionTokens.AUDIENCE).subject(Long.toString(a.id()))
                .claim("sid", AuthApi.sessionId(a.token())).issuedAt(now).expiresAt(now.plusSeconds(600))
                .jws().algorithm(SignatureAlgorithm.ES256).keyId(keys.keyId())
                .sign(SigningKeys.generateEs256().getPrivate());
        assertRefused(forged);
    }

    @Test
    void jwtWithAnUnknownSessionOrAnotherUsersSessionIs401() {
        AuthApi.Account a = AuthApi.signUp("nosession");
        AuthApi.Account b = AuthApi.signUp("victim");
        Instant now = Instant.now();
        // properly signed (as a leaked key would allow) but naming no open session: the database says no
        assertRefused(tokens.sign(a.id(), Ulid.next(), a.email(), "user", now, now.plusSeconds(600)));
        // a's session id with b as subject
        assertRefused(tokens.sign(b.id(), AuthApi.sessionId(a.token()), b.email(), "user", now, now.plusSeconds(600)));
        // sanity: the same construction with matching values is accepted
        RestAssured.given().header("Authorization", "Bearer "
                        + tokens.sign(a.id(), AuthApi.sessionId(a.token()), a.email(), "user", now, now.plusSeconds(600)))
                .get("/api/auth/session").then().statusCode(200);
    }

    @Test
    void revokedSessionIs401() {
        AuthApi.Account a = AuthApi.signUp("revoked");
        a.bearer().get("/api/auth/session").then().statusCode(200);
        a.bearer().post("/api/auth/sign-out").then().statusCode(200);
        assertRefused(a.token());
    }

    @Test
    void aStaleCookieIsClearedWith401() {
        AuthApi.Account a = AuthApi.signUp("stale");
        a.bearer().post("/api/auth/sign-out").then().statusCode(200);
        String setCookie = a.cookie().get("/api/auth/session").then().statusCode(401).extract().header("Set-Cookie");
        org.junit.jupiter.api.Assertions.assertTrue(setCookie != null && setCookie.contains("Max-Age=0"), setCookie);
    }

    @Test
    void revokedExpiredTamperedAndUnknownApiKeysAre401() {
        AuthApi.Account a = AuthApi.signUp("keys", "pro");
        String raw = a.bearer().contentType("application/json").body(Map.of("name", "k")).post("/api/keys")
                .then().statusCode(201).extract().path("key");
        String id = a.bearer().get("/api/keys").then().extract().path("keys[0].id");
        RestAssured.given().header("Authorization", "Bearer " + raw).get(IMAGE).then().statusCode(404);

        // tampered: one character changed
        char c = raw.charAt(raw.length() - 1);
        assertRefused(raw.substring(0, raw.length() - 1) + (c == 'a' ? 'b' : 'a'));
        assertRefused("exq_" + "A".repeat(43));
        assertRefused(raw + "x");

        // expired
        String expiring = AuthApi.addKey(a.id());
        RestAssured.given().header("Authorization", "Bearer " + expiring).get(IMAGE).then().statusCode(404);
        QuarkusTransaction.requiringNew().run(() -> ApiKey.update("expiresAt = ?1 where keyHash = ?2",
                Instant.now().minusSeconds(1), ApiKeys.hash(expiring)));
        assertRefused(expiring);

        // revoked: refused from the next request on
        a.bearer().delete("/api/keys/" + id).then().statusCode(200);
        assertRefused(raw);
    }

    @Test
    void anApiKeyIsNotAcceptedAsACookie() {
        AuthApi.Account a = AuthApi.signUp("keycookie");
        String key = AuthApi.addKey(a.id());
        RestAssured.given().header("Authorization", "Bearer " + key).get("/api/auth/session").then().statusCode(200);
        RestAssured.given().cookie(AuthApi.COOKIE, key).get("/api/auth/session").then().statusCode(401);
    }

    /** Refused as bearer and (for JWTs) as cookie, on every protected endpoint. */
    private static void assertRefused(String credential) {
        List<Function<RequestSpecification, RequestSpecification>> ways = credential.startsWith("exq_")
                ? List.of(r -> r.header("Authorization", "Bearer " + credential))
                : List.of(r -> r.header("Authorization", "Bearer " + credential), r -> r.cookie(AuthApi.COOKIE, credential));
        for (var way : ways) {
            for (String path : PROTECTED) {
                way.apply(RestAssured.given()).get(path).then().statusCode(401)
                        .body("ok", equalTo(false)).body("error", equalTo("unauthorized"));
            }
        }
    }
}
