package dev.exifq.writes;

import dev.exifq.storage.OnS3;
import dev.exifq.storage.S3TestResource;
import dev.exifq.testing.Api;
import dev.exifq.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Downloads on the S3 store with {@code exifq.downloads.presigned=true}: the GET download endpoints redirect to a
 * short-lived presigned URL that S3 (S3Proxy) answers with the file and its name; the write itself (a POST) still
 * answers with the file; someone else's id is still 404, an expired file still 410, never a URL.
 */
@QuarkusTest
@TestProfile(OnS3.class)
class S3DownloadsTest {
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void downloadsRedirectToAPresignedUrlThatServesTheFile() throws Exception {
        TestUsers.Created owner = TestUsers.create("pro");
        byte[] written = WriteSupport.post(owner.apiKey(), "strip-exif", HistoryTest.JPEG, Map.of())
                .then().statusCode(200).contentType("image/jpeg").extract().asByteArray();
        String id = WriteSupport.JSON.readTree(Api.as(owner.apiKey()).accept("application/json")
                .get("/api/images/history").then().statusCode(200).extract().asString()).at("/files/0/id").asText();

        for (String path : new String[] {"/api/images/history/" + id + "/download", "/v1/images/" + id + "/file"}) {
            Response r = Api.as(owner.apiKey()).redirects().follow(false).get(path);
            r.then().statusCode(302).header("Cache-Control", "no-store");
            URI location = URI.create(r.header("Location"));
            assertTrue(location.getRawQuery().contains("X-Amz-Signature="), location.toString());
            assertTrue(location.getRawQuery().contains("X-Amz-Expires=300"), "5 minutes: " + location);

            HttpResponse<byte[]> fromS3 = HTTP.send(HttpRequest.newBuilder(location).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, fromS3.statusCode(), "no credentials needed");
            assertArrayEquals(written, fromS3.body(), "the processed file");
            String disposition = fromS3.headers().firstValue("Content-Disposition").orElse("");
            assertTrue(disposition.startsWith("attachment;") && disposition.contains(HistoryTest.JPEG), disposition);
        }

        TestUsers.Created other = TestUsers.create("pro");
        Api.as(other.apiKey()).redirects().follow(false).get("/v1/images/" + id + "/file").then().statusCode(404);
        Api.asAdmin().redirects().follow(false).get("/api/admin/files/" + id + "/download").then().statusCode(302);

        Instant created = RetentionTest.fresh(id).createdAt;
        HistoryTest.clockAt(created.plus(Duration.ofHours(25)));
        Api.as(owner.apiKey()).redirects().follow(false).get("/api/images/history/" + id + "/download")
                .then().statusCode(410).body("error", equalTo("gone"));
    }
}
