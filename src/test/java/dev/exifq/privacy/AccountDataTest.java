package dev.exifq.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exifq.accounts.ApiKey;
import dev.exifq.accounts.ApiKeys;
import dev.exifq.accounts.User;
import dev.exifq.platform.Ulid;
import dev.exifq.storage.BlobStore;
import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.TestDb;
import dev.exifq.testing.TestUsers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Account export (JSON Lines, streamed) and account deletion by the user and by an admin. */
@QuarkusTest
class AccountDataTest {
    private static final String PASSWORD = "correct horse battery";
    private static final String PHOTO = "exifsamples__jpg__Canon_40D.jpg";

    @Inject
    BlobStore blobs;
    @Inject
    ObjectMapper json;

    record Account(long id, String email, String jwt, String apiKey) {
        RequestSpecification session() {
            return RestAssured.given().header("Authorization", "Bearer " + jwt);
        }
    }

    static Account signUpPro() {
        String email = "privacy-" + Ulid.next() + "@exifq.test";
        Response r = RestAssured.given().contentType("application/json")
                .body(Map.of("email", email, "password", PASSWORD)).post("/api/auth/sign-up/email");
        assertEquals(201, r.statusCode(), r.asString());
        long id = ((Number) r.path("user.id")).longValue();
        String raw = ApiKeys.generate();
        QuarkusTransaction.requiringNew().run(() -> {
            User.update("plan = 'pro' where id = ?1", id);
            ApiKey key = new ApiKey();
            key.id = Ulid.next();
            key.userId = id;
            key.name = "test";
            key.keyHash = ApiKeys.hash(raw);
            key.last4 = ApiKeys.last4(raw);
            key.persist();
        });
        return new Account(id, email, r.path("token"), raw);
    }

    static String upload(String apiKey) throws Exception {
        return Api.as(apiKey).multiPart("file", Corpus.uniqueCopy(PHOTO).toFile()).post("/v1/images")
                .then().statusCode(200).body("status", equalTo("processed")).extract().path("id");
    }

    @Test
    void deletingYourAccountLeavesNothingOfIt() throws Exception {
        Account a = signUpPro();
        List<String> ids = List.of(upload(a.apiKey()), upload(a.apiKey()));
        List<String> keys = new ArrayList<>();
        for (String id : ids) {
            keys.add(TestDb.string("select blob_key from images where id = ?", id));
        }
        keys.forEach(k -> assertTrue(exists(k)));
        String checksum = TestDb.string("select checksum from images where id = ?", ids.get(0));
        // billing's and feedback's records of the user: a plan change by an admin, feedback sent while signed in
        Api.asAdmin().contentType("application/json").body(Map.of("plan", "pro", "reason", "comped for the test"))
                .post("/api/admin/users/" + a.id() + "/plan").then().statusCode(200);
        a.session().contentType("application/json").body(Map.of("type", "feedback", "message", "Please keep my data safe."))
                .post("/api/feedback").then().statusCode(201);
        assertEquals(1, TestDb.count("select count(*) from feedback where user_id = ?", a.id()));
        assertTrue(TestDb.count("select count(*) from plan_changes where user_id = ?", a.id()) > 0);

        Api.as(a.apiKey()).contentType("application/json").body(Map.of("password", PASSWORD))
                .delete("/api/account").then().statusCode(403).body("error", equalTo("session_required"));
        a.session().contentType("application/json").body(Map.of("password", "not the password"))
                .delete("/api/account").then().statusCode(403).body("error", equalTo("wrong_password"));
        a.session().contentType("application/json").body("{}")
                .delete("/api/account").then().statusCode(400).body("error", equalTo("missing_password"));
        a.session().contentType("application/json").body("{not json")
                .delete("/api/account").then().statusCode(400).body("ok", equalTo(false));
        assertEquals(1, TestDb.count("select count(*) from users where id = ?", a.id()));

        a.session().contentType("application/json").body(Map.of("password", PASSWORD))
                .delete("/api/account").then().statusCode(204);

        for (String table : List.of("users where id", "api_keys where user_id", "sessions where user_id",
                "images where user_id", "image_hashes where user_id", "usage_daily where user_id",
                "usage_reservations where user_id", "duplicate_library_versions where user_id",
                "plan_changes where user_id", "subscriptions where user_id", "stripe_customers where user_id",
                "feedback where user_id")) {
            assertEquals(0, TestDb.count("select count(*) from " + table + " = ?", a.id()), table);
        }
        assertEquals(0, TestDb.count("select count(*) from extraction_cache where checksum = ?", checksum));
        assertEquals(0, TestDb.count("select count(*) from sign_in_attempts where subject = ?", "email:" + a.email()));
        for (String key : keys) {
            assertFalse(exists(key), key);
            assertEquals(0, TestDb.count("select count(*) from blob_deletions where blob_key = ?", key));
        }
        assertEquals(1, TestDb.count("""
                select count(*) from account_deletions
                 where deleted_user_id = ? and deleted_by = ? and not by_admin and images = 2""", a.id(), a.id()));
        a.session().get("/api/auth/session").then().statusCode(401);
        Api.as(a.apiKey()).get("/v1/images/" + ids.get(0)).then().statusCode(401);
    }

    @Test
    void wrongPasswordsOnDeleteCountAsFailedSignIns() {
        Account a = signUpPro();
        for (int i = 0; i < 10; i++) {
            a.session().contentType("application/json").body(Map.of("password", "guess " + i))
                    .delete("/api/account").then().statusCode(403).body("error", equalTo("wrong_password"));
        }
        Response refused = a.session().contentType("application/json").body(Map.of("password", PASSWORD))
                .delete("/api/account");
        assertEquals(429, refused.statusCode(), refused.asString());
        assertEquals("too_many_attempts", refused.path("error"));
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertEquals(retryAfter, ((Number) refused.path("retry_after")).longValue());
        // one budget per email: the guesses also lock sign-in, so a stolen session is no password oracle
        RestAssured.given().contentType("application/json").body(Map.of("email", a.email(), "password", PASSWORD))
                .post("/api/auth/sign-in/email").then().statusCode(429);
        assertEquals(1, TestDb.count("select count(*) from users where id = ?", a.id()), "nothing deleted");
    }

    @Test
    void adminsDeleteAnyAccountAndTheDeletionIsRecorded() throws Exception {
        Account a = signUpPro();
        String key = TestDb.string("select blob_key from images where id = ?", upload(a.apiKey()));
        TestUsers.Created notAdmin = TestUsers.create("pro");

        Api.as(notAdmin.apiKey()).contentType("application/json").body(Map.of("reason", "no"))
                .delete("/api/admin/users/" + a.id()).then().statusCode(403);
        Api.asAdmin().contentType("application/json").body("{}")
                .delete("/api/admin/users/" + a.id()).then().statusCode(400).body("error", equalTo("invalid_reason"));
        Api.asAdmin().contentType("application/json").body(Map.of("reason", "x"))
                .delete("/api/admin/users/999999999").then().statusCode(404).body("error", equalTo("not_found"));

        Api.asAdmin().contentType("application/json").body(Map.of("reason", "erasure request #12"))
                .delete("/api/admin/users/" + a.id()).then().statusCode(204);

        assertEquals(0, TestDb.count("select count(*) from users where id = ?", a.id()));
        assertEquals(0, TestDb.count("select count(*) from images where user_id = ?", a.id()));
        assertFalse(exists(key));
        Api.asAdmin().get("/api/admin/deletions").then().statusCode(200)
                .body("deletions.find { it.deleted_user_id == " + a.id() + " }.reason", equalTo("erasure request #12"))
                .body("deletions.find { it.deleted_user_id == " + a.id() + " }.by_admin", equalTo(true))
                .body("deletions.find { it.deleted_user_id == " + a.id() + " }.images", equalTo(1));
        // the record keeps nothing of the account: no email anywhere in it
        assertEquals(0, TestDb.count("select count(*) from account_deletions where reason like ?", "%" + a.email() + "%"));
        Api.as(notAdmin.apiKey()).get("/api/admin/deletions").then().statusCode(403);
    }

    @Test
    void exportStreamsEverythingAboutTheCallerAndNothingElse() throws Exception {
        Account a = signUpPro();
        String processed = upload(a.apiKey());
        TestUsers.Created other = TestUsers.create("pro");
        String othersImage = upload(other.apiKey());
        // 1,000 more images straight in SQL, ids after the uploaded one's (ULIDs of this millisecond or later)
        TestDb.update("""
                insert into images (id, user_id, status, filename, created_at, updated_at)
                select lower(? || lpad(to_hex(g), 10, '0')), ?, 'queued', 'bulk-' || g || '.jpg', now(), now()
                  from generate_series(1, 1000) g""", Ulid.next().substring(0, 16), a.id());

        Response r = a.session().get("/api/account/export");
        assertEquals(200, r.statusCode());
        assertTrue(r.contentType().startsWith("application/jsonl"), r.contentType());
        assertTrue(r.header("Content-Disposition").startsWith("attachment;"));
        // streamed in pages, not buffered: no length known up front
        assertNull(r.header("Content-Length"));

        List<JsonNode> lines = new ArrayList<>();
        try (InputStream in = r.asInputStream();
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(json.readTree(line));
            }
        }
        assertEquals("account", lines.get(0).path("type").asText());
        assertEquals(a.email(), lines.get(0).path("account").path("email").asText());
        List<String> images = lines.stream().filter(l -> l.path("type").asText().equals("image"))
                .map(l -> l.path("image").path("id").asText()).toList();
        assertEquals(1001, images.size());
        assertEquals(1001, new HashSet<>(images).size());
        assertTrue(images.contains(processed));
        assertFalse(images.contains(othersImage));
        Set<String> types = new HashSet<>(lines.stream().map(l -> l.path("type").asText()).toList());
        assertEquals(Set.of("account", "api_key", "session", "usage", "image"), types);
        JsonNode key = lines.stream().filter(l -> l.path("type").asText().equals("api_key")).findFirst().orElseThrow();
        assertFalse(key.toString().contains(a.apiKey()), "the key itself is never exported");
        assertTrue(key.path("api_key").path("masked").asText().endsWith(a.apiKey().substring(a.apiKey().length() - 4)));
        JsonNode usage = lines.stream().filter(l -> l.path("type").asText().equals("usage")).findFirst().orElseThrow();
        assertEquals(1, usage.path("usage").path("images").asInt());
        assertTrue(lines.stream().anyMatch(l -> l.path("type").asText().equals("image")
                && l.path("image").path("id").asText().equals(processed)
                && l.path("image").path("metadata").isObject()));
    }

    private boolean exists(String key) {
        try {
            return blobs.exists(key);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
