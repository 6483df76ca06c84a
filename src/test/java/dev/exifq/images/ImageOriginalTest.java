package dev.exifq.images;

import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.TestDb;
import dev.exifq.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** GET /v1/images/{id}/original: the owner's original, inline and unable to become a page; 404 otherwise. */
@QuarkusTest
class ImageOriginalTest {
    private static final String PHOTO = "exifsamples__jpg__Canon_40D.jpg";

    @Inject
    OriginalRetention retention;

    @Test
    void theOwnerGetsTheOriginalInlineOthersAndExpiredOnesGet404() throws Exception {
        TestUsers.Created owner = TestUsers.create("pro");
        TestUsers.Created other = TestUsers.create("pro");
        Path file = Corpus.uniqueCopy(PHOTO);
        String id = Api.as(owner.apiKey()).multiPart("file", file.toFile()).post("/v1/images")
                .then().statusCode(200).body("status", equalTo("processed")).extract().path("id");

        Response r = Api.as(owner.apiKey()).get("/v1/images/" + id + "/original");
        assertEquals(200, r.statusCode());
        assertEquals("image/jpeg", r.contentType());
        assertEquals("inline", r.header("Content-Disposition"));
        assertEquals("nosniff", r.header("X-Content-Type-Options"));
        assertEquals(ImageOriginalResource.SANDBOX, r.header("Content-Security-Policy"));
        assertArrayEquals(Files.readAllBytes(file), r.asByteArray());
        Api.as(owner.apiKey()).get("/v1/images/" + id.toUpperCase() + "/original").then().statusCode(200);

        Api.as(other.apiKey()).get("/v1/images/" + id + "/original").then().statusCode(404)
                .body("error", equalTo("not_found"));
        Api.as(owner.apiKey()).get("/v1/images/not-an-id/original").then().statusCode(404);
        io.restassured.RestAssured.get("/v1/images/" + id + "/original").then().statusCode(401);

        TestDb.update("update images set completed_at = completed_at - interval '25 hours' where id = ?", id);
        retention.expireFinishedBefore(Instant.now().minus(retention.keep().orElseThrow()));
        Api.as(owner.apiKey()).get("/v1/images/" + id + "/original").then().statusCode(404)
                .body("error", equalTo("not_found"));
    }

    @Test
    void onlyImageTypesAreServedAsThemselves() {
        assertEquals("image/png", ImageOriginalResource.shownType("image/png"));
        assertEquals("image/svg+xml", ImageOriginalResource.shownType("image/svg+xml")); // the sandbox CSP disarms it
        assertEquals("application/octet-stream", ImageOriginalResource.shownType("text/html"));
        assertEquals("application/octet-stream", ImageOriginalResource.shownType("application/vnd.adobe.photoshop"));
        assertEquals("application/octet-stream", ImageOriginalResource.shownType("image/jpeg\r\nX-Evil: 1"));
        assertEquals("application/octet-stream", ImageOriginalResource.shownType(null));
    }
}
