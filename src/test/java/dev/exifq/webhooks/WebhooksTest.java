package dev.exifq.webhooks;

import dev.exifq.testing.WebhookReceiver;

import dev.exifq.batches.BatchFinished;
import dev.exifq.jobs.JobRunrSetup;
import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.TestDb;
import dev.exifq.testing.TestServer;
import dev.exifq.testing.TestUsers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signed callbacks end to end: a real receiver on loopback (allowlisted in the test profile, as for URL ingest),
 * JobRunr jobs, the outbox rows. The test profile's backoff is 1 s doubling to 2 s, so retries take seconds.
 */
@QuarkusTest
class WebhooksTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String JPEG = "exiftool__Canon.jpg";
    private static WebhookReceiver receiver;
    private static TestServer images;

    @Inject
    Event<BatchFinished> batchFinished;

    @BeforeAll
    static void start() throws IOException {
        receiver = new WebhookReceiver();
        images = new TestServer();
    }

    @AfterAll
    static void stop() {
        receiver.close();
        images.close();
    }

    private static String secret(String apiKey) {
        return Api.as(apiKey).get("/api/webhook-secret").then().statusCode(200)
                .header("Cache-Control", "no-store").body("ok", equalTo(true)).extract().path("secret");
    }

    @Test
    void anUploadWithACallbackGetsOneSignedPostOfItsJson() throws Exception {
        TestUsers.Created user = TestUsers.create("pro");
        String path = "/ok/" + user.userId();
        Response r = Api.as(user.apiKey()).multiPart("file", Corpus.image(JPEG).toFile())
                .multiPart("callback_url", receiver.url(path)).post("/v1/images");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("processed", r.path("status"));
        assertNull(r.jsonPath().get("callback_url"), "the image JSON keeps its contract");
        assertFalse(r.asString().contains("callback_url"));
        String id = r.path("id");

        WebhookReceiver.Received got = receiver.await(path, 1, WAIT).get(0);
        assertEquals("application/json", got.contentType());
        assertEquals("image.finished", got.event());
        String get = Api.as(user.apiKey()).get("/v1/images/" + id).then().statusCode(200).extract().asString();
        assertEquals(get, got.body(), "the body is the image's JSON as GET /v1/images/{id} answers it");
        assertTrue(WebhookReceiver.verifies(secret(user.apiKey()), got), got.signature());
        long t = Long.parseLong(got.signature().substring(2, got.signature().indexOf(',')));
        assertTrue(Math.abs(Instant.now().getEpochSecond() - t) < 60, "t is the time of sending");
        awaitStatus(got.eventId(), "delivered");
        Thread.sleep(500);
        assertEquals(1, receiver.at(path).size(), "exactly one POST");
        // the outbox keeps no copy of a deleted image's JSON
        Api.as(user.apiKey()).delete("/v1/images/" + id).then().statusCode(204);
        assertEquals(0, TestDb.count("select count(*) from webhook_deliveries where subject_id = ?", id));
    }

    @Test
    void aReceiverThatFailsTwiceGetsExactlyOneSuccessfulDelivery() throws Exception {
        TestUsers.Created user = TestUsers.create("pro");
        String path = "/flaky/2/" + user.userId();
        Response r = Api.as(user.apiKey()).contentType("application/json").body(Map.of(
                "url", images.url("/corpus/" + JPEG), "async", true, "callback_url", receiver.url(path)))
                .post("/v1/images");
        assertEquals(202, r.statusCode(), r.asString());

        List<WebhookReceiver.Received> got = receiver.await(path, 3, Duration.ofSeconds(45));
        assertEquals(List.of(500, 500, 200), got.stream().map(WebhookReceiver.Received::answered).toList());
        String eventId = got.get(0).eventId();
        assertTrue(got.stream().allMatch(g -> eventId.equals(g.eventId())), "one event id, for receivers to dedupe");
        String secret = secret(user.apiKey());
        for (WebhookReceiver.Received g : got) {
            assertTrue(WebhookReceiver.verifies(secret, g));
        }
        awaitStatus(eventId, "delivered");
        assertEquals(2, TestDb.count("select attempt from webhook_deliveries where id = ?", eventId));
        assertEquals(1, TestDb.count("select count(*) from webhook_deliveries where id = ? and delivered_at is not null",
                eventId));
        // a late run of any attempt (JobRunr is at-least-once) finds the row delivered and sends nothing
        for (int attempt = 0; attempt <= 3; attempt++) {
            handler().run(new DeliverWebhookJob(eventId, attempt));
        }
        JobRunrSetup jobRunr = jakarta.enterprise.inject.spi.CDI.current().select(JobRunrSetup.class).get();
        assertTrue(jobRunr.stateOf(WebhookJobs.jobId(eventId, 3)).isEmpty(), "no further attempt was scheduled");
        assertEquals(3, receiver.at(path).size(), "nothing after the successful delivery");
    }

    @Test
    void aCallbackToLoopbackOutsideTheAllowlistIsRefusedAndRecorded() throws Exception {
        TestUsers.Created user = TestUsers.create("pro");
        // the test profile opens 127.0.0.0/8 as URL-ingest tests need; ::1 stays closed, as everything does in prod
        Response r = Api.as(user.apiKey()).multiPart("file", Corpus.image(JPEG).toFile())
                .multiPart("callback_url", "http://[::1]:" + receiver.port() + "/refused").post("/v1/images");
        assertEquals(200, r.statusCode(), r.asString());
        String eventId = TestDb.string("select id from webhook_deliveries where kind = 'image' and subject_id = ?",
                (Object) r.path("id"));
        assertNotNull(eventId);
        awaitStatus(eventId, "refused");
        assertEquals("Callback URL not allowed: the host is a loopback address",
                TestDb.string("select last_error from webhook_deliveries where id = ?", eventId));
        assertEquals(0, TestDb.count("select attempt from webhook_deliveries where id = ?", eventId),
                "a refusal is final: no retries");
        assertTrue(receiver.at("/refused").isEmpty());
    }

    @Test
    void rotationChangesTheSignatureAndBatchesAreDelivered() throws Exception {
        TestUsers.Created user = TestUsers.create("pro");
        String before = secret(user.apiKey());
        assertEquals(before, secret(user.apiKey()), "reading does not rotate");
        String after = Api.as(user.apiKey()).post("/api/webhook-secret").then().statusCode(200)
                .header("Cache-Control", "no-store").extract().path("secret");
        assertNotEquals(before, after);
        assertEquals(after, secret(user.apiKey()));

        String path = "/ok/batch-" + user.userId();
        String body = "{\"id\":\"b1-" + user.userId() + "\",\"status\":\"completed\",\"total\":2}";
        QuarkusTransaction.requiringNew().run(() -> batchFinished.fire(
                new BatchFinished("b1-" + user.userId(), user.userId(), receiver.url(path), body)));
        WebhookReceiver.Received got = receiver.await(path, 1, WAIT).get(0);
        assertEquals(body, got.body());
        assertEquals("batch.finished", got.event());
        assertTrue(WebhookReceiver.verifies(after, got), "signed with the rotated secret");
        assertFalse(WebhookReceiver.verifies(before, got), "the old secret no longer verifies");
    }

    @Test
    void anotherAccountsSecretNeverSignsYours() throws Exception {
        TestUsers.Created a = TestUsers.create("pro");
        TestUsers.Created b = TestUsers.create("pro");
        String secretA = secret(a.apiKey());
        String secretB = secret(b.apiKey());
        assertNotEquals(secretA, secretB);
        String pathA = "/ok/batch-a-" + a.userId();
        String pathB = "/ok/batch-b-" + b.userId();
        QuarkusTransaction.requiringNew().run(() -> {
            batchFinished.fire(new BatchFinished("ba-" + a.userId(), a.userId(), receiver.url(pathA), "{\"n\":1}"));
            batchFinished.fire(new BatchFinished("bb-" + b.userId(), b.userId(), receiver.url(pathB), "{\"n\":1}"));
        });
        WebhookReceiver.Received toA = receiver.await(pathA, 1, WAIT).get(0);
        WebhookReceiver.Received toB = receiver.await(pathB, 1, WAIT).get(0);
        assertTrue(WebhookReceiver.verifies(secretA, toA));
        assertFalse(WebhookReceiver.verifies(secretB, toA));
        assertTrue(WebhookReceiver.verifies(secretB, toB));
        assertFalse(WebhookReceiver.verifies(secretA, toB));
        // at rest the secret is encrypted: its bytes are not in the row
        assertEquals(0, TestDb.count("select position(convert_to(?, 'UTF8') in ciphertext) from webhook_secrets "
                + "where user_id = ?", secretA.substring(WebhookSecrets.PREFIX.length()), a.userId()));
    }

    @Test
    void aBatchWithoutCallbackAndARolledBackImageRecordNothing() {
        TestUsers.Created user = TestUsers.create("pro");
        QuarkusTransaction.requiringNew().run(() -> batchFinished.fire(
                new BatchFinished("none-" + user.userId(), user.userId(), null, "{}")));
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                batchFinished.fire(new BatchFinished("rolled-" + user.userId(), user.userId(),
                        receiver.url("/ok/rolled"), "{}"));
                throw new IllegalStateException("the batch's own transaction fails");
            });
        } catch (IllegalStateException expected) {
            // the outbox row went with it
        }
        assertEquals(0, TestDb.count("select count(*) from webhook_deliveries where user_id = ?", user.userId()));
    }

    @Test
    void callbackUrlsAreValidated() {
        TestUsers.Created user = TestUsers.create("pro");
        for (Object bad : List.of("ftp://example.com/hook", "/relative/hook", "javascript:alert(1)", "",
                "http://user:pw@example.com/", "http://exa mple.com/", 42)) {
            Api.as(user.apiKey()).contentType("application/json")
                    .body(Map.of("url", images.url("/corpus/" + JPEG), "callback_url", bad)).post("/v1/images")
                    .then().statusCode(400).body("ok", equalTo(false)).body("error", equalTo("invalid_callback_url"));
        }
        Api.as(user.apiKey()).multiPart("file", Corpus.image(JPEG).toFile()).multiPart("callback_url", "gopher://x/")
                .post("/v1/images").then().statusCode(400).body("error", equalTo("invalid_callback_url"));
        assertEquals(0, TestDb.count("select count(*) from images where user_id = ?", user.userId()),
                "nothing accepted");
    }

    @Test
    void cookieRotationNeedsTheCsrfToken() {
        String email = "hook-" + System.nanoTime() + "@exifq.test";
        Response signUp = RestAssured.given().contentType("application/json")
                .body(Map.of("email", email, "password", "correct horse battery", "name", "Hook"))
                .post("/api/auth/sign-up/email");
        assertEquals(201, signUp.statusCode(), signUp.asString());
        String cookie = signUp.getCookie("exifq_session");
        String csrf = signUp.path("csrf_token");
        RestAssured.given().cookie("exifq_session", cookie).post("/api/webhook-secret")
                .then().statusCode(403).body("error", equalTo("csrf_failed"));
        String read = RestAssured.given().cookie("exifq_session", cookie).get("/api/webhook-secret")
                .then().statusCode(200).extract().path("secret");
        String rotated = RestAssured.given().cookie("exifq_session", cookie).header("X-CSRF-Token", csrf)
                .post("/api/webhook-secret").then().statusCode(200).extract().path("secret");
        assertNotEquals(read, rotated);
        RestAssured.given().get("/api/webhook-secret").then().statusCode(401);
    }

    private static DeliverWebhookJobHandler handler() {
        return jakarta.enterprise.inject.spi.CDI.current().select(DeliverWebhookJobHandler.class).get();
    }

    private static void awaitStatus(String eventId, String status) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        String now = null;
        while (Instant.now().isBefore(deadline)) {
            now = TestDb.string("select status from webhook_deliveries where id = ?", eventId);
            if (status.equals(now)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("delivery " + eventId + " is " + now + ", expected " + status);
    }
}
