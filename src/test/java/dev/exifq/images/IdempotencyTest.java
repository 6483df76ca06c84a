package dev.exifq.images;

import dev.exifq.idempotency.IdempotencyKeys;
import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.TestServer;
import dev.exifq.testing.TestUsers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Idempotency-Key on POST /v1/images: replays, conflicts, per-user keys, bad keys, concurrent duplicates. */
@QuarkusTest
class IdempotencyTest {
    private static final String PNG = "exiftool__PNG.png";
    private static final String JPG = "exifsamples__jpg__Canon_40D.jpg";
    private static TestServer server;

    @Inject
    EntityManager em;
    @Inject
    IdempotencyKeys keys;

    @BeforeAll
    static void start() throws IOException {
        server = new TestServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void sameKeyAndUploadAnswersTheFirstImageWithoutASecondUnit() {
        TestUsers.Created user = TestUsers.create("pro");
        Response first = upload(user.apiKey(), "k-1", PNG);
        assertEquals(200, first.statusCode(), first.asString());
        Response again = upload(user.apiKey(), "k-1", PNG);
        assertEquals(200, again.statusCode(), again.asString());
        assertEquals(first.<String>path("id"), again.path("id"));
        assertEquals("processed", again.path("status"));
        Api.as(user.apiKey()).get("/api/billing/status").then().statusCode(200).body("usage.today", equalTo(1));

        Response otherKey = upload(user.apiKey(), "k-2", PNG);
        assertNotEquals(first.<String>path("id"), otherKey.path("id"));
        Response noKey = Api.as(user.apiKey()).multiPart("file", Corpus.image(PNG).toFile()).post("/v1/images");
        assertNotEquals(first.<String>path("id"), noKey.path("id"));
        Api.as(user.apiKey()).get("/api/billing/status").then().body("usage.today", equalTo(3));
    }

    @Test
    void sameKeyWithADifferentRequestIs409() {
        TestUsers.Created user = TestUsers.create("pro");
        upload(user.apiKey(), "k-conflict", PNG).then().statusCode(200);
        for (Response r : List.of(upload(user.apiKey(), "k-conflict", JPG),
                Api.as(user.apiKey()).header("Idempotency-Key", "k-conflict")
                        .multiPart("file", Corpus.image(PNG).toFile()).multiPart("filename", "other.png")
                        .post("/v1/images"),
                url(user.apiKey(), "k-conflict", server.url("/corpus/" + PNG)))) {
            assertEquals(409, r.statusCode(), r.asString());
            assertEquals("idempotency_conflict", r.path("error"));
            assertEquals(false, r.path("ok"));
        }
        Api.as(user.apiKey()).get("/api/billing/status").then().body("usage.today", equalTo(1));
    }

    @Test
    void urlRequestsReplayAndKeysArePerUser() {
        TestUsers.Created a = TestUsers.create("pro");
        TestUsers.Created b = TestUsers.create("pro");
        String link = server.url("/corpus/" + PNG);
        Response first = url(a.apiKey(), "shared-key", link);
        assertEquals(202, first.statusCode(), first.asString());
        Response replay = url(a.apiKey(), "shared-key", link);
        assertEquals(first.<String>path("id"), replay.path("id"));
        Response otherUser = url(b.apiKey(), "shared-key", link);
        assertEquals(202, otherUser.statusCode(), otherUser.asString());
        assertNotEquals(first.<String>path("id"), otherUser.path("id"));
        // b cannot read a's image through the key either
        Api.as(b.apiKey()).get("/v1/images/" + first.path("id")).then().statusCode(404);
    }

    @Test
    void badKeysAre400() {
        for (String bad : List.of("x".repeat(256), "has space", "semi;colon", "ünïcode", "a/b")) {
            Api.asAdmin().header("Idempotency-Key", bad).contentType("application/json")
                    .body(Map.of("url", server.url("/corpus/" + PNG), "async", true)).post("/v1/images")
                    .then().statusCode(400).body("error", equalTo("invalid_idempotency_key"))
                    .body("message", containsString("Idempotency-Key"));
            Api.asAdmin().header("Idempotency-Key", bad).multiPart("file", Corpus.image(PNG).toFile())
                    .post("/v1/images").then().statusCode(400).body("error", equalTo("invalid_idempotency_key"));
        }
        url(Api.ADMIN_KEY, "x".repeat(255), server.url("/corpus/" + PNG)).then().statusCode(202);
    }

    @Test
    void concurrentDuplicatesMakeExactlyOneImage() throws Exception {
        TestUsers.Created user = TestUsers.create("pro");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> Api.as(user.apiKey()).header("Idempotency-Key", "race")
                        .multiPart("file", Corpus.image(PNG).toFile()).multiPart("async", "true").post("/v1/images")));
            }
            Set<String> ids = new HashSet<>();
            for (Future<Response> f : answers) {
                Response r = f.get();
                assertEquals(202, r.statusCode(), r.asString());
                ids.add(r.path("id"));
            }
            assertEquals(1, ids.size(), ids.toString());
        } finally {
            pool.shutdownNow();
        }
        long images = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from images where user_id = :u").setParameter("u", user.userId())
                .getSingleResult()).longValue());
        assertEquals(1, images);
        Api.as(user.apiKey()).get("/api/billing/status").then().body("usage.today", equalTo(1));
    }

    @Test
    void keysOlderThan24HoursArePrunedAndReusable() {
        TestUsers.Created user = TestUsers.create("pro");
        String link = server.url("/corpus/" + PNG);
        String first = url(user.apiKey(), "old-key", link).path("id");
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update idempotency_keys set created_at = now() - interval '25 hours' where user_id = :u")
                .setParameter("u", user.userId()).executeUpdate());
        assertTrue(keys.prune() >= 1);
        long left = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from idempotency_keys where user_id = :u").setParameter("u", user.userId())
                .getSingleResult()).longValue());
        assertEquals(0, left);
        Response after = url(user.apiKey(), "old-key", server.url("/corpus/" + JPG)); // a different request: no 409
        assertEquals(202, after.statusCode(), after.asString());
        assertNotEquals(first, after.path("id"));
    }

    private static Response upload(String key, String idempotencyKey, String image) {
        return Api.as(key).header("Idempotency-Key", idempotencyKey).multiPart("file", Corpus.image(image).toFile())
                .post("/v1/images");
    }

    private static Response url(String key, String idempotencyKey, String link) {
        return Api.as(key).header("Idempotency-Key", idempotencyKey).contentType("application/json")
                .body(Map.of("url", link, "async", true)).post("/v1/images");
    }
}
