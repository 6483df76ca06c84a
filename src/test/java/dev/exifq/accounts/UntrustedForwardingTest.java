package dev.exifq.accounts;

import dev.exifq.testing.ApiReplicaProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.hamcrest.Matchers.equalTo;

/**
 * A client that is not a trusted proxy cannot choose its throttling key with X-Forwarded-For: ten failed sign-ins
 * under ten forged addresses lock its real address. (Trusted, each forwarded client is throttled alone: ThrottleTest,
 * where loopback is the trusted proxy.)
 */
@QuarkusTest
@TestProfile(ApiReplicaProfile.class)
class UntrustedForwardingTest {

    private static Response signIn(String email, String password, String forgedAddress) {
        return RestAssured.given().contentType("application/json").header("X-Forwarded-For", forgedAddress)
                .header("Forwarded", "for=" + forgedAddress)
                .body(Map.of("email", email, "password", password)).post("/api/auth/sign-in/email");
    }

    @Test
    void aForgedForwardedForDoesNotChangeTheThrottlingKey() {
        AuthApi.Account a = AuthApi.signUp("untrustedproxy");
        for (int i = 1; i <= 10; i++) {
            signIn(AuthApi.uniqueEmail("forged" + i), "wrong password", "203.0.113." + i).then().statusCode(401);
        }
        // a fresh forged address and the right password: still this connection's address, which is locked
        signIn(a.email(), AuthApi.PASSWORD, "203.0.113.99").then().statusCode(429)
                .body("error", equalTo("too_many_attempts"));
    }
}
