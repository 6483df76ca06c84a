package dev.exifq.accounts;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class ApiKeysTest {

    @Test
    void freeUsersCannotCreateKeys() {
        AuthApi.Account free = AuthApi.signUp("freekey");
        free.bearer().contentType("application/json").body(Map.of("name", "mine")).post("/api/keys")
                .then().statusCode(403)
                .body("ok", equalTo(false))
                .body("error", equalTo("plan_required"))
                .body("upgradeUrl", equalTo("/pricing"))
                .body("message", equalTo("The Pro plan is required for API keys."));
        free.bearer().get("/api/keys").then().statusCode(200).body("keys", hasSize(0));
    }

    @Test
    void createShowsTheKeyOnceAndStoresOnlyItsHash() {
        AuthApi.Account pro = AuthApi.signUp("prokey", "pro");
        Response created = pro.cookie().contentType("application/json").body(Map.of("name", "CI uploader"))
                .post("/api/keys");
        created.then().statusCode(201).body("ok", equalTo(true)).body("name", equalTo("CI uploader"))
                .body("key", startsWith("exq_")).body("expires_at", nullValue());
        String raw = created.path("key");
        String id = created.path("id");
        String masked = "exq_…" + raw.substring(raw.length() - 4);
        created.then().body("masked", equalTo(masked));

        ApiKey stored = QuarkusTransaction.requiringNew().call(() -> ApiKey.findById(id));
        assertEquals(ApiKeys.hash(raw), stored.keyHash);
        assertFalse(stored.keyHash.contains(raw.substring(4)));

        Response list = pro.bearer().get("/api/keys");
        list.then().statusCode(200).body("ok", equalTo(true)).body("keys", hasSize(1))
                .body("keys[0].id", equalTo(id)).body("keys[0].name", equalTo("CI uploader"))
                .body("keys[0].masked", equalTo(masked)).body("keys[0].last_used_at", nullValue());
        assertFalse(list.asString().contains(raw), "the raw key is never listed");
        list.then().body("keys[0]", not(org.hamcrest.Matchers.hasKey("key")));

        // the key works on the API, and its use shows up
        RestAssured.given().header("Authorization", "Bearer " + raw).get("/api/billing/status")
                .then().statusCode(200).body("plan", equalTo("pro"));
        pro.bearer().get("/api/keys").then().body("keys[0].last_used_at", not(nullValue()));
    }

    @Test
    void lastUsedIsWrittenOnUseAndAtMostOnceAMinute() {
        AuthApi.Account a = AuthApi.signUp("lastused");
        String raw = AuthApi.addKey(a.id());
        assertNull(lastUsed(raw));

        Instant before = Instant.now();
        RestAssured.given().header("Authorization", "Bearer " + raw).get("/api/auth/session").then().statusCode(200);
        Instant first = lastUsed(raw);
        assertNotNull(first, "set by the first request");
        assertFalse(first.isBefore(before.minusMillis(1)) || first.isAfter(Instant.now()), first + " not at the request");

        RestAssured.given().header("Authorization", "Bearer " + raw).get("/api/auth/session").then().statusCode(200);
        assertEquals(first, lastUsed(raw), "not rewritten by a second request within the minute");

        Instant halfAMinuteAgo = setLastUsed(raw, Instant.now().minusSeconds(30));
        RestAssured.given().header("Authorization", "Bearer " + raw).get("/api/auth/session").then().statusCode(200);
        assertEquals(halfAMinuteAgo, lastUsed(raw), "still within the minute");

        Instant stale = setLastUsed(raw, Instant.now().minusSeconds(61));
        Instant beforeStale = Instant.now();
        RestAssured.given().header("Authorization", "Bearer " + raw).get("/api/auth/session").then().statusCode(200);
        Instant renewed = lastUsed(raw);
        assertTrue(renewed.isAfter(stale) && !renewed.isBefore(beforeStale.minusMillis(1)),
                "a use more than a minute after the last is recorded: " + stale + " -> " + renewed);
    }

    private static Instant lastUsed(String raw) {
        return QuarkusTransaction.requiringNew().call(() -> ApiKey.<ApiKey>find("keyHash", ApiKeys.hash(raw))
                .singleResult().lastUsedAt);
    }

    /** Sets last_used_at (to PostgreSQL's microseconds) and returns it as stored. */
    private static Instant setLastUsed(String raw, Instant at) {
        Instant micros = at.truncatedTo(ChronoUnit.MICROS);
        QuarkusTransaction.requiringNew().run(() -> ApiKey.update("lastUsedAt = ?1 where keyHash = ?2", micros,
                ApiKeys.hash(raw)));
        assertEquals(micros, lastUsed(raw));
        return micros;
    }

    @Test
    void atMostFiveLiveKeys() {
        AuthApi.Account pro = AuthApi.signUp("fivekeys", "pro");
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(pro.bearer().contentType("application/json").body(Map.of("name", "key " + i)).post("/api/keys")
                    .then().statusCode(201).extract().path("id"));
        }
        pro.bearer().contentType("application/json").body(Map.of("name", "key 6")).post("/api/keys")
                .then().statusCode(400).body("ok", equalTo(false)).body("error", equalTo("too_many_keys"))
                .body("message", equalTo("You already have 5 API keys, the most allowed. Revoke one to create another."));
        pro.bearer().get("/api/keys").then().body("keys", hasSize(5));
        // revoking one frees a slot
        pro.bearer().delete("/api/keys/" + ids.get(0)).then().statusCode(200).body("ok", equalTo(true));
        pro.bearer().get("/api/keys").then().body("keys", hasSize(4));
        pro.bearer().contentType("application/json").body(Map.of("name", "key 6")).post("/api/keys")
                .then().statusCode(201);
        pro.bearer().contentType("application/json").body(Map.of("name", "key 7")).post("/api/keys")
                .then().statusCode(400).body("error", equalTo("too_many_keys"));
    }

    @Test
    void concurrentCreationsStillStopAtFive() throws Exception {
        AuthApi.Account pro = AuthApi.signUp("racekeys", "pro");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(10);
        try {
            var start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return pro.bearer().contentType("application/json").body(Map.of("name", "k")).post("/api/keys")
                            .statusCode();
                }));
            }
            start.countDown();
            int created = 0;
            for (var f : results) {
                int status = f.get();
                assertTrue(status == 201 || status == 400, "status " + status);
                created += status == 201 ? 1 : 0;
            }
            assertEquals(5, created);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void revokeIsOwnerOnlyAndOthersIdsAre404() {
        AuthApi.Account owner = AuthApi.signUp("owner", "pro");
        AuthApi.Account other = AuthApi.signUp("other", "pro");
        Response created = owner.bearer().contentType("application/json").body(Map.of("name", "mine")).post("/api/keys");
        String id = created.path("id");
        String raw = created.path("key");

        other.bearer().get("/api/keys").then().statusCode(200).body("keys", hasSize(0));
        other.bearer().delete("/api/keys/" + id).then().statusCode(404).body("ok", equalTo(false))
                .body("error", equalTo("not_found"));
        RestAssured.given().header("Authorization", "Bearer " + raw).get("/api/keys").then().statusCode(200);

        owner.bearer().delete("/api/keys/" + id.toUpperCase()).then().statusCode(200).body("revoked", equalTo(true));
        owner.bearer().delete("/api/keys/" + id).then().statusCode(404);
        owner.bearer().delete("/api/keys/not-an-id").then().statusCode(404).body("error", equalTo("not_found"));
        RestAssured.given().header("Authorization", "Bearer " + raw).get("/api/keys").then().statusCode(401);
        ApiKey stored = QuarkusTransaction.requiringNew().call(() -> ApiKey.findById(id));
        assertNotNull(stored.revokedAt);
    }

    @Test
    void badNamesAndExpiriesAre400AndExpiryIsShown() {
        AuthApi.Account pro = AuthApi.signUp("keyname", "pro");
        pro.bearer().contentType("application/json").body(Map.of("name", "x".repeat(101))).post("/api/keys")
                .then().statusCode(400).body("error", equalTo("invalid_name"));
        pro.bearer().contentType("application/json").body(Map.of("name", "x", "expires_in_days", 0)).post("/api/keys")
                .then().statusCode(400).body("error", equalTo("invalid_expires_in_days"));
        pro.bearer().contentType("application/json").body(Map.of("name", "x", "expires_in_days", 30)).post("/api/keys")
                .then().statusCode(201).body("expires_at", not(nullValue()));
    }
}
