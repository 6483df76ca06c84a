package dev.exifq.writes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exifq.metadata.ExifToolPool;
import dev.exifq.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** edit-exif on JPEG: every field lands in every tag of the README's mapping, non-ASCII intact; modes. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EditExifTest {
    static final String JPEG = "exifsamples__jpg__Canon_40D.jpg";
    /** Non-ASCII in several scripts, a quote and a newline: all must come back byte for byte. */
    static final Map<String, String> FIELDS = fields();

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
        f.put("title", "Sunset über Zürich — 東京 \"quoted\"");
        f.put("description", "Line one\nLine two: ñ, ø, Ω");
        f.put("author", "Zoë Ørsted");
        f.put("keywords", "sunset, Zürich ,東京");
        f.put("copyright", "© 2026 Zoë Ørsted");
        f.put("creditLine", "Zoë / exifq");
        f.put("source", "Archive Ü");
        f.put("webStatementUrl", "https://example.com/rights?x=1&y=ü");
        f.put("licensorName", "Licensing Ltd ß");
        f.put("licensorUrl", "https://example.com/licence");
        f.put("usageTerms", "Editorial use only; ¡no ads!");
        f.put("creatorUrl", "https://example.com/zoe");
        f.put("creatorEmail", "zoe@example.com");
        f.put("digitalSourceType", "digitalCapture");
        return f;
    }

    /** tag (as -G1 prints it) -> expected value, for the fields above, in a format with EXIF, IPTC and XMP. */
    static Map<String, Object> expected(boolean iptc, boolean exif) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("XMP-dc:Title", FIELDS.get("title"));
        e.put("XMP-dc:Description", FIELDS.get("description"));
        e.put("XMP-dc:Creator", FIELDS.get("author"));
        e.put("XMP-dc:Subject", List.of("sunset", "Zürich", "東京"));
        e.put("XMP-dc:Rights", FIELDS.get("copyright"));
        e.put("XMP-photoshop:Credit", FIELDS.get("creditLine"));
        e.put("XMP-photoshop:Source", FIELDS.get("source"));
        e.put("XMP-xmpRights:WebStatement", FIELDS.get("webStatementUrl"));
        e.put("XMP-plus:LicensorName", FIELDS.get("licensorName"));
        e.put("XMP-plus:LicensorURL", FIELDS.get("licensorUrl"));
        e.put("XMP-xmpRights:UsageTerms", FIELDS.get("usageTerms"));
        e.put("XMP-iptcCore:CreatorWorkURL", FIELDS.get("creatorUrl"));
        e.put("XMP-iptcCore:CreatorWorkEmail", FIELDS.get("creatorEmail"));
        e.put("XMP-iptcExt:DigitalSourceType", "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture");
        if (iptc) {
            e.put("IPTC:ObjectName", FIELDS.get("title"));
            e.put("IPTC:Caption-Abstract", FIELDS.get("description"));
            e.put("IPTC:By-line", FIELDS.get("author"));
            e.put("IPTC:Keywords", List.of("sunset", "Zürich", "東京"));
            e.put("IPTC:CopyrightNotice", FIELDS.get("copyright"));
            e.put("IPTC:Credit", FIELDS.get("creditLine"));
            e.put("IPTC:Source", FIELDS.get("source"));
            e.put("IPTC:CodedCharacterSet", "UTF8");
        }
        if (exif) {
            e.put("IFD0:ImageDescription", FIELDS.get("description"));
            e.put("IFD0:Artist", FIELDS.get("author"));
            e.put("IFD0:Copyright", FIELDS.get("copyright"));
        }
        return e;
    }

    static void assertTags(Map<String, Object> expected, JsonNode read) {
        expected.forEach((tag, value) -> {
            JsonNode v = read.get(tag);
            assertTrue(v != null, tag + " missing in " + read);
            if (value instanceof List<?> list) {
                assertEquals(list, WriteSupport.JSON.convertValue(v, List.class), tag);
            } else {
                assertEquals(value, v.asText(), tag);
            }
        });
    }

    @Test
    void everyFieldLandsInEveryMappedTag() throws Exception {
        Response r = WriteSupport.post(key, "edit-exif", JPEG, FIELDS);
        r.then().statusCode(200).contentType("image/jpeg")
                .header("Content-Disposition", containsString("attachment; filename=\"" + JPEG + "\""));
        byte[] written = r.asByteArray();
        JsonNode read = WriteSupport.readBack(pool, dir, written, false);
        assertTags(expected(true, true), read);
        assertEquals("Canon", read.path("IFD0:Make").asText(), "append keeps the camera's own tags");
        assertTrue(read.has("ICC_Profile:ProfileDescription"), "ICC profile kept");
    }

    @Test
    void overwriteRemovesOtherMetadataAppendKeepsIt() throws Exception {
        byte[] written = WriteSupport.post(key, "edit-exif", JPEG, Map.of("title", "Only this", "mode", "overwrite"))
                .then().statusCode(200).extract().asByteArray();
        JsonNode read = WriteSupport.readBack(pool, dir, written, false);
        assertEquals("Only this", read.path("XMP-dc:Title").asText());
        assertFalse(read.has("IFD0:Make"), "overwrite removed the camera's EXIF: " + read);
        assertFalse(read.has("ExifIFD:ExposureTime"));
        assertFalse(read.has("Canon:CanonModelID"), "and the maker notes");
        assertTrue(read.has("ICC_Profile:ProfileDescription"), "the ICC profile stays: " + read);

        JsonNode appended = WriteSupport.readBack(pool, dir, WriteSupport.post(key, "edit-exif", JPEG,
                Map.of("title", "Added")).then().statusCode(200).extract().asByteArray(), false);
        assertEquals("Added", appended.path("XMP-dc:Title").asText());
        assertEquals("Canon EOS 40D", appended.path("IFD0:Model").asText());
        assertEquals("1/160", appended.path("ExifIFD:ExposureTime").asText());
    }

    @Test
    void badModeAndNoFieldsAre400NamingTheField() {
        WriteSupport.post(key, "edit-exif", JPEG, Map.of("title", "x", "mode", "replace"))
                .then().statusCode(400).body("ok", equalTo(false)).body("error", equalTo("invalid_mode"));
        WriteSupport.post(key, "edit-exif", JPEG, Map.of())
                .then().statusCode(400).body("error", equalTo("missing_fields"));
        dev.exifq.testing.Api.as(key).multiPart("title", "x").post("/api/images/edit-exif")
                .then().statusCode(400).body("error", equalTo("missing_file"));
    }

    @Test
    void needsCredentials() {
        io.restassured.RestAssured.given().multiPart("title", "x").post("/api/images/edit-exif")
                .then().statusCode(401);
        dev.exifq.testing.Api.as(key).contentType("application/json").body("{}").post("/api/images/strip-exif")
                .then().statusCode(415).body("error", equalTo("unsupported_media_type"));
    }
}
