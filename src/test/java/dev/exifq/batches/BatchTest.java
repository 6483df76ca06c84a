package dev.exifq.batches;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.TestServer;
import dev.exifq.testing.WebhookReceiver;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /v1/batches and what follows from it: counts, exports, duplicates, listing, idempotency, bad input. */
@QuarkusTest
class BatchTest {
    // two blank 8x8/16x16 images (equal pHash, different bytes) and four far apart from them and each other
    private static final List<String> FILES = List.of("exiftool__Writer.jpg", "exiftool__PNG.png",
            "exifsamples__jpg__Fujifilm_FinePix_E500.jpg", "exifsamples__jpg__Olympus_C8080WZ.jpg",
            "exifsamples__jpg__Sony_HDR-HC3.jpg", "exiftool__NikonD70.jpg");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static WebhookReceiver receiver;

    @Inject
    EntityManager em;
    @Inject
    BatchFinishedRecorder finished;

    @BeforeAll
    static void start() throws IOException {
        server = new TestServer();
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stop() {
        server.close();
        receiver.close();
    }

    /** A user without a daily limit (an admin), so that thousands of URLs fit. */
    private static TestUsers.Created unlimited() {
        TestUsers.Created u = TestUsers.create("pro");
        QuarkusTransaction.requiringNew().run(() -> io.quarkus.hibernate.orm.panache.Panache.getEntityManager()
                .createNativeQuery("update users set role = 'admin' where id = :id").setParameter("id", u.userId())
                .executeUpdate());
        return u;
    }

    private static String unlimitedUser() {
        return unlimited().apiKey();
    }

    /** REST Assured sends these bodies as the text they are. */
    private static final io.restassured.config.RestAssuredConfig TEXT_BODIES = io.restassured.RestAssured.config()
            .encoderConfig(io.restassured.config.EncoderConfig.encoderConfig()
                    .encodeContentTypeAs("application/x-ndjson", io.restassured.http.ContentType.TEXT)
                    .encodeContentTypeAs("application/xml", io.restassured.http.ContentType.TEXT));

    /** What item i of the big batch is: a 404, a slow download, or a copy of one of FILES. */
    private static String bigItem(int i) {
        if (i % 100 == 7) return server.url("/status/404?n=" + i);
        if (i % 400 == 11) return server.url("/trickle/" + FILES.get(2) + "?n=" + i); // 3 s
        return server.url("/corpus/" + FILES.get(i % FILES.size()) + "?n=" + i);
    }

    private static String fileOf(int i) {
        if (i % 100 == 7) return null;
        if (i % 400 == 11) return FILES.get(2);
        return FILES.get(i % FILES.size());
    }

    @Test
    void twoThousandUrlsCompleteWithCountsExportsDuplicatesAndListing() throws Exception {
        String key = unlimitedUser();
        int n = 2000;
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < n; i++) urls.add(bigItem(i));
        long started = System.nanoTime();
        Response accepted = Api.as(key).contentType("application/json")
                .body(Map.of("urls", urls, "callback_url", receiver.url("/batch"))).post("/v1/batches");
        long acceptedMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals(202, accepted.statusCode(), accepted.asString());
        String id = accepted.path("id");
        assertEquals("queued", accepted.path("status"));
        assertEquals(n, (int) accepted.path("total"));
        assertEquals("/v1/batches/" + id, accepted.header("Location"));

        JsonNode batch = awaitCompleted(key, id, 300);
        long doneMs = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("BatchTest: %d URLs accepted in %d ms, completed in %d ms%n", n, acceptedMs, doneMs);
        int notFound = (int) java.util.stream.IntStream.range(0, n).filter(i -> fileOf(i) == null).count();
        assertEquals(20, notFound);
        assertEquals(n, batch.get("total").asInt());
        assertEquals(n - notFound, batch.get("processed").asInt());
        assertEquals(notFound, batch.get("failed").asInt());
        assertEquals(0, batch.get("queued").asInt());
        assertEquals(0, batch.get("processing").asInt());
        assertNotNull(batch.get("completed_at").textValue());
        assertTrue(server.hits("/trickle/") >= 5);

        List<BatchFinished> events = finished.of(id);
        assertEquals(1, events.size(), "one BatchFinished per batch");
        assertEquals(receiver.url("/batch"), events.get(0).callbackUrl());
        String batchJson = Api.as(key).get("/v1/batches/" + id).asString();
        assertEquals(JSON.readTree(batchJson), JSON.readTree(events.get(0).body()));
        // and the callback is delivered once, signed with the caller's webhook secret
        WebhookReceiver.Received delivered = receiver.await("/batch", 1, java.time.Duration.ofSeconds(30)).get(0);
        assertEquals("batch.finished", delivered.event());
        assertEquals(JSON.readTree(batchJson), JSON.readTree(delivered.body()));
        String secret = Api.as(key).get("/api/webhook-secret").then().statusCode(200).extract().path("secret");
        assertTrue(WebhookReceiver.verifies(secret, delivered), delivered.signature());
        Thread.sleep(500);
        assertEquals(1, receiver.at("/batch").size(), "exactly one delivery");

        Map<String, String> checksums = new HashMap<>();
        for (String f : FILES) checksums.put(f, Corpus.hashes(f).sha256());

        // CSV: header, then one row per item in the order submitted
        Response csv = Api.as(key).get("/v1/batches/" + id + "/results?format=csv");
        assertEquals(200, csv.statusCode());
        assertTrue(csv.contentType().startsWith("text/csv"), csv.contentType());
        List<List<String>> rows = parseCsv(csv.asString());
        assertEquals(List.of("id", "url", "status", "checksum", "bytesize", "content_type", "width", "height", "dhash",
                "phash", "camera", "lens", "error"), rows.get(0));
        assertEquals(n + 1, rows.size());
        List<String> imageIds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<String> row = rows.get(i + 1);
            imageIds.add(row.get(0));
            assertEquals(urls.get(i), row.get(1));
            String file = fileOf(i);
            if (file == null) {
                assertEquals("failed", row.get(2));
                assertFalse(row.get(12).isEmpty(), "a 404 says why");
            } else {
                assertEquals("processed", row.get(2), row.toString());
                assertEquals(checksums.get(file), row.get(3));
                assertEquals(String.valueOf(Corpus.hashes(file).width()), row.get(6));
                assertEquals(Corpus.hashes(file).phash(), row.get(9));
                assertEquals("", row.get(12));
            }
        }
        assertEquals(n, new HashSet<>(imageIds).size());

        // JSONL: the same items with metadata and the camera as objects
        Response jsonl = Api.as(key).get("/v1/batches/" + id + "/results?format=jsonl");
        assertEquals(200, jsonl.statusCode());
        List<String> lines = jsonl.asString().lines().toList();
        assertEquals(n, lines.size());
        for (int i = 0; i < n; i++) {
            JsonNode line = JSON.readTree(lines.get(i));
            assertEquals(imageIds.get(i), line.get("id").asText());
            assertEquals(urls.get(i), line.get("url").asText());
            if (fileOf(i) == null) {
                assertEquals("failed", line.get("status").asText());
                assertTrue(line.get("metadata").isNull());
            } else {
                assertEquals(checksums.get(fileOf(i)), line.get("checksum").asText());
                assertTrue(line.get("metadata").isObject(), lines.get(i));
            }
        }
        String nikon = lines.get(FILES.indexOf("exiftool__NikonD70.jpg"));
        assertTrue(JSON.readTree(nikon).get("camera").isObject(), nikon);

        // duplicates: one cluster for the two blank images, one per other file, each exactly its items
        Response dup = Api.as(key).get("/v1/batches/" + id + "/duplicates");
        assertEquals(200, dup.statusCode(), dup.asString());
        JsonNode clusters = JSON.readTree(dup.asString()).get("clusters");
        Map<String, Set<String>> expected = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String f = fileOf(i);
            if (f != null) expected.computeIfAbsent(f.equals(FILES.get(1)) ? FILES.get(0) : f,
                    k -> new HashSet<>()).add(imageIds.get(i));
        }
        Set<Set<String>> actual = new HashSet<>();
        for (JsonNode c : clusters) {
            Set<String> members = new HashSet<>();
            c.get("images").forEach(m -> members.add(m.get("id").asText()));
            assertEquals(c.get("size").asInt(), members.size());
            actual.add(members);
        }
        assertEquals(new HashSet<>(expected.values()), actual);

        // listing: the failed ones, and the whole batch page by page
        Response failedPage = Api.as(key).get("/v1/images?batch=" + id + "&status=failed&limit=100");
        assertEquals(200, failedPage.statusCode());
        assertEquals(notFound, failedPage.<List<?>>path("images").size());
        assertNull(failedPage.path("next_cursor"));
        Set<String> listed = new HashSet<>();
        String cursor = null;
        String previousCreated = null;
        do {
            Response page = Api.as(key).queryParam("batch", id).queryParam("limit", 100)
                    .queryParam("cursor", cursor == null ? "" : cursor).get("/v1/images");
            assertEquals(200, page.statusCode(), page.asString());
            List<Map<String, Object>> images = page.path("images");
            assertTrue(images.size() <= 100);
            for (Map<String, Object> image : images) {
                assertTrue(listed.add((String) image.get("id")), "no image twice");
                String created = (String) image.get("created_at");
                assertTrue(previousCreated == null || created.compareTo(previousCreated) <= 0, "newest first");
                previousCreated = created;
            }
            cursor = page.path("next_cursor");
        } while (cursor != null);
        assertEquals(new HashSet<>(imageIds), listed);
    }

    private static JsonNode awaitCompleted(String key, String id, int seconds) throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (true) {
            Response r = Api.as(key).get("/v1/batches/" + id);
            assertEquals(200, r.statusCode(), r.asString());
            JsonNode b = JSON.readTree(r.asString());
            assertEquals(b.get("total").asInt(), b.get("queued").asInt() + b.get("processing").asInt()
                    + b.get("processed").asInt() + b.get("failed").asInt(), b.toString());
            if (b.get("status").asText().equals("completed")) {
                return b;
            }
            assertTrue(System.currentTimeMillis() < deadline, "not completed in time: " + b);
            Thread.sleep(250);
        }
    }

    @Test
    void anItemDeletedBeforeItFinishesStillLetsTheBatchComplete() throws Exception {
        String key = unlimitedUser();
        String slow = server.url("/trickle/" + FILES.get(2) + "?deleted=1"); // answers over 3 s
        String id = Api.as(key).contentType("application/json")
                .body(Map.of("urls", List.of(server.url("/corpus/" + FILES.get(3)), slow))).post("/v1/batches")
                .then().statusCode(202).extract().path("id");
        String slowImage = null;
        long deadline = System.currentTimeMillis() + 30_000;
        while (slowImage == null) {
            assertTrue(System.currentTimeMillis() < deadline, "the feeder made no images");
            List<Map<String, Object>> images = Api.as(key).get("/v1/images?batch=" + id).then().statusCode(200)
                    .extract().path("images");
            slowImage = images.stream().filter(i -> slow.equals(i.get("url"))).map(i -> (String) i.get("id"))
                    .findFirst().orElse(null);
            Thread.sleep(50);
        }
        Api.as(key).delete("/v1/images/" + slowImage).then().statusCode(204);

        JsonNode batch = awaitCompleted(key, id, 60);
        assertEquals(1, batch.get("processed").asInt());
        assertEquals(1, batch.get("failed").asInt(), "the deleted item counts as failed, so the batch completes");
        List<List<String>> rows = parseCsv(Api.as(key).get("/v1/batches/" + id + "/results?format=csv").asString());
        assertEquals("processed", rows.get(1).get(2));
        assertEquals(List.of(slowImage, slow, "deleted"), rows.get(2).subList(0, 3));
        assertEquals(1, finished.of(id).size(), "one BatchFinished, not a second when the slow run ends");
        Thread.sleep(4000); // the slow download ends now: its run finds no row and counts nothing
        assertEquals(1, Api.as(key).get("/v1/batches/" + id).then().extract().jsonPath().getInt("failed"));
    }

    @Test
    void textAndNdjsonListsAreBatchesToo() throws Exception {
        String key = unlimitedUser();
        String a = server.url("/corpus/" + FILES.get(3));
        String b = server.url("/corpus/" + FILES.get(4));
        Response text = Api.as(key).contentType("text/plain").body(a + "\n\n  " + b + "  \r\n").post("/v1/batches");
        assertEquals(202, text.statusCode(), text.asString());
        assertEquals(2, (int) text.path("total"));
        Response nd = Api.as(key).config(TEXT_BODIES).contentType("application/x-ndjson")
                .body("\"" + a + "\"\n{\"url\": \"" + b + "\"}\n").post("/v1/batches");
        assertEquals(202, nd.statusCode(), nd.asString());
        assertEquals(2, (int) nd.path("total"));
        JsonNode done = awaitCompleted(key, nd.path("id"), 30);
        assertEquals(2, done.get("processed").asInt());
        awaitCompleted(key, text.path("id"), 30);
        Response page = Api.as(key).get("/v1/images?batch=" + text.path("id"));
        List<String> listedUrls = page.path("images.url");
        assertEquals(Set.of(a, b), new HashSet<>(listedUrls));
    }

    @Test
    void badInputIsA400NamingTheProblem() {
        TestUsers.Created user = unlimited();
        String key = user.apiKey();
        String ok = server.url("/corpus/" + FILES.get(0));
        expect(Api.as(key).contentType("application/json").body("").post("/v1/batches"), 400, "missing_input");
        expect(Api.as(key).contentType("application/json").body("{").post("/v1/batches"), 400, "invalid_json");
        expect(Api.as(key).contentType("application/json").body("{}").post("/v1/batches"), 400, "missing_urls");
        expect(Api.as(key).contentType("application/json").body("{\"urls\": \"" + ok + "\"}").post("/v1/batches"),
                400, "invalid_urls");
        expect(Api.as(key).contentType("application/json").body("{\"urls\": []}").post("/v1/batches"), 400,
                "empty_batch");
        List<String> tooMany = java.util.Collections.nCopies(10_001, ok);
        expect(Api.as(key).contentType("application/json").body(Map.of("urls", tooMany)).post("/v1/batches"), 400,
                "too_many_urls");
        Response bad = Api.as(key).contentType("application/json")
                .body(Map.of("urls", List.of(ok, ok, "ftp://example.com/x.jpg"))).post("/v1/batches");
        expect(bad, 400, "invalid_url");
        assertEquals(2, (int) bad.path("index"));
        Response notString = Api.as(key).contentType("application/json").body("{\"urls\": [\"" + ok + "\", 5]}")
                .post("/v1/batches");
        expect(notString, 400, "invalid_url");
        assertEquals(1, (int) notString.path("index"));
        expect(Api.as(key).contentType("application/json")
                .body(Map.of("urls", List.of(ok), "callback_url", "javascript:alert(1)")).post("/v1/batches"), 400,
                "invalid_callback_url");
        expect(Api.as(key).contentType("application/json")
                .body(Map.of("urls", List.of(ok), "edit", "strip")).post("/v1/batches"), 400, "invalid_edit");
        expect(Api.as(key).contentType("text/plain").body(" \n\n").post("/v1/batches"), 400, "missing_input");
        Response line = Api.as(key).contentType("text/plain").body(ok + "\nnot a url\n").post("/v1/batches");
        expect(line, 400, "invalid_url");
        assertEquals(1, (int) line.path("index"));
        expect(Api.as(key).config(TEXT_BODIES).contentType("application/x-ndjson").body("\"" + ok + "\"\n{oops\n").post("/v1/batches"),
                400, "invalid_json");
        expect(Api.as(key).config(TEXT_BODIES).contentType("application/xml").body("<urls/>").post("/v1/batches"), 415,
                "unsupported_media_type");
        expect(Api.as(key).contentType("application/json").header("Idempotency-Key", "bad key")
                .body(Map.of("urls", List.of(ok))).post("/v1/batches"), 400, "invalid_idempotency_key");

        expect(Api.as(key).get("/v1/images?limit=0"), 400, "invalid_limit");
        expect(Api.as(key).get("/v1/images?limit=101"), 400, "invalid_limit");
        expect(Api.as(key).get("/v1/images?limit=ten"), 400, "invalid_limit");
        expect(Api.as(key).get("/v1/images?status=done"), 400, "invalid_status");
        expect(Api.as(key).get("/v1/images?batch=../x"), 400, "invalid_batch");
        expect(Api.as(key).get("/v1/images?cursor=not-a-cursor"), 400, "invalid_cursor");
        expect(Api.as(key).get("/v1/batches/" + dev.exifq.platform.Ulid.next() + "/results?format=xlsx"), 400,
                "invalid_format");
        Long batches = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from batches where user_id = :u").setParameter("u", user.userId())
                .getSingleResult()).longValue());
        assertEquals(0L, batches, "nothing stored for a refused batch");
    }

    @Test
    void anotherAccountsBatchIs404() {
        String owner = unlimitedUser();
        String id = Api.as(owner).contentType("application/json")
                .body(Map.of("urls", List.of(server.url("/corpus/" + FILES.get(0))))).post("/v1/batches").path("id");
        String other = TestUsers.create("pro").apiKey();
        for (String path : List.of("", "/results", "/results?format=csv", "/duplicates")) {
            expect(Api.as(other).get("/v1/batches/" + id + path), 404, "not_found");
        }
        expect(Api.as(other).get("/v1/batches/not-an-id"), 404, "not_found");
        Api.as(other).get("/v1/images?batch=" + id).then().statusCode(200).body("images.size()", equalTo(0))
                .body("next_cursor", nullValue());
        Api.as(owner).get("/v1/batches/" + id).then().statusCode(200).body("id", equalTo(id));
    }

    @Test
    void idempotencyKeyReplaysTheBatchAndRefusesADifferentOne() {
        TestUsers.Created user = TestUsers.create("pro");
        String a = server.url("/corpus/" + FILES.get(0));
        String b = server.url("/corpus/" + FILES.get(1));
        Response first = Api.as(user.apiKey()).contentType("application/json").header("Idempotency-Key", "run-1")
                .body(Map.of("urls", List.of(a, b))).post("/v1/batches");
        assertEquals(202, first.statusCode(), first.asString());
        Response again = Api.as(user.apiKey()).contentType("application/json").header("Idempotency-Key", "run-1")
                .body(Map.of("urls", List.of(a, b))).post("/v1/batches");
        assertEquals(202, again.statusCode(), again.asString());
        assertEquals(first.<String>path("id"), again.path("id"));
        Api.as(user.apiKey()).get("/api/billing/status").then().statusCode(200).body("usage.today", equalTo(2));

        Response reordered = Api.as(user.apiKey()).contentType("application/json").header("Idempotency-Key", "run-1")
                .body(Map.of("urls", List.of(b, a))).post("/v1/batches");
        expect(reordered, 409, "idempotency_conflict");
        Response other = Api.as(user.apiKey()).contentType("application/json").header("Idempotency-Key", "run-2")
                .body(Map.of("urls", List.of(a, b))).post("/v1/batches");
        assertEquals(202, other.statusCode());
        assertNotEquals(first.<String>path("id"), other.path("id"));
    }

    @Test
    void aBatchOverTheDailyLimitIsRefusedWhole() {
        TestUsers.Created user = TestUsers.create("pro"); // 300 a day
        String ok = server.url("/corpus/" + FILES.get(0));
        Api.as(user.apiKey()).contentType("application/json").body(Map.of("urls", List.of(ok))).post("/v1/batches")
                .then().statusCode(202);
        Response over = Api.as(user.apiKey()).contentType("application/json")
                .body(Map.of("urls", java.util.Collections.nCopies(300, ok))).post("/v1/batches");
        expect(over, 429, "limit_reached");
        Api.as(user.apiKey()).get("/api/billing/status").then().body("usage.today", equalTo(1));
        long stored = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from batches where user_id = :u").setParameter("u", user.userId())
                .getSingleResult()).longValue());
        assertEquals(1L, stored);
        Api.as(user.apiKey()).contentType("application/json")
                .body(Map.of("urls", java.util.Collections.nCopies(299, ok))).post("/v1/batches").then().statusCode(202);
    }

    @Test
    void everyEndpointIsDocumentedWithExamples() throws Exception {
        JsonNode doc = JSON.readTree(io.restassured.RestAssured.given().accept("application/json")
                .get("/q/openapi?format=json").then().statusCode(200).extract().asString());
        List<String> problems = new ArrayList<>();
        for (String op : List.of("post /v1/batches", "get /v1/batches/{id}", "get /v1/batches/{id}/results",
                "get /v1/batches/{id}/duplicates", "get /v1/images")) {
            String[] parts = op.split(" ");
            JsonNode operation = doc.path("paths").path(parts[1]).path(parts[0]);
            if (operation.isMissingNode() || operation.path("summary").asText().isBlank()) {
                problems.add(op + ": missing or no summary");
                continue;
            }
            operation.path("responses").fields().forEachRemaining(r -> {
                if (!hasExample(r.getValue())) problems.add(op + " " + r.getKey() + ": no example");
            });
            if (operation.has("requestBody") && !hasExample(operation.get("requestBody"))) {
                problems.add(op + " request: no example");
            }
        }
        assertEquals(List.of(), problems);
    }

    private static boolean hasExample(JsonNode node) {
        for (JsonNode m : node.path("content")) {
            if (m.path("examples").size() > 0 || m.has("example")) return true;
        }
        return false;
    }

    private static void expect(Response r, int status, String code) {
        assertEquals(status, r.statusCode(), r.asString());
        assertEquals(code, r.path("error"), r.asString());
        assertEquals(Boolean.FALSE, r.path("ok"));
    }

    /** RFC 4180 rows. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') { cell.append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.append(c);
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(cell.toString()); cell.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(cell.toString()); cell.setLength(0); rows.add(row); row = new ArrayList<>(); i++;
            } else {
                cell.append(c);
            }
        }
        return rows;
    }
}
