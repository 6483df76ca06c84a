package dev.exifq.writes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.TestUsers;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** History, downloads for 24 hours (a controllable clock), 410 after, 404 for other users everywhere. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class HistoryTest {
    static final String JPEG = "exifsamples__jpg__Canon_40D.jpg";
    static final String ISO = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";
    String owner;
    String other;

    @BeforeAll
    void users() {
        owner = TestUsers.create("pro").apiKey();
        other = TestUsers.create("pro").apiKey();
    }

    /** Retention as of {@code now}, for this test method (also the admin pages test). */
    public static void clockAt(Instant now) {
        QuarkusMock.installMockForType(new WritesClock() {
            @Override
            public Instant now() {
                return now;
            }
        }, WritesClock.class);
    }

    JsonNode history(String key) throws Exception {
        return WriteSupport.JSON.readTree(Api.as(key).accept("application/json").get("/api/images/history")
                .then().statusCode(200).contentType("application/json").extract().asString());
    }

    @Test
    void writesAreListedDownloadableFor24HoursThenGone() throws Exception {
        byte[] written = WriteSupport.post(owner, "edit-exif", JPEG, Map.of("title", "kept a day"))
                .then().statusCode(200).extract().asByteArray();
        JsonNode first = history(owner).at("/files/0");
        String id = first.path("id").asText();
        assertEquals(JPEG, first.path("fileName").asText());
        assertEquals("edit-exif", first.path("tool").asText());
        assertEquals("available", first.path("status").asText());
        assertTrue(first.path("canDownload").asBoolean());
        assertEquals("/api/images/history/" + id + "/download", first.path("downloadUrl").asText());
        assertTrue(first.path("createdAt").asText().matches(ISO), first.toString());
        assertTrue(first.path("downloadExpiresAt").asText().matches(ISO));
        Instant created = Instant.parse(first.path("createdAt").asText());
        assertEquals(Duration.ofHours(24), Duration.between(created, Instant.parse(first.path("downloadExpiresAt").asText())));

        for (String url : new String[] {"/api/images/history/" + id + "/download", "/v1/images/" + id + "/file"}) {
            byte[] again = Api.as(owner).get(url).then().statusCode(200).contentType("image/jpeg")
                    .header("Content-Disposition", containsString("attachment")).extract().asByteArray();
            assertArrayEquals(written, again, url);
            Api.as(other).get(url).then().statusCode(404).body("error", equalTo("not_found"));
        }
        Api.as(owner).get("/api/images/history/01hq3v6k2m8x9y7z5w4t3s2r1q/download").then().statusCode(404);
        Api.as(owner).get("/api/images/history/..%2F..%2Fetc/download").then().statusCode(404);
        assertTrue(history(other).path("files").isEmpty() || !history(other).toString().contains(id),
                "not in another user's history");

        clockAt(created.plus(Duration.ofHours(23)));
        Api.as(owner).get("/v1/images/" + id + "/file").then().statusCode(200);
        clockAt(created.plus(Duration.ofHours(24)).plusMillis(1));
        Api.as(owner).get("/api/images/history/" + id + "/download").then().statusCode(410).body("error", equalTo("gone"));
        Api.as(owner).get("/v1/images/" + id + "/file").then().statusCode(410);
        Api.as(other).get("/v1/images/" + id + "/file").then().statusCode(404);
        JsonNode expired = history(owner).at("/files/0");
        assertEquals("expired", expired.path("status").asText());
        assertTrue(!expired.path("canDownload").asBoolean() && expired.path("downloadUrl").isNull());
    }

    @Test
    void htmlHistoryEscapesFileNames() throws Exception {
        String name = "a<img src=x onerror=alert(1)>&b.jpg";
        Api.as(owner).multiPart("file", name, java.nio.file.Files.readAllBytes(Corpus.image(JPEG)), "image/jpeg")
                .multiPart("title", "x").post("/api/images/edit-exif").then().statusCode(200);
        String html = Api.as(owner).accept("text/html").get("/api/images/history").then().statusCode(200)
                .contentType(containsString("text/html")).extract().asString();
        assertTrue(html.startsWith("<table"), html);
        org.hamcrest.MatcherAssert.assertThat(html, not(containsString("<img")));
        Api.as(owner).get("/api/images/history").then().statusCode(200).contentType(containsString("text/html"));
    }
}
