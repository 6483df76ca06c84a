package dev.exifq.accounts;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * CSRF in AuthFilter: state-changing requests authenticated by the session cookie need the session's token and
 * must not come from another site; Bearer requests need neither; sign-in and sign-up get the origin check.
 * (The browser side, a real cross-site form, is in web.CrossSiteFormTest.)
 */
@QuarkusTest
class CsrfTest {
    private static final Map<String, String> KEY = Map.of("name", "csrf");

    @Test
    void aCookieRequestWithoutTheTokenIsRefusedAndWithItAccepted() {
        AuthApi.Account a = AuthApi.signUp("csrf", "pro");
        a.cookieWithoutCsrf().contentType("application/json").body(KEY).post("/api/keys")
                .then().statusCode(403).body("ok", equalTo(false)).body("error", equalTo("csrf_failed"));
        a.cookieWithoutCsrf().header(AuthApi.CSRF_HEADER, a.csrf() + "x").contentType("application/json").body(KEY)
                .post("/api/keys").then().statusCode(403).body("error", equalTo("csrf_failed"));
        a.cookie().contentType("application/json").body(KEY).post("/api/keys").then().statusCode(201);
        // reading needs no token, and a Bearer header none either
        a.cookieWithoutCsrf().get("/api/keys").then().statusCode(200);
        a.bearer().contentType("application/json").body(KEY).post("/api/keys").then().statusCode(201);
    }

    @Test
    void theTokenIsBoundToTheSession() {
        AuthApi.Account a = AuthApi.signUp("csrfbound");
        AuthApi.Account again = AuthApi.signIn(a.email(), AuthApi.PASSWORD);
        assertNotEquals(a.csrf(), again.csrf(), "each session has its own token");
        String fetched = a.cookieWithoutCsrf().get("/api/auth/csrf").then().statusCode(200)
                .body("ok", equalTo(true)).extract().path("csrf_token");
        assertEquals(a.csrf(), fetched, "GET /api/auth/csrf gives the token sign-in gave");
        // another session's token does not pass
        a.cookieWithoutCsrf().header(AuthApi.CSRF_HEADER, again.csrf()).post("/api/auth/sign-out")
                .then().statusCode(403).body("error", equalTo("csrf_failed"));
        String key = AuthApi.addKey(a.id());
        RestAssured.given().header("Authorization", "Bearer " + key).get("/api/auth/csrf")
                .then().statusCode(403).body("error", equalTo("session_required"));
    }

    @Test
    void aRequestFromAnotherSiteIsRefusedEvenWithTheToken() {
        AuthApi.Account a = AuthApi.signUp("csrfsite");
        String host = "localhost:" + RestAssured.port;
        for (Map<String, String> headers : java.util.List.of(
                Map.of("Origin", "http://evil.example"),
                Map.of("Origin", "http://localhost:1"),
                Map.of("Origin", "null"),
                Map.of("Sec-Fetch-Site", "cross-site"),
                Map.of("Sec-Fetch-Site", "same-site", "Origin", "http://" + host))) {
            a.cookie().header("Host", host).headers(headers).post("/api/auth/sign-out")
                    .then().statusCode(403).body("error", equalTo("csrf_failed"));
        }
        a.cookie().header("Host", host).header("Origin", "http://" + host).header("Sec-Fetch-Site", "same-origin")
                .get("/api/auth/session").then().statusCode(200);
        a.cookie().header("Host", host).header("Origin", "http://" + host).header("Sec-Fetch-Site", "same-origin")
                .post("/api/auth/sign-out").then().statusCode(200);
    }

    @Test
    void signInAndSignUpFromAnotherSiteAreRefused() {
        AuthApi.Account a = AuthApi.signUp("csrflogin");
        RestAssured.given().header("Origin", "http://evil.example").contentType("application/json")
                .body(Map.of("email", a.email(), "password", AuthApi.PASSWORD)).post("/api/auth/sign-in/email")
                .then().statusCode(403).body("error", equalTo("csrf_failed"));
        RestAssured.given().header("Sec-Fetch-Site", "cross-site").contentType("application/json")
                .body(Map.of("email", AuthApi.uniqueEmail("csrfsignup"), "password", AuthApi.PASSWORD))
                .post("/api/auth/sign-up/email").then().statusCode(403).body("error", equalTo("csrf_failed"));
    }

    @Test
    void plainFormsSendTheTokenAsAField() {
        AuthApi.Account a = AuthApi.signUp("csrfform");
        a.cookieWithoutCsrf().redirects().follow(false).formParam("csrf", "wrong").post("/sign-out")
                .then().statusCode(403).body("error", equalTo("csrf_failed"));
        a.cookieWithoutCsrf().get("/api/auth/session").then().statusCode(200);
        a.cookieWithoutCsrf().redirects().follow(false).formParam("csrf", a.csrf()).post("/sign-out")
                .then().statusCode(303).header("Location", org.hamcrest.Matchers.endsWith("/"));
        a.cookieWithoutCsrf().get("/api/auth/session").then().statusCode(401);
    }
}
