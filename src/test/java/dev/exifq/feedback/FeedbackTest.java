package dev.exifq.feedback;

import dev.exifq.testing.Api;
import dev.exifq.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

/** The public feedback form, field by field, its per-address limit, and the admins' list. */
@QuarkusTest
class FeedbackTest {
    private static final AtomicInteger ADDRESS = new AtomicInteger(1);

    /** Each test sends from its own address (X-Forwarded-For is trusted in tests), so limits do not interfere. */
    private static RequestSpecification from(String address) {
        return RestAssured.given().header("X-Forwarded-For", address);
    }

    private static String freshAddress() {
        return "198.51.100." + ADDRESS.getAndIncrement();
    }

    private static Map<String, Object> valid() {
        Map<String, Object> m = new HashMap<>();
        m.put("type", "feature");
        m.put("subject", "HEIC thumbnails");
        m.put("message", "Could the viewer show HEIC previews?");
        m.put("name", "Ada");
        m.put("email", "Ada@Example.com");
        m.put("sourcePath", "/viewer");
        return m;
    }

    private static ValidatableResponse postJson(Map<String, Object> body) {
        return from(freshAddress()).contentType("application/json").body(body).post("/api/feedback").then();
    }

    private static void refused(Map<String, Object> body, String code, String field) {
        postJson(body).statusCode(400).body("ok", equalTo(false)).body("error", equalTo(code)).body("field", equalTo(field));
    }

    @Test
    void aGuestSendsJsonAndAdminsSeeIt() {
        String subject = "Subject " + System.nanoTime();
        Map<String, Object> body = valid();
        body.put("subject", subject);
        long id = ((Number) postJson(body).statusCode(201).body("ok", equalTo(true)).body("id", greaterThan(0))
                .extract().path("id")).longValue();
        Api.asAdmin().get("/api/admin/feedback?type=feature&limit=200").then().statusCode(200)
                .body("feedback.find { it.id == " + id + " }.subject", equalTo(subject))
                .body("feedback.find { it.id == " + id + " }.email", equalTo("ada@example.com"))
                .body("feedback.find { it.id == " + id + " }.source_path", equalTo("/viewer"))
                .body("feedback.find { it.id == " + id + " }.created_at", notNullValue());
    }

    @Test
    void aFormPostWorksAndTypeDefaultsToFeedback() {
        from(freshAddress()).contentType("application/x-www-form-urlencoded; charset=utf-8")
                .formParam("message", "The form & its encoding work fine.").formParam("email", "bob@example.org")
                .post("/api/feedback").then().statusCode(201).body("ok", equalTo(true));
        Api.asAdmin().get("/api/admin/feedback?type=feedback&limit=200").then().statusCode(200)
                .body("feedback.message", hasItem("The form & its encoding work fine."));
    }

    @Test
    void signedInUsersNeedNoEmail() {
        TestUsers.Created user = TestUsers.create("free");
        Api.as(user.apiKey()).header("X-Forwarded-For", freshAddress()).contentType("application/json")
                .body(Map.of("message", "Signed in, no email given.")).post("/api/feedback").then().statusCode(201);
        Api.asAdmin().get("/api/admin/feedback?limit=200").then().statusCode(200)
                .body("feedback.find { it.message == 'Signed in, no email given.' }.user_id", equalTo((int) user.userId()))
                .body("feedback.find { it.message == 'Signed in, no email given.' }.email", notNullValue());
    }

    @Test
    void eachFieldIsValidated() {
        Map<String, Object> b;
        b = valid(); b.put("type", "bug"); refused(b, "invalid_type", "type");
        b = valid(); b.remove("message"); refused(b, "missing_message", "message");
        b = valid(); b.put("message", "   "); refused(b, "missing_message", "message");
        b = valid(); b.put("message", "too short"); refused(b, "invalid_message", "message");
        b = valid(); b.put("message", "x".repeat(5001)); refused(b, "invalid_message", "message");
        b = valid(); b.put("message", "ok message\u0000with a NUL"); refused(b, "invalid_message", "message");
        b = valid(); b.put("message", Map.of("nested", true)); refused(b, "invalid_message", "message");
        b = valid(); b.put("subject", "s".repeat(201)); refused(b, "invalid_subject", "subject");
        b = valid(); b.put("name", "n".repeat(101)); refused(b, "invalid_name", "name");
        b = valid(); b.remove("email"); refused(b, "missing_email", "email");
        b = valid(); b.put("email", "not-an-email"); refused(b, "invalid_email", "email");
        b = valid(); b.put("email", "a@b"); refused(b, "invalid_email", "email");
        b = valid(); b.put("email", "<script>@x.io"); refused(b, "invalid_email", "email");
        b = valid(); b.put("sourcePath", "https://evil.example/"); refused(b, "invalid_source_path", "sourcePath");
        b = valid(); b.put("sourcePath", "//evil.example/x"); refused(b, "invalid_source_path", "sourcePath");
        b = valid(); b.put("sourcePath", "/" + "p".repeat(500)); refused(b, "invalid_source_path", "sourcePath");
        // exactly at the limits is fine; unknown fields are ignored
        b = valid(); b.put("message", "x".repeat(5000)); b.put("subject", "s".repeat(200)); b.put("admin", true);
        postJson(b).statusCode(201);
        b = valid(); b.put("message", "ten chars!"); postJson(b).statusCode(201);

        from(freshAddress()).contentType("application/json").body("").post("/api/feedback").then().statusCode(400)
                .body("error", equalTo("missing_input"));
        from(freshAddress()).contentType("application/json").body("{not json").post("/api/feedback").then().statusCode(400)
                .body("error", equalTo("invalid_json"));
        from(freshAddress()).contentType("application/json").body("[1]").post("/api/feedback").then().statusCode(400)
                .body("error", equalTo("invalid_json"));
    }

    @Test
    void tenAnHourFromOneAddressThen429() {
        String address = freshAddress();
        for (int i = 0; i < 10; i++) {
            from(address).contentType("application/json").body(valid()).post("/api/feedback").then().statusCode(201);
        }
        from(address).contentType("application/json").body(valid()).post("/api/feedback").then().statusCode(429)
                .header("Retry-After", notNullValue()).body("error", equalTo("too_much_feedback"))
                .body("retry_after", greaterThan(0));
        postJson(valid()).statusCode(201); // another address is not affected
    }

    @Test
    void onlyAdminsList() {
        TestUsers.Created user = TestUsers.create("pro");
        Api.as(user.apiKey()).get("/api/admin/feedback").then().statusCode(403);
        RestAssured.given().get("/api/admin/feedback").then().statusCode(401);
        Api.asAdmin().get("/api/admin/feedback?type=other").then().statusCode(400).body("error", equalTo("invalid_type"));
    }
}
