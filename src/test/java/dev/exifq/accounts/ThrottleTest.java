package dev.exifq.accounts;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 10 failed sign-ins a minute per email and per client address; the 11th is 429 (client addresses via X-Forwarded-For). */
@QuarkusTest
class ThrottleTest {

    private static Response signIn(String email, String password, String address) {
        return RestAssured.given().contentType("application/json").header("X-Forwarded-For", address)
                .body(Map.of("email", email, "password", password)).post("/api/auth/sign-in/email");
    }

    @Test
    void tenFailuresForOneEmailFromAnywhereLockThatEmail() {
        AuthApi.Account a = AuthApi.signUp("throttled");
        AuthApi.Account bystander = AuthApi.signUp("bystander");
        for (int i = 1; i <= 10; i++) {
            signIn(a.email(), "wrong password", "192.0.2." + i).then().statusCode(401);
        }
        // the 11th, even with the right password and from a fresh address
        Response r = signIn(a.email(), AuthApi.PASSWORD, "192.0.2.200");
        r.then().statusCode(429).body("ok", equalTo(false)).body("error", equalTo("too_many_attempts"));
        long retryAfter = Long.parseLong(r.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertEquals(retryAfter, ((Number) r.path("retry_after")).longValue());
        // differently written, same email
        signIn(" " + a.email().toUpperCase() + " ", AuthApi.PASSWORD, "192.0.2.201").then().statusCode(429);
        // other emails are not affected
        signIn(bystander.email(), AuthApi.PASSWORD, "192.0.2.202").then().statusCode(200);
    }

    @Test
    void tenFailuresFromOneAddressLockThatAddress() {
        AuthApi.Account a = AuthApi.signUp("fromaddress");
        String address = "198.51.100.10";
        for (int i = 1; i <= 10; i++) {
            signIn(AuthApi.uniqueEmail("guess" + i), "wrong password", address).then().statusCode(401);
        }
        signIn(a.email(), AuthApi.PASSWORD, address).then().statusCode(429).body("error", equalTo("too_many_attempts"));
        // the same account from elsewhere is fine
        signIn(a.email(), AuthApi.PASSWORD, "198.51.100.11").then().statusCode(200);
    }

    @Test
    void successfulSignInsDoNotCount() {
        AuthApi.Account a = AuthApi.signUp("oftensignsin");
        for (int i = 0; i < 12; i++) {
            signIn(a.email(), AuthApi.PASSWORD, "203.0.113.5").then().statusCode(200);
        }
    }

    @Test
    void concurrentFailuresCannotSlipPastTheLimit() throws Exception {
        AuthApi.Account a = AuthApi.signUp("concurrentguess");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            var start = new java.util.concurrent.CountDownLatch(1);
            var results = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
            for (int i = 0; i < 16; i++) {
                String address = "203.0.113." + (100 + i);
                results.add(pool.submit(() -> {
                    start.await();
                    return signIn(a.email(), "wrong password", address).statusCode();
                }));
            }
            start.countDown();
            int unauthorized = 0;
            int throttled = 0;
            for (var f : results) {
                int s = f.get();
                unauthorized += s == 401 ? 1 : 0;
                throttled += s == 429 ? 1 : 0;
            }
            assertEquals(10, unauthorized, "password checks allowed");
            assertEquals(6, throttled);
        } finally {
            pool.shutdownNow();
        }
    }
}
