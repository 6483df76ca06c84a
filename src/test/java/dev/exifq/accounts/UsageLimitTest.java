package dev.exifq.accounts;

import dev.exifq.billing.Usage;
import dev.exifq.platform.ApiException;
import dev.exifq.platform.ApiTime;
import dev.exifq.platform.Ulid;
import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.TestServer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class UsageLimitTest {
    static final Path JPEG = Corpus.image("exiftool__Canon.jpg");
    static final String LIMIT_REACHED = "{\"ok\":false,\"error\":\"limit_reached\","
            + "\"message\":\"Daily limit of 5 images reached. Upgrade your plan for more.\",\"upgradeUrl\":\"/pricing\"}";

    @Inject
    Usage usage;

    @Inject
    EntityManager em;

    static Response upload(RequestSpecification as) {
        return as.multiPart("file", JPEG.toFile(), "image/jpeg").multiPart("async", "true").post("/v1/images");
    }

    long images(long userId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from images where user_id = :u").setParameter("u", userId).getSingleResult()).longValue());
    }

    long reservations(long userId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from usage_reservations where user_id = :u").setParameter("u", userId).getSingleResult()).longValue());
    }

    @Test
    void freeUsersGetFiveADayThenTheExact429() {
        AuthApi.Account a = AuthApi.signUp("five");
        for (int i = 0; i < 5; i++) {
            upload(a.bearer()).then().statusCode(202);
        }
        Response refused = upload(a.bearer());
        assertEquals(429, refused.statusCode());
        assertEquals(LIMIT_REACHED, refused.asString());
        assertEquals("application/json", refused.contentType().split(";")[0]);
        // by URL too, and a refused request leaves no image and no reservation behind
        a.bearer().contentType("application/json").body(Map.of("url", "http://127.0.0.1:9/a.jpg", "async", true))
                .post("/v1/images").then().statusCode(429).body("error", equalTo("limit_reached"));
        assertEquals(5, images(a.id()));
        assertTrue(reservations(a.id()) <= 5);

        String tomorrow = ApiTime.format(LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        a.bearer().get("/api/billing/status").then().statusCode(200)
                .body("ok", equalTo(true))
                .body("plan", equalTo("free"))
                .body("usage.today", equalTo(5))
                .body("usage.limit", equalTo(5))
                .body("usage.resets_at", equalTo(tomorrow))
                .body("limits.free.images_per_day", equalTo(5))
                .body("limits.free.api_keys", equalTo(false))
                .body("limits.free.bulk", equalTo(false))
                .body("limits.free.price_usd_per_month", equalTo(0))
                .body("limits.pro.images_per_day", equalTo(300))
                .body("limits.pro.api_keys", equalTo(true))
                .body("limits.pro.bulk", equalTo(true))
                .body("limits.pro.price_usd_per_month", equalTo(9));
    }

    @Test
    void webAndApiShareOneCount() {
        AuthApi.Account a = AuthApi.signUp("shared");
        String key = AuthApi.addKey(a.id());
        RequestSpecification api = RestAssured.given().header("Authorization", "Bearer " + key);
        upload(a.cookie()).then().statusCode(202);
        upload(a.bearer()).then().statusCode(202);
        upload(RestAssured.given().header("Authorization", "Bearer " + key)).then().statusCode(202);
        upload(RestAssured.given().header("Authorization", "Bearer " + key)).then().statusCode(202);
        upload(a.cookie()).then().statusCode(202);
        assertEquals(LIMIT_REACHED, upload(api).then().statusCode(429).extract().asString());
        assertEquals(LIMIT_REACHED, upload(a.cookie()).then().statusCode(429).extract().asString());
        // a fresh request: upload(api) left a multipart body on the reused specification
        RestAssured.given().header("Authorization", "Bearer " + key).get("/api/billing/status")
                .then().statusCode(200).body("usage.today", equalTo(5));
    }

    @Test
    void twentyConcurrentSubmissionsWithOneImageLeftAdmitExactlyOne() throws Exception {
        AuthApi.Account a = AuthApi.signUp("race");
        for (int i = 0; i < 4; i++) {
            upload(a.bearer()).then().statusCode(202);
        }
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return upload(a.bearer());
                }));
            }
            start.countDown();
            int admitted = 0;
            for (Future<Response> f : futures) {
                Response r = f.get();
                if (r.statusCode() == 202) {
                    admitted++;
                } else {
                    assertEquals(429, r.statusCode(), r.asString());
                    assertEquals(LIMIT_REACHED, r.asString());
                }
            }
            assertEquals(1, admitted);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(5, images(a.id()));
        a.bearer().get("/api/billing/status").then().body("usage.today", equalTo(5));
    }

    @Test
    void aFailedImageGivesItsUnitBackOnce() throws Exception {
        AuthApi.Account a = AuthApi.signUp("refund");
        try (TestServer server = new TestServer()) {
            Response r = a.bearer().contentType("application/json")
                    .body(Map.of("url", server.url("/status/404"), "async", false)).post("/v1/images");
            r.then().statusCode(200).body("status", equalTo("failed"));
            String id = r.path("id");
            a.bearer().get("/api/billing/status").then().body("usage.today", equalTo(0));
            // a second refund of the same image changes nothing
            assertEquals(0, usage.refund(List.of(id)));
            a.bearer().get("/api/billing/status").then().body("usage.today", equalTo(0));
            assertEquals(0, reservations(a.id()));
        }
        // the unit really is free again: five more fit
        for (int i = 0; i < 5; i++) {
            upload(a.bearer()).then().statusCode(202);
        }
        upload(a.bearer()).then().statusCode(429);
    }

    @Test
    void bulkReservationsAreAllOrNothing() {
        AuthApi.Account a = AuthApi.signUp("bulk");
        upload(a.bearer()).then().statusCode(202);
        upload(a.bearer()).then().statusCode(202);
        List<String> five = List.of(Ulid.next(), Ulid.next(), Ulid.next(), Ulid.next());
        ApiException e = assertThrows(ApiException.class, () -> usage.reserve(a.id(), five));
        assertEquals(429, e.status());
        assertEquals("limit_reached", e.code());
        a.bearer().get("/api/billing/status").then().body("usage.today", equalTo(2));
        List<String> three = List.of(Ulid.next(), Ulid.next(), Ulid.next());
        usage.reserve(a.id(), three);
        a.bearer().get("/api/billing/status").then().body("usage.today", equalTo(5));
        assertEquals(3, usage.refund(three));
        assertEquals(0, usage.refund(three));
        a.bearer().get("/api/billing/status").then().body("usage.today", equalTo(2));
    }

    @Test
    void proHas300AndAdminsAreUnlimited() {
        AuthApi.Account pro = AuthApi.signUp("prolimit", "pro");
        pro.bearer().get("/api/billing/status").then().body("plan", equalTo("pro")).body("usage.limit", equalTo(300));
        Api.asAdmin().get("/api/billing/status").then().statusCode(200).body("usage.limit", nullValue());
        for (int i = 0; i < 7; i++) {
            upload(Api.asAdmin()).then().statusCode(202);
        }
    }

    /** The acceptance takes the plan from the request's own credentials check, so a change counts from the next request. */
    @Test
    void aPlanSetBetweenTwoUploadsGovernsTheNextOne() {
        AuthApi.Account user = AuthApi.signUp("planflip");
        for (int i = 0; i < 5; i++) {
            upload(user.bearer()).then().statusCode(202);
        }
        upload(user.bearer()).then().statusCode(429).body(equalTo(LIMIT_REACHED));
        setPlan(user.id(), "pro");
        upload(user.bearer()).then().statusCode(202);
        setPlan(user.id(), "free");
        upload(user.bearer()).then().statusCode(429).body(equalTo(LIMIT_REACHED));
        assertEquals(6, images(user.id()));
        assertEquals(6, reservations(user.id()));
    }

    private static void setPlan(long userId, String plan) {
        Api.asAdmin().contentType("application/json")
                .body("{\"plan\": \"" + plan + "\", \"reason\": \"UsageLimitTest\"}")
                .post("/api/admin/users/" + userId + "/plan").then().statusCode(200);
    }
}
