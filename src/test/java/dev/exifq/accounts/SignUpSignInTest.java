package dev.exifq.accounts;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class SignUpSignInTest {

    @Test
    void signUpCreatesAFreeUserAndSignsThemIn() {
        String email = AuthApi.uniqueEmail("Ada");
        Response r = RestAssured.given().contentType("application/json")
                .body(Map.of("email", "  " + email.toUpperCase(Locale.ROOT) + " ", "password", AuthApi.PASSWORD,
                        "name", "Ada Lovelace"))
                .post("/api/auth/sign-up/email");
        r.then().statusCode(201)
                .body("ok", equalTo(true))
                .body("user.email", equalTo(email.toLowerCase(Locale.ROOT)))
                .body("user.name", equalTo("Ada Lovelace"))
                .body("user.role", equalTo("user"))
                .body("user.plan", equalTo("free"))
                .body("token", notNullValue());
        assertSessionCookie(r.header("Set-Cookie"), r.path("token"));

        User stored = User.findByEmail(email).orElseThrow();
        assertTrue(stored.passwordHash.startsWith("$2b$"), "bcrypt hash: " + stored.passwordHash);
        assertNotEquals(AuthApi.PASSWORD, stored.passwordHash);

        RestAssured.given().header("Authorization", "Bearer " + r.path("token")).get("/api/auth/session")
                .then().statusCode(200).body("user.email", equalTo(email.toLowerCase(Locale.ROOT)))
                .body("via", equalTo("session"));
    }

    @Test
    void aTakenEmailIs409WhateverItsCase() {
        AuthApi.Account a = AuthApi.signUp("taken");
        RestAssured.given().contentType("application/json")
                .body(Map.of("email", " " + a.email().toUpperCase(Locale.ROOT), "password", "another password", "name", "X"))
                .post("/api/auth/sign-up/email")
                .then().statusCode(409).body("ok", equalTo(false)).body("error", equalTo("email_taken"));
    }

    @Test
    void concurrentSignUpsOfOneEmailMakeOneAccount() throws Exception {
        String email = AuthApi.uniqueEmail("twice");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            var start = new java.util.concurrent.CountDownLatch(1);
            var results = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
            for (int i = 0; i < 6; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return RestAssured.given().contentType("application/json")
                            .body(Map.of("email", email, "password", AuthApi.PASSWORD, "name", "Twice"))
                            .post("/api/auth/sign-up/email").statusCode();
                }));
            }
            start.countDown();
            int created = 0;
            for (var f : results) {
                int status = f.get();
                assertTrue(status == 201 || status == 409, "status " + status);
                created += status == 201 ? 1 : 0;
            }
            assertEquals(1, created);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badSignUpsAre400() {
        RestAssured.given().contentType("application/json")
                .body(Map.of("email", AuthApi.uniqueEmail("short"), "password", "1234567", "name", "X"))
                .post("/api/auth/sign-up/email")
                .then().statusCode(400).body("error", equalTo("weak_password"));
        RestAssured.given().contentType("application/json")
                .body(Map.of("email", "not-an-email", "password", AuthApi.PASSWORD, "name", "X"))
                .post("/api/auth/sign-up/email")
                .then().statusCode(400).body("error", equalTo("invalid_email"));
        RestAssured.given().contentType("application/json").body(Map.of("password", AuthApi.PASSWORD))
                .post("/api/auth/sign-up/email")
                .then().statusCode(400).body("error", equalTo("missing_email"));
        RestAssured.given().contentType("application/json").body("{\"email\": ")
                .post("/api/auth/sign-up/email")
                .then().statusCode(400).body("ok", equalTo(false));
        RestAssured.given().contentType("application/json")
                .body(Map.of("email", AuthApi.uniqueEmail("long"), "password", "x".repeat(73)))
                .post("/api/auth/sign-up/email")
                .then().statusCode(400).body("error", equalTo("password_too_long"));
    }

    @Test
    void signInReturnsUserTokenAndCookie() {
        AuthApi.Account a = AuthApi.signUp("signin");
        Response r = RestAssured.given().contentType("application/json")
                .body(Map.of("email", a.email().toUpperCase(Locale.ROOT), "password", AuthApi.PASSWORD))
                .post("/api/auth/sign-in/email");
        r.then().statusCode(200)
                .body("ok", equalTo(true))
                .body("user.id", equalTo((int) a.id()))
                .body("user.email", equalTo(a.email()))
                .body("token", notNullValue());
        String token = r.path("token");
        assertSessionCookie(r.header("Set-Cookie"), token);
        Map<String, Object> claims = AuthApi.claims(token);
        assertEquals(Long.toString(a.id()), claims.get("sub"));
        assertTrue(((Number) claims.get("exp")).longValue() > ((Number) claims.get("iat")).longValue());
        assertTrue(token.startsWith("eyJ"));
    }

    @Test
    void wrongPasswordOrUnknownEmailIs401() {
        AuthApi.Account a = AuthApi.signUp("wrong");
        RestAssured.given().contentType("application/json")
                .header("X-Forwarded-For", "198.51.100.77")
                .body(Map.of("email", a.email(), "password", "not the password"))
                .post("/api/auth/sign-in/email")
                .then().statusCode(401).body("ok", equalTo(false)).body("error", equalTo("invalid_credentials"));
        RestAssured.given().contentType("application/json")
                .header("X-Forwarded-For", "198.51.100.77")
                .body(Map.of("email", AuthApi.uniqueEmail("nobody"), "password", AuthApi.PASSWORD))
                .post("/api/auth/sign-in/email")
                .then().statusCode(401).body("error", equalTo("invalid_credentials"));
        RestAssured.given().contentType("application/json").body(Map.of("email", a.email()))
                .post("/api/auth/sign-in/email")
                .then().statusCode(400).body("error", equalTo("missing_credentials"));
    }

    @Test
    void sessionAnswersUserPlanAndUsageOr401() {
        AuthApi.Account a = AuthApi.signUp("session");
        a.bearer().get("/api/auth/session").then().statusCode(200)
                .body("ok", equalTo(true))
                .body("via", equalTo("session"))
                .body("user.id", equalTo((int) a.id()))
                .body("session.id", equalTo(AuthApi.sessionId(a.token())))
                .body("plan.id", equalTo("free"))
                .body("plan.images_per_day", equalTo(5))
                .body("usage.today", equalTo(0))
                .body("usage.limit", equalTo(5))
                .body("usage.resets_at", notNullValue());
        a.cookie().get("/api/auth/session").then().statusCode(200).body("user.id", equalTo((int) a.id()));
        String key = AuthApi.addKey(a.id());
        RestAssured.given().header("Authorization", "Bearer " + key).get("/api/auth/session").then().statusCode(200)
                .body("via", equalTo("api_key")).body("session", nullValue());
        RestAssured.given().get("/api/auth/session").then().statusCode(401)
                .body("ok", equalTo(false)).body("error", equalTo("unauthorized"));
    }

    @Test
    void signOutWithBearerKillsTheToken() {
        AuthApi.Account a = AuthApi.signUp("signout");
        a.bearer().post("/api/auth/sign-out").then().statusCode(200).body("ok", equalTo(true));
        a.bearer().get("/api/auth/session").then().statusCode(401).body("error", equalTo("unauthorized"));
        a.cookie().get("/api/auth/session").then().statusCode(401);
        a.bearer().get("/v1/images/01hq3v6k2m8x9y7z5w4t3s2r1q").then().statusCode(401);
        // idempotent
        a.bearer().post("/api/auth/sign-out").then().statusCode(200).body("ok", equalTo(true));
        RestAssured.given().post("/api/auth/sign-out").then().statusCode(200);
        Session s = QuarkusTransaction.requiringNew().call(() -> Session.findById(AuthApi.sessionId(a.token())));
        assertTrue(s.revokedAt != null);
    }

    @Test
    void signOutWithTheCookieKillsTheTokenAndClearsTheCookie() {
        AuthApi.Account a = AuthApi.signUp("cookieout");
        AuthApi.Account second = AuthApi.signIn(a.email(), AuthApi.PASSWORD);
        Response r = a.cookie().post("/api/auth/sign-out");
        r.then().statusCode(200);
        String setCookie = r.header("Set-Cookie");
        assertTrue(setCookie.startsWith(AuthApi.COOKIE + "=;") || setCookie.startsWith(AuthApi.COOKIE + "=\"\""), setCookie);
        assertTrue(setCookie.contains("Max-Age=0"), setCookie);
        a.cookie().get("/api/auth/session").then().statusCode(401);
        a.bearer().get("/api/auth/session").then().statusCode(401);
        // only that session ended: the user's other session lives on
        second.bearer().get("/api/auth/session").then().statusCode(200);
    }

    @Test
    void theBootstrapAdminCanSignInWithItsPassword() {
        AuthApi.Account admin = AuthApi.signIn("admin@exifq.test", "admin-password");
        admin.bearer().get("/api/auth/session").then().statusCode(200)
                .body("user.role", equalTo("admin")).body("usage.limit", nullValue());
    }

    static void assertSessionCookie(String setCookie, String token) {
        assertTrue(setCookie != null && setCookie.startsWith(AuthApi.COOKIE + "=" + token), "Set-Cookie: " + setCookie);
        String lower = setCookie.toLowerCase(Locale.ROOT);
        assertTrue(lower.contains("httponly"), setCookie);
        assertTrue(lower.contains("samesite=lax"), setCookie);
        assertTrue(lower.contains("path=/"), setCookie);
        assertTrue(lower.contains("max-age="), setCookie);
        assertTrue(!lower.contains("secure"), "the test profile turns Secure off: " + setCookie);
    }
}
