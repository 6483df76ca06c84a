package dev.exifq.writes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exifq.metadata.ExifToolPool;
import dev.exifq.testing.Api;
import dev.exifq.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** seo-exif: admins only, every field required and written to the README's tags, webFileName sanitised. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeoExifTest {
    static final String JPEG = "exifsamples__jpg__Canon_40D.jpg";

    @Inject
    ExifToolPool pool;
    @TempDir
    Path dir;
    String key;

    @BeforeAll
    void user() {
        key = TestUsers.create("pro").apiKey();
    }

    static Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("name", "Zoë Ørsted");
        f.put("title", "Sunset über Zürich");
        f.put("description", "The lake at dusk — 東京 \"quoted\"");
        f.put("destination", "Lake Zürich shore");
        f.put("city", "Zürich");
        f.put("keywords", "sunset, Zürich ,lake");
        f.put("category", "Travel & Landscapes");
        f.put("url", "https://example.com/zurich?x=1&y=ü");
        return f;
    }

    @Test
    void everyFieldLandsInItsTags() throws Exception {
        Map<String, String> f = fields();
        Response r = WriteSupport.post(Api.ADMIN_KEY, "seo-exif", JPEG, f);
        r.then().statusCode(200).contentType("image/jpeg")
                .header("Content-Disposition", containsString("filename=\"" + JPEG + "\""));
        JsonNode read = WriteSupport.readBack(pool, dir, r.asByteArray(), false);
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("XMP-dc:Creator", f.get("name"));
        e.put("IPTC:By-line", f.get("name"));
        e.put("IFD0:Artist", f.get("name"));
        e.put("XMP-dc:Title", f.get("title"));
        e.put("IPTC:ObjectName", f.get("title"));
        e.put("XMP-dc:Description", f.get("description"));
        e.put("IPTC:Caption-Abstract", f.get("description"));
        e.put("IFD0:ImageDescription", f.get("description"));
        e.put("XMP-iptcCore:Location", f.get("destination"));
        e.put("IPTC:Sub-location", f.get("destination"));
        e.put("XMP-photoshop:City", f.get("city"));
        e.put("IPTC:City", f.get("city"));
        e.put("XMP-dc:Subject", List.of("sunset", "Zürich", "lake"));
        e.put("IPTC:Keywords", List.of("sunset", "Zürich", "lake"));
        e.put("XMP-photoshop:Category", f.get("category"));
        e.put("XMP-iptcCore:CreatorWorkURL", f.get("url"));
        e.put("XMP-xmpRights:WebStatement", f.get("url"));
        EditExifTest.assertTags(e, read);
        assertEquals("Canon", read.path("IFD0:Make").asText(), "the camera's own tags stay");
    }

    @Test
    void webFileNameNamesTheDownloadWithoutPathsOrControlCharactersAndWithTheTypesExtension() {
        Map<String, String> f = fields();
        f.put("webFileName", "../../etc/sunset\r\nSet-Cookie: x=1.png");
        WriteSupport.post(Api.ADMIN_KEY, "seo-exif", JPEG, f).then().statusCode(200)
                .header("Content-Disposition", containsString("filename=\"sunsetSet-Cookie: x=1.jpg\""))
                .header("Set-Cookie", (String) null);
        f.put("webFileName", "zürich-lake");
        WriteSupport.post(Api.ADMIN_KEY, "seo-exif", JPEG, f).then().statusCode(200)
                .header("Content-Disposition", containsString("filename*=UTF-8''z%C3%BCrich-lake.jpg"));
        assertEquals("photo.jpg", SeoExifFields.webFileName("C:\\Users\\x\\photo.exe", "image/jpeg", "a.jpg"));
        assertEquals("photo.tif", SeoExifFields.webFileName("photo", "image/tiff", "a.tiff"));
        assertEquals(null, SeoExifFields.webFileName("/tmp/\u0000\u0007.png", "image/png", "a.png"));
    }

    @Test
    void eachMissingRequiredFieldIs400NamingIt() {
        for (String field : fields().keySet()) {
            Map<String, String> f = fields();
            f.remove(field);
            WriteSupport.post(Api.ADMIN_KEY, "seo-exif", JPEG, f).then().statusCode(400)
                    .body("ok", equalTo(false)).body("error", equalTo("missing_" + field))
                    .body("message", containsString("'" + field + "'"));
        }
        Map<String, String> blank = fields();
        blank.put("city", "  ");
        WriteSupport.post(Api.ADMIN_KEY, "seo-exif", JPEG, blank).then().statusCode(400)
                .body("error", equalTo("missing_city"));
    }

    @Test
    void onlyAdmins() {
        WriteSupport.post(key, "seo-exif", JPEG, fields()).then().statusCode(403).body("error", equalTo("forbidden"));
        RestAssured.given().multiPart("name", "x").post("/api/images/seo-exif").then().statusCode(401);
    }

    @Test
    void operationsAreDocumentedWithExamples() throws Exception {
        JsonNode doc = WriteSupport.JSON.readTree(RestAssured.given().accept("application/json")
                .get("/q/openapi?format=json").then().statusCode(200).extract().asString());
        for (String op : List.of("post /api/images/seo-exif", "get /api/admin/files",
                "get /api/admin/files/{id}/download")) {
            String[] parts = op.split(" ");
            JsonNode operation = doc.path("paths").path(parts[1]).path(parts[0]);
            assertTrue(!operation.path("summary").asText().isBlank(), op + " summary");
            operation.path("responses").fields().forEachRemaining(r -> {
                if (r.getKey().startsWith("3")) {
                    return; // a redirect has no body to show
                }
                boolean example = false;
                for (JsonNode m : r.getValue().path("content")) {
                    example |= m.path("examples").size() > 0 || m.has("example");
                }
                assertTrue(example, op + " " + r.getKey() + ": no example");
            });
        }
    }
}
