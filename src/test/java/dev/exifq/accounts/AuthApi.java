package dev.exifq.accounts;

import dev.exifq.platform.Ulid;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Accounts made through the real HTTP API, plus the few database shortcuts tests need. */
final class AuthApi {
    static final String PASSWORD = "correct horse battery";
    static final String COOKIE = "exifq_session";

    private AuthApi() {}

    /** {@code csrf}: the session's CSRF token, which state-changing requests with the cookie must send. */
    record Account(long id, String email, String token, String csrf) {
        RequestSpecification bearer() {
            return RestAssured.given().header("Authorization", "Bearer " + token);
        }

        /** As a program using the session cookie does it: the cookie and the session's CSRF token. */
        RequestSpecification cookie() {
            return cookieWithoutCsrf().header(CSRF_HEADER, csrf);
        }

        RequestSpecification cookieWithoutCsrf() {
            return RestAssured.given().cookie(COOKIE, token);
        }
    }

    static final String CSRF_HEADER = "X-CSRF-Token";

    static String uniqueEmail(String tag) {
        return tag + "-" + Ulid.next() + "@exifq.test";
    }

    static Account signUp(String tag) {
        String email = uniqueEmail(tag);
        Response r = RestAssured.given().contentType("application/json")
                .body(Map.of("email", email, "password", PASSWORD, "name", "Test " + tag))
                .post("/api/auth/sign-up/email");
        assertEquals(201, r.statusCode(), r.asString());
        return new Account(((Number) r.path("user.id")).longValue(), email, r.path("token"), r.path("csrf_token"));
    }

    static Account signUp(String tag, String plan) {
        Account a = signUp(tag);
        setPlan(a.id(), plan);
        return a;
    }

    static Account signIn(String email, String password) {
        Response r = RestAssured.given().contentType("application/json")
                .body(Map.of("email", email, "password", password)).post("/api/auth/sign-in/email");
        assertEquals(200, r.statusCode(), r.asString());
        return new Account(((Number) r.path("user.id")).longValue(), email, r.path("token"), r.path("csrf_token"));
    }

    static void setPlan(long userId, String plan) {
        QuarkusTransaction.requiringNew().run(() -> User.update("plan = ?1 where id = ?2", plan, userId));
    }

    /** An API key straight in the database (free users cannot create one through the API). */
    static String addKey(long userId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            String raw = ApiKeys.generate();
            ApiKey key = new ApiKey();
            key.id = Ulid.next();
            key.userId = userId;
            key.name = "direct";
            key.keyHash = ApiKeys.hash(raw);
            key.last4 = ApiKeys.last4(raw);
            key.persist();
            return raw;
        });
    }

    static String sessionId(String jwt) {
        return (String) claims(jwt).get("sid");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> claims(String jwt) {
        try {
            byte[] json = Base64.getUrlDecoder().decode(jwt.split("\\.")[1]);
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Map.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
