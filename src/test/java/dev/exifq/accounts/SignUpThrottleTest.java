package dev.exifq.accounts;

import dev.exifq.testing.StrictIntakeProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sign-up attempts per client address (here 3 an hour; X-Forwarded-For gives each test its own address). */
@QuarkusTest
@TestProfile(StrictIntakeProfile.class)
class SignUpThrottleTest {

    private static Response signUp(String email, String password, String address) {
        return RestAssured.given().contentType("application/json").header("X-Forwarded-For", address)
                .body(Map.of("email", email, "password", password, "name", "Sign-up test"))
                .post("/api/auth/sign-up/email");
    }

    @Test
    void theFourthSignUpFromOneAddressIs429AndOtherAddressesAreNotAffected() {
        String address = "192.0.2.50";
        for (int i = 0; i < 3; i++) {
            signUp(AuthApi.uniqueEmail("many" + i), AuthApi.PASSWORD, address).then().statusCode(201);
        }
        Response r = signUp(AuthApi.uniqueEmail("many3"), AuthApi.PASSWORD, address);
        r.then().statusCode(429).body("ok", equalTo(false)).body("error", equalTo("too_many_sign_ups"));
        long retryAfter = Long.parseLong(r.header("Retry-After"));
        assertTrue(retryAfter > 3500 && retryAfter <= 3600, "Retry-After " + retryAfter);
        assertEquals(retryAfter, ((Number) r.path("retry_after")).longValue());
        signUp(AuthApi.uniqueEmail("elsewhere"), AuthApi.PASSWORD, "192.0.2.51").then().statusCode(201);
    }

    @Test
    void failedAttemptsCountToo() {
        String address = "198.51.100.60";
        signUp(AuthApi.uniqueEmail("weak1"), "short", address).then().statusCode(400);
        String taken = AuthApi.uniqueEmail("taken");
        signUp(taken, AuthApi.PASSWORD, "198.51.100.61").then().statusCode(201);
        signUp(taken, AuthApi.PASSWORD, address).then().statusCode(409);
        signUp(AuthApi.uniqueEmail("weak2"), "short", address).then().statusCode(400);
        // three attempts used: probing emails through 409 is bounded as well
        signUp(AuthApi.uniqueEmail("valid"), AuthApi.PASSWORD, address).then().statusCode(429);
    }

    @Test
    void concurrentSignUpsCannotSlipPastTheLimit() throws Exception {
        String address = "203.0.113.70";
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String email = AuthApi.uniqueEmail("race" + i);
                results.add(pool.submit(() -> {
                    start.await();
                    return signUp(email, AuthApi.PASSWORD, address).statusCode();
                }));
            }
            start.countDown();
            int created = 0;
            int refused = 0;
            for (Future<Integer> f : results) {
                int s = f.get();
                created += s == 201 ? 1 : 0;
                refused += s == 429 ? 1 : 0;
            }
            assertEquals(3, created);
            assertEquals(5, refused);
        } finally {
            pool.shutdownNow();
        }
    }
}
