package dev.exifq.writes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin's list of every user's processed files (HTML escaped, JSON, filters) and download (any user's). */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminFilesTest {
    static final String JPEG = "exifsamples__jpg__Canon_40D.jpg";
    static final String HOSTILE = "<img src=x onerror=alert(1)>.jpg";

    @Inject
    ProcessedFiles processedFiles;
    TestUsers.Created user;

    @BeforeAll
    void users() {
        user = TestUsers.create("pro");
    }

    JsonNode list(String query) throws Exception {
        return WriteSupport.JSON.readTree(Api.asAdmin().accept("application/json").get("/api/admin/files" + query)
                .then().statusCode(200).contentType("application/json").extract().asString());
    }

    byte[] write(String fileName, String title) throws Exception {
        return Api.as(user.apiKey()).multiPart("file", fileName, Files.readAllBytes(Corpus.image(JPEG)), "image/jpeg")
                .multiPart("title", title).post("/api/images/edit-exif").then().statusCode(200).extract().asByteArray();
    }

    @Test
    void hostileFileNamesAreEscapedInTheHtmlTable() throws Exception {
        write(HOSTILE, "hostile name");
        String html = Api.asAdmin().accept("text/html").get("/api/admin/files?userId=" + user.userId())
                .then().statusCode(200).contentType(containsString("text/html")).extract().asString();
        String stored = list("?userId=" + user.userId()).at("/files/0/fileName").asText();
        assertTrue(stored.startsWith("<img src") && stored.endsWith(">.jpg"), "JSON gives the name as stored: " + stored);
        assertTrue(html.contains("<td>" + HistoryResource.escape(stored) + "</td>"), html);
        assertTrue(html.contains("&lt;img src"), html);
        assertTrue(!html.contains("<img"), "no live tag: " + html);
    }

    @Test
    void listsAnyUsersFilesByStatusAndDownloadsThemUntilDeleted() throws Exception {
        TestUsers.Created own = TestUsers.create("pro");
        TestUsers.Created saved = user;
        user = own;
        byte[] first = write("first.jpg", "first");
        byte[] second = write("second.jpg", "second");
        user = saved;

        JsonNode all = list("?userId=" + own.userId());
        assertEquals(2, all.path("files").size(), all.toString());
        JsonNode newest = all.at("/files/0");
        assertEquals("second.jpg", newest.path("fileName").asText());
        assertEquals(own.userId(), newest.path("userId").asLong());
        assertEquals("edit-exif", newest.path("tool").asText());
        assertEquals("image/jpeg", newest.path("contentType").asText());
        assertEquals(second.length, newest.path("bytesize").asLong());
        assertEquals("available", newest.path("status").asText());
        String secondId = newest.path("id").asText();
        String firstId = all.at("/files/1/id").asText();
        assertEquals(1, list("?userId=" + own.userId() + "&limit=1").path("files").size());

        byte[] downloaded = Api.asAdmin().get(newest.path("downloadUrl").asText()).then().statusCode(200)
                .contentType("image/jpeg").header("Content-Disposition", containsString("second.jpg"))
                .extract().asByteArray();
        assertArrayEquals(second, downloaded, "the admin gets the user's processed file byte for byte");
        Api.asAdmin().get("/api/admin/files/" + firstId + "/download").then().statusCode(200);

        // Deleting the image marks its processed file deleted: listed as such, and gone for download.
        processedFiles.deleteForImage(firstId);
        JsonNode deleted = list("?status=deleted&userId=" + own.userId());
        assertEquals(1, deleted.path("files").size(), deleted.toString());
        assertEquals(firstId, deleted.at("/files/0/id").asText());
        assertEquals("deleted", deleted.at("/files/0/status").asText());
        assertTrue(deleted.at("/files/0/downloadUrl").isNull());
        JsonNode available = list("?status=available&userId=" + own.userId());
        assertEquals(1, available.path("files").size());
        assertEquals(secondId, available.at("/files/0/id").asText());
        Api.asAdmin().get("/api/admin/files/" + firstId + "/download").then().statusCode(410)
                .body("ok", equalTo(false)).body("error", equalTo("gone"));
        assertEquals(first.length, deleted.at("/files/0/bytesize").asLong());
    }

    @Test
    void unknownIdsAre404AndBadParameters400Named() {
        Api.asAdmin().get("/api/admin/files/01hq3v6k2m8x9y7z5w4t3s2r1q/download").then().statusCode(404)
                .body("error", equalTo("not_found"));
        Api.asAdmin().get("/api/admin/files/..%2F..%2Fetc%2Fpasswd/download").then().statusCode(404);
        Api.asAdmin().accept("application/json").get("/api/admin/files?status=purged").then().statusCode(400)
                .body("error", equalTo("invalid_status"));
        Api.asAdmin().accept("application/json").get("/api/admin/files?userId=abc").then().statusCode(400)
                .body("error", equalTo("invalid_userId"));
        Api.asAdmin().accept("application/json").get("/api/admin/files?limit=501").then().statusCode(400)
                .body("error", equalTo("invalid_limit"));
    }

    @Test
    void onlyAdmins() throws Exception {
        write("mine.jpg", "mine");
        String id = list("?userId=" + user.userId()).at("/files/0/id").asText();
        Api.as(user.apiKey()).get("/api/admin/files").then().statusCode(403).body("error", equalTo("forbidden"));
        Api.as(user.apiKey()).get("/api/admin/files/" + id + "/download").then().statusCode(403)
                .body(not(containsString("JFIF")));
        RestAssured.given().get("/api/admin/files").then().statusCode(401);
        RestAssured.given().get("/api/admin/files/" + id + "/download").then().statusCode(401);
    }
}
